import {
  type GatewayProcess,
  type StandInProcess,
  sleep,
  startGateway,
  startStandIn,
  waitFor,
} from '../../../gateway/dev/processes';
import type { GatewayConfigInput } from '../../../gateway/src/config';
import {
  configFor,
  type FakeProvider,
  GATEWAY_ENV,
  http,
  metricValue,
  predict,
  providers,
  rawExchange,
  servedBy,
  setFaults,
  standInStats,
  startFakeProvider,
} from './helpers';

jest.setTimeout(60_000);

/**
 * What an unlucky operator or an attacker can do to the gateway and its providers: clients
 * with tiny deadlines, a provider answering garbage, a mesh 503 after the request was processed,
 * a hung provider, a busy pool, malformed HTTP. Real gateway processes on 127.0.0.1.
 */
const started: Array<{ stop: () => Promise<unknown> }> = [];
const keep = <T extends { process: { stop: () => Promise<unknown> } }>(running: T): T => {
  started.push(running.process);
  return running;
};
const keepFake = (fake: FakeProvider): FakeProvider => {
  started.push({ stop: () => fake.close() });
  return fake;
};

afterEach(async () => {
  await Promise.all(started.splice(0).map((running) => running.stop()));
});

const errorOf = (result: { json: unknown }) => (result.json as { error?: unknown })?.error;

/** A gateway for these providers (fakes first: they are cheapest and preferred). */
async function gatewayFor(
  fakes: Array<{ name: string; url: string }>,
  standIns: StandInProcess[],
  overrides: Partial<GatewayConfigInput> = {},
): Promise<GatewayProcess> {
  const config = configFor(standIns, {}, overrides);
  config.providers = [
    ...fakes.map((fake) => ({ name: fake.name, url: fake.url, costPer1kRequests: 0.01, models: ['iris'] })),
    ...config.providers.map((provider) => ({ ...provider, costPer1kRequests: 0.9 })),
  ];
  return keep(await startGateway(config, GATEWAY_ENV));
}

describe("a client's own deadline", () => {
  it('ends attempts without counting them against the providers: no breaker opens, nobody panics', async () => {
    const standIns = await Promise.all(['aws', 'gcp'].map((name) => startStandIn({ name }).then(keep)));
    const gateway = await gatewayFor([], standIns, { healthCheck: { intervalMs: 60_000 } });
    // Providers answer in about 20 ms; the client allows 10 ms, far more times than opens a breaker.
    await Promise.all(standIns.map((standIn) => setFaults(standIn, { latencyMs: 20 })));
    for (let index = 0; index < 25; index++) {
      const result = await predict(gateway.url, { headers: { 'x-request-timeout-ms': '10' } });
      expect(result.status).toBe(504);
      expect(errorOf(result)).toMatch(/deadline/);
    }
    for (const provider of await providers(gateway.url)) expect(provider.breaker).toBe('closed');
    expect(await metricValue(gateway.url, 'gateway_breaker_transitions_total')).toBe(0);
    expect(
      await metricValue(gateway.url, 'gateway_upstream_attempts_total', { outcome: 'deadline' }),
    ).toBeGreaterThanOrEqual(25);
    expect((await predict(gateway.url)).status).toBe(200);
    expect(await metricValue(gateway.url, 'gateway_panic_mode_total')).toBe(0);
  });
});

