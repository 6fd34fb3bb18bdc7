import {
  type GatewayProcess,
  type StandInProcess,
  startGateway,
  startStandIn,
} from '../../../gateway/dev/processes';
import {
  API_KEY,
  configFor,
  DISABLED_KEY,
  GATEWAY_ENV,
  http,
  IRIS_ROWS,
  metricValue,
  predict,
  providers,
  standInStats,
} from './helpers';

jest.setTimeout(60_000);

let standIn: StandInProcess | undefined;
let gateway: GatewayProcess | undefined;
const RATE_LIMIT = 40;

beforeAll(async () => {
  standIn = await startStandIn({ name: 'aws' });
  gateway = await startGateway(
    configFor(
      [standIn],
      {},
      { limits: { bodyBytes: 4_096, rateLimit: { max: RATE_LIMIT, windowMs: 60_000 } } },
    ),
    {
      ...GATEWAY_ENV,
      // A second key with its own budget, spent by the rate-limit test.
      GATEWAY_API_KEYS: `${GATEWAY_ENV.GATEWAY_API_KEYS},burst:burst-key-0123456789abcdef`,
    },
  );
});

afterAll(async () => {
  await Promise.all([gateway?.process.stop(), standIn?.process.stop()]);
});

const url = () => gateway?.url ?? '';
const errorOf = (result: { json: unknown }) => (result.json as { error?: unknown })?.error;

