import {
  type GatewayProcess,
  type StandInProcess,
  startGateway,
  startStandIn,
} from '../../../gateway/dev/processes';
import {
  API_KEY,
  configFor,
  GATEWAY_ENV,
  http,
  predict,
  providers,
  servedBy,
  setFaults,
  standInStats,
} from './helpers';

jest.setTimeout(60_000);

let standIns: StandInProcess[] = [];
let gateway: GatewayProcess | undefined;

beforeAll(async () => {
  standIns = await Promise.all(['aws', 'gcp', 'azure'].map((name) => startStandIn({ name })));
  gateway = await startGateway(
    configFor(
      standIns,
      { aws: 0.2, gcp: 0.4, azure: 0.6 },
      {
        // Fast feedback so a change of latency shows in the score within a second or two.
        scoring: { latencyHalfLifeMs: 300 },
        healthCheck: { intervalMs: 250 },
      },
    ),
    GATEWAY_ENV,
  );
});

afterAll(async () => {
  await Promise.all([gateway?.process.stop(), ...standIns.map((standIn) => standIn.process.stop())]);
});

const url = () => gateway?.url ?? '';
const byName = (name: string) => standIns.find((standIn) => standIn.name === name) as StandInProcess;

async function shareOf(provider: string, requests: number): Promise<number> {
  let count = 0;
  for (let index = 0; index < requests; index++) {
    const result = await predict(url());
    expect(result.status).toBe(200);
    if (servedBy(result) === provider) count += 1;
  }
  return count / requests;
}

describe('gateway routing (real processes)', () => {
  it('answers a prediction with the upstream body, request id and the provider that served it', async () => {
    const direct = await http(`${byName('aws').url}/v1/models/iris:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [[5.0, 3.4, 1.5, 0.2]] }),
    });
    const result = await predict(url(), {
      body: JSON.stringify({ instances: [[5.0, 3.4, 1.5, 0.2]] }),
      headers: { 'x-request-id': 'routing-test-1' },
    });
    expect(result.status).toBe(200);
    expect(result.headers['x-request-id']).toBe('routing-test-1');
    expect(['aws', 'gcp', 'azure']).toContain(servedBy(result));
    // Every stand-in serves the same model, so the gateway's answer equals a direct one.
    expect(result.json).toEqual(direct.json);
  });

  it('propagates the trace, sets the provider header and never forwards the API key', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const result = await predict(url(), { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const stats = await standInStats(byName(servedBy(result)));
    expect(stats.lastPredictionHeaders.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(stats.lastPredictionHeaders.traceparent).not.toContain('00f067aa0ba902b7');
    expect(stats.lastPredictionHeaders['x-mesh-cluster']).toBe(`${servedBy(result)}-cluster`);
    expect(stats.lastPredictionHeaders['x-request-id']).toBe(result.headers['x-request-id']);
    expect(JSON.stringify(stats.lastPredictionHeaders)).not.toContain(API_KEY);
  });

  it('supports columnar inputs, explicit versions and labels', async () => {
    const columnar = await predict(url(), {
      body: JSON.stringify({ inputs: { features: [[5.9, 2.8, 4.3, 1.3]] } }),
    });
    expect(columnar.status).toBe(200);
    expect((columnar.json as { outputs: number[][] }).outputs[0]).toHaveLength(3);
    expect((await predict(url(), { path: '/v1/models/iris/versions/1:predict' })).status).toBe(200);
    expect((await predict(url(), { path: '/v1/models/iris/labels/stable:predict' })).status).toBe(200);
  });

  it('proxies model status and metadata to a healthy provider', async () => {
    const status = await http(`${url()}/v1/models/iris`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(status.status).toBe(200);
    expect(status.json).toEqual({
      model_version_status: [
        { version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
      ],
    });
    const metadata = await http(`${url()}/v1/models/iris/versions/1/metadata`, {
      headers: { 'x-api-key': API_KEY },
    });
    expect(metadata.status).toBe(200);
    expect(metadata.json).toHaveProperty('metadata.signature_def.signature_def.serving_default');
  });

  it('lists providers with models, scores, breaker states and health for operators', async () => {
    const unauthenticated = await http(`${url()}/v1/providers`);
    expect(unauthenticated.status).toBe(401);
    const list = await providers(url());
    expect(list.map((provider) => provider.name).sort()).toEqual(['aws', 'azure', 'gcp']);
    for (const provider of list) {
      expect(provider).toMatchObject({ models: ['iris'], breaker: 'closed', health: 'healthy' });
      expect(provider.score.total).toBeGreaterThan(0);
    }
  });

  it('sends most traffic to the best score, moves it away from a provider that turns slow, and back', async () => {
    // Equal latency: the cheapest provider (aws) has the best score.
    expect(await shareOf('aws', 30)).toBeGreaterThanOrEqual(0.8);

    await setFaults(byName('aws'), { latencyMs: 150 });
    try {
      // The slow provider's latency average rises and its traffic goes elsewhere.
      let consecutiveElsewhere = 0;
      for (let index = 0; index < 300 && consecutiveElsewhere < 20; index++) {
        const result = await predict(url());
        expect(result.status).toBe(200);
        consecutiveElsewhere = servedBy(result) === 'aws' ? 0 : consecutiveElsewhere + 1;
      }
      expect(consecutiveElsewhere).toBe(20);
      const scores = Object.fromEntries(
        (await providers(url())).map((provider) => [provider.name, provider.score.total]),
      );
      expect(scores.aws).toBeLessThan(Math.max(scores.gcp, scores.azure));
    } finally {
      await setFaults(byName('aws'), { latencyMs: 0 });
    }

    // Health checks keep measuring it; once fast again it wins the traffic back.
    let backOnAws = false;
    for (let index = 0; index < 100 && !backOnAws; index++) {
      backOnAws = servedBy(await predict(url())) === 'aws';
      if (!backOnAws) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(backOnAws).toBe(true);
  });
});