describe('a provider answering garbage', () => {
  it("metadata nested thousands of levels deep fails that provider's check and does not crash the gateway", async () => {
    const deep = keepFake(
      await startFakeProvider({
        predict: (response) => response.end('{}'),
        // JSON.parse builds this fine; walking it recursively overflows the stack.
        metadata: () => `{"metadata":{"signature_def":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      }),
    );
    const standIn = keep(await startStandIn({ name: 'aws' }));
    const gateway = await gatewayFor([{ name: 'deep', url: deep.url }], [standIn], {
      healthCheck: { intervalMs: 100, unhealthyAfter: 2 },
    });
    await waitFor('the deep provider to be unhealthy', async () => {
      const deepProvider = (await providers(gateway.url)).find((provider) => provider.name === 'deep');
      return deepProvider?.health === 'unhealthy';
    });
    await sleep(500);
    expect(gateway.process.running).toBe(true);
    const result = await predict(gateway.url);
    expect(result.status).toBe(200);
    expect(servedBy(result)).toBe('aws');
  });

  it('an invalid status or an HTML page is a 502 that says so, never a 500 or HTML labelled JSON', async () => {
    let answer: 'html' | 'status-999' = 'html';
    const broken = keepFake(
      await startFakeProvider({
        predict: (response) => {
          if (answer === 'html') {
            response.writeHead(200, { 'content-type': 'text/html' });
            response.end('<html><body>Welcome to nginx!</body></html>');
          } else {
            // node:http refuses to write such a status: write the status line by hand.
            response.socket?.end(
              'HTTP/1.1 999 Strange\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}',
            );
          }
        },
      }),
    );
    const gateway = await gatewayFor([{ name: 'broken', url: broken.url }], []);
    const html = await predict(gateway.url);
    expect(html.status).toBe(502);
    expect(html.headers['content-type']).toMatch(/^application\/json/);
    expect(errorOf(html)).toMatch(/provider broken answered 200 with a body that is not JSON/);
    answer = 'status-999';
    const strange = await predict(gateway.url);
    expect(strange.status).toBe(502);
    expect(errorOf(strange)).toMatch(/invalid status \(999\)/);
    expect(strange.headers['x-request-id']).toBeTruthy();
  });
});

describe('a provider that never answers', () => {
  it('tells a client that sent an Idempotency-Key what happened, not to send one', async () => {
    const silent = keepFake(await startFakeProvider({ predict: () => {} }));
    const gateway = await gatewayFor([{ name: 'silent', url: silent.url }], [], {
      timeouts: { attemptMs: 300 },
      healthCheck: { intervalMs: 60_000 },
    });
    const withKey = await predict(gateway.url, { headers: { 'idempotency-key': 'order-2' } });
    expect(withKey.status).toBe(504);
    expect(errorOf(withKey)).not.toMatch(/send an Idempotency-Key/);
    expect(errorOf(withKey)).toMatch(/no other provider could answer/);
    const withoutKey = await predict(gateway.url);
    expect(errorOf(withoutKey)).toMatch(/send an Idempotency-Key to allow a retry/);
  });
});

describe('a 503 from the mesh', () => {
  const TERMINATION =
    'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
  const CONNECT_FAILURE =
    'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: 111';

  it('is retried without an Idempotency-Key only when it proves the request was not processed', async () => {
    let body = TERMINATION;
    const mesh = keepFake(
      await startFakeProvider({
        predict: (response) => {
          response.writeHead(503, { 'content-type': 'text/plain' });
          response.end(body);
        },
      }),
    );
    const standIn = keep(await startStandIn({ name: 'aws' }));
    const gateway = await gatewayFor([{ name: 'mesh', url: mesh.url }], [standIn], {
      healthCheck: { intervalMs: 60_000 },
      // Price alone decides, so every request tries the (cheaper) mesh provider first.
      scoring: { weights: { latency: 0, cost: 1, reliability: 0 } },
    });

    // Possibly processed: not sent again without a key.
    const withoutKey = await predict(gateway.url);
    expect(withoutKey.status).toBe(503);
    expect(servedBy(withoutKey)).toBe('mesh');
    expect((await standInStats(standIn)).predictRequests).toBe(0);

    // With a key the client allows it.
    const withKey = await predict(gateway.url, { headers: { 'idempotency-key': 'order-1' } });
    expect(withKey.status).toBe(200);
    expect(servedBy(withKey)).toBe('aws');
    expect(mesh.predictions).toBe(2);

    // A connect failure never reached the provider: retried without a key.
    body = CONNECT_FAILURE;
    const connectFailure = await predict(gateway.url);
    expect(connectFailure.status).toBe(200);
    expect(servedBy(connectFailure)).toBe('aws');
    expect(mesh.predictions).toBe(3);
  });
});

describe('a hung provider', () => {
  it('idempotent requests hedge to another provider long before the attempt timeout', async () => {
    const standIns = await Promise.all(
      ['aws', 'gcp', 'azure'].map((name) => startStandIn({ name }).then(keep)),
    );
    const gateway = await gatewayFor([], standIns, {
      timeouts: { attemptMs: 5_000 },
      healthCheck: { intervalMs: 60_000 },
    });
    // Hang the provider that takes the traffic.
    const busiest = servedBy(await predict(gateway.url));
    const victim = standIns.find((standIn) => standIn.name === busiest);
    if (victim === undefined) throw new Error('no provider answered');
    victim.process.signal('SIGSTOP');
    started.unshift({ stop: async () => victim.process.signal('SIGCONT') });
    // The deadline is shorter than the attempt timeout: without hedging every request sent to
    // the hung provider would end as a 504.
    let index = 0;
    const worker = async () => {
      const statuses: number[] = [];
      for (let request = 0; request < 10; request++) {
        const result = await predict(gateway.url, {
          headers: { 'idempotency-key': `key-${index++}`, 'x-request-timeout-ms': '4000' },
        });
        statuses.push(result.status);
      }
      return statuses;
    };
    const statuses = (await Promise.all([worker(), worker(), worker(), worker()])).flat();
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(
      await metricValue(gateway.url, 'gateway_failovers_total', { reason: 'slow' }),
    ).toBeGreaterThanOrEqual(1);
    expect(gateway.process.logs).toContain('provider slow');
  });
});

describe('health checks', () => {
  it('have their own connection: a provider slow on predictions stays healthy and /readyz stays 200', async () => {
    const slow = keepFake(
      await startFakeProvider({
        predict: (response) => {
          setTimeout(() => {
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end('{"predictions":[[1,0,0]]}');
          }, 1_500);
        },
      }),
    );
    const gateway = await gatewayFor([{ name: 'slow', url: slow.url }], [], {
      limits: { connectionsPerProvider: 1 },
      // A check waiting behind a 1.5 s prediction times out; one on its own connection does not.
      healthCheck: { intervalMs: 200, timeoutMs: 800, unhealthyAfter: 2 },
    });
    // Two clients keep the provider's single traffic connection busy for about 6 s.
    const load = async () => {
      for (let request = 0; request < 2; request++) expect((await predict(gateway.url)).status).toBe(200);
    };
    await Promise.all([load(), load()]);
    const [provider] = await providers(gateway.url);
    expect(provider.health).toBe('healthy');
    expect((await http(`${gateway.url}/readyz`)).status).toBe(200);
  });
});

describe('errors before routing follow the contract', () => {
  it('a malformed request and oversized headers get {"error"} and x-request-id', async () => {
    const standIn = keep(await startStandIn({ name: 'aws' }));
    const gateway = await gatewayFor([], [standIn]);
    const malformed = await rawExchange(gateway.url, 'GARBAGE / HTTP/9\r\n\r\n');
    expect(malformed).toMatch(/^HTTP\/1\.1 400 /);
    expect(malformed).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n/);
    expect(malformed).toMatch(/\r\n\r\n\{"error":"malformed HTTP request"\}$/);
    const large = await rawExchange(
      gateway.url,
      `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(large).toMatch(/^HTTP\/1\.1 431 /);
    expect(large).toMatch(/\r\nx-request-id: /);
    expect(large).toMatch(/\{"error":"request headers are too large"\}$/);
  });
});

describe('model versions', () => {
  it('an unknown version is a 404, and versions compare as numbers', async () => {
    const standIn = keep(await startStandIn({ name: 'aws', modelVersion: '1' }));
    const gateway = await gatewayFor([], [standIn]);
    const unknown = await predict(gateway.url, { path: '/v1/models/iris/versions/7:predict' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['retry-after']).toBeUndefined();
    expect(errorOf(unknown)).toMatch(/no version 7/);
    const padded = await predict(gateway.url, { path: '/v1/models/iris/versions/01:predict' });
    expect(padded.status).toBe(200);
  });
});