describe('bad input gets its status and an {"error"} body (real processes)', () => {
  const body = JSON.stringify({ instances: IRIS_ROWS });
  const cases: Array<{
    name: string;
    status: number;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    message: RegExp;
  }> = [
    { name: 'missing API key', status: 401, headers: { 'x-api-key': '' }, message: /missing API key/ },
    {
      name: 'unknown API key',
      status: 401,
      headers: { 'x-api-key': 'not-a-key-0123456789' },
      message: /invalid API key/,
    },
    {
      name: 'unknown bearer token',
      status: 401,
      headers: { 'x-api-key': '', authorization: 'Bearer nope' },
      message: /invalid/,
    },
    { name: 'disabled API key', status: 403, headers: { 'x-api-key': DISABLED_KEY }, message: /disabled/ },
    {
      name: 'body over the size limit',
      status: 413,
      body: JSON.stringify({ instances: Array(2_000).fill([1, 2, 3, 4]) }),
      message: /too large/,
    },
    {
      name: 'non-JSON content type',
      status: 415,
      headers: { 'content-type': 'text/plain' },
      message: /application\/json/,
    },
    { name: 'invalid JSON', status: 400, body: '{"instances": [1, 2,', message: /not valid JSON/ },
    { name: 'empty body', status: 400, body: '', message: /empty/ },
    {
      name: 'prototype poisoning',
      status: 400,
      body: '{"instances": [[1,2,3,4]], "__proto__": {"x": 1}}',
      message: /not valid JSON/,
    },
    {
      name: 'both instances and inputs',
      status: 400,
      body: '{"instances": [[1,2,3,4]], "inputs": [[1,2,3,4]]}',
      message: /exactly one/,
    },
    {
      name: 'neither instances nor inputs',
      status: 400,
      body: '{"signature_name": "serving_default"}',
      message: /exactly one/,
    },
    { name: 'instances not a list', status: 400, body: '{"instances": 5}', message: /instances/ },
    {
      name: 'duplicate JSON keys',
      status: 400,
      body: '{"instances": [[1,2,3,4]], "instances": [[5,6,7,8]]}',
      message: /key "instances" twice/,
    },
    {
      name: 'unbounded nesting',
      status: 400,
      body: `{"instances": ${'['.repeat(500)}${']'.repeat(500)}}`,
      message: /nested deeper than 32 levels/,
    },
    {
      name: 'charset other than UTF-8',
      status: 415,
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
      message: /utf-8/,
    },
    { name: 'unknown model', status: 404, path: '/v1/models/mnist:predict', message: /not served/ },
    {
      name: 'encoded path traversal',
      status: 400,
      path: '/v1/models/..%2F..%2Fadmin:predict',
      message: /malformed model name/,
    },
    {
      name: 'malformed version',
      status: 400,
      path: '/v1/models/iris/versions/latest:predict',
      message: /malformed model version/,
    },
    { name: 'wrong verb', status: 400, path: '/v1/models/iris:classify', message: /:predict/ },
    {
      name: 'bad deadline header',
      status: 400,
      headers: { 'x-request-timeout-ms': 'soon' },
      message: /x-request-timeout-ms/,
    },
    {
      name: 'bad idempotency key',
      status: 400,
      headers: { 'idempotency-key': 'x'.repeat(300) },
      message: /Idempotency-Key/,
    },
    {
      name: 'undecodable URL',
      status: 400,
      path: '/v1/models/%E0%A4%A:predict',
      message: /not validly encoded/,
    },
    {
      name: 'missing content type',
      status: 415,
      headers: { 'content-type': '' },
      message: /application\/json/,
    },
    { name: 'unknown route', status: 404, path: '/v2/anything', message: /no route/ },
    {
      name: 'model error from upstream (wrong shape)',
      status: 400,
      body: '{"instances": [[1, 2, 3]]}',
      message: /4 numbers/,
    },
  ];

  it.each(cases)('$name → $status', async ({ status, path, headers, body: caseBody, message }) => {
    const result = await predict(url(), { path, headers, body: caseBody ?? body });
    expect(result.status).toBe(status);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(errorOf(result)).toMatch(message);
    expect(result.headers['x-request-id']).toBeTruthy();
  });

  it('nothing malformed reached the upstream', async () => {
    const stats = await standInStats(standIn as StandInProcess);
    // Only the wrong-shape case (valid for the gateway, rejected by the model) was forwarded.
    expect(stats.predictRequests).toBe(1);
  });

  it('accepts NaN and Infinity as TF Serving does', async () => {
    const result = await predict(url(), {
      body: '{"instances": [[NaN, 3.4, Infinity, -Infinity], [5, 3.4, 1.5, 0.2]]}',
    });
    expect(result.status).toBe(200);
    const [withNaN, finite] = (result.json as { predictions: Array<Array<number | null>> }).predictions;
    // NaN propagates through the model (serialised as null); the finite row is a distribution.
    expect(withNaN).toEqual([null, null, null]);
    expect(finite.reduce((sum: number, value) => sum + (value ?? 0), 0)).toBeCloseTo(1, 5);
  });

  it('refuses the providers list without a key and keys never appear in logs or metrics', async () => {
    expect((await http(`${url()}/v1/providers`, { headers: { 'x-api-key': DISABLED_KEY } })).status).toBe(
      403,
    );
    expect((await providers(url())).length).toBe(1);
    const metrics = (await http(`${url()}/metrics`)).text;
    for (const secret of [API_KEY, DISABLED_KEY, 'not-a-key-0123456789']) {
      expect(gateway?.process.logs).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
    expect(
      await metricValue(url(), 'gateway_auth_failures_total', { reason: 'disabled' }),
    ).toBeGreaterThanOrEqual(1);
    // The logs do carry the request id and the key's id for each request.
    expect(gateway?.process.logs).toContain('"keyId":"tests"');
  });

  it('rate-limits per key with 429 and Retry-After, without affecting other keys', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof predict>> | undefined;
    for (let index = 0; index < RATE_LIMIT + 5; index++) {
      const result = await predict(url(), { headers: { 'x-api-key': 'burst-key-0123456789abcdef' } });
      statuses.push(result.status);
      if (result.status === 429) limited = result;
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(RATE_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    // The window, not the time left in it.
    expect(errorOf(limited ?? { json: {} })).toBe(`rate limit exceeded: ${RATE_LIMIT} requests per 1 minute`);
    expect((await predict(url())).status).toBe(200);
    expect(await metricValue(url(), 'gateway_rate_limited_total')).toBe(5);
  });

  it('serves liveness, readiness, metrics and the OpenAPI document without a key', async () => {
    expect((await http(`${url()}/healthz`)).json).toEqual({ status: 'ok' });
    expect((await http(`${url()}/readyz`)).json).toEqual({ status: 'ready', healthyProviders: 1 });
    const docs = (await http(`${url()}/docs`)).json as { openapi: string; paths: Record<string, unknown> };
    expect(docs.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/v1/models/{target}',
        '/v1/models/{model}/versions/{target}',
        '/v1/providers',
      ]),
    );
    const metrics = (await http(`${url()}/metrics`)).text;
    expect(metrics).toContain(
      'gateway_requests_total{provider="aws",model="iris",outcome="success",status_class="2xx"}',
    );
  });

  it('uses only routing-table models as metric labels', async () => {
    const metrics = (await http(`${url()}/metrics`)).text;
    expect(metrics).not.toContain('model="mnist"');
    expect(metrics).not.toContain('admin');
  });
});

describe('overload (real processes)', () => {
  it('sheds requests with 503 when under pressure but still answers probes', async () => {
    const overloaded = await startGateway(
      // A heap limit of 1 byte means "always under pressure".
      configFor([standIn as StandInProcess], {}, { limits: { maxHeapUsedBytes: 1 } }),
      GATEWAY_ENV,
      { waitForReady: false },
    );
    try {
      // under-pressure samples once per second before it starts shedding.
      let result = await predict(overloaded.url);
      for (let index = 0; index < 50 && result.status !== 503; index++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        result = await predict(overloaded.url);
      }
      expect(result.status).toBe(503);
      expect(errorOf(result)).toMatch(/overloaded/);
      expect(result.headers['retry-after']).toBe('5');
      expect((await http(`${overloaded.url}/healthz`)).status).toBe(200);
    } finally {
      await overloaded.process.stop();
    }
  });
});
