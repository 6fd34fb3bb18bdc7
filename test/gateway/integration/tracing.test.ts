import { OtlpReceiver, type ReceivedSpan } from '../../../gateway/dev/otlp-receiver';
import {
  freePort,
  type GatewayProcess,
  type StandInProcess,
  startGateway,
  startStandIn,
  waitFor,
} from '../../../gateway/dev/processes';
import { configFor, GATEWAY_ENV, http, predict, setFaults, standInStats } from './helpers';

jest.setTimeout(60_000);

const SERVER = 2;
const CLIENT = 3;
const CALLER_SPAN = '00f067aa0ba902b7';

let standIns: StandInProcess[] = [];
const receiver = new OtlpReceiver();
let endpoint = '';
const gateways: GatewayProcess[] = [];

/** A gateway exporting to the receiver; `exportIntervalMs` short unless a test needs spans held back. */
async function gatewayExportingTo(otlpEndpoint: string, exportIntervalMs = 100): Promise<GatewayProcess> {
  const gateway = await startGateway(
    configFor(
      standIns,
      { aws: 0.1, gcp: 0.9 },
      {
        healthCheck: { intervalMs: 60_000 },
        // A slow provider times out quickly, and with an Idempotency-Key the request fails over.
        timeouts: { attemptMs: 300 },
        tracing: {
          otlpEndpoint,
          exportIntervalMs,
          resourceAttributes: { 'k8s.cluster.name': 'test-cluster' },
        },
      },
    ),
    GATEWAY_ENV,
  );
  gateways.push(gateway);
  return gateway;
}

function traceIdOf(id: number): string {
  return id.toString(16).padStart(32, 'a');
}

/** Waits until the receiver holds the request's server span and `attempts` client spans. */
function spansOf(
  traceId: string,
  attempts: number,
): Promise<{ server: ReceivedSpan; clients: ReceivedSpan[] }> {
  return waitFor(`the spans of trace ${traceId}`, () => {
    const spans = receiver.trace(traceId);
    const server = spans.find((span) => span.kind === SERVER);
    const clients = spans.filter((span) => span.kind === CLIENT);
    return server && clients.length === attempts ? { server, clients } : undefined;
  });
}

beforeAll(async () => {
  standIns = await Promise.all(['aws', 'gcp'].map((name) => startStandIn({ name })));
  endpoint = await receiver.start();
});

afterAll(async () => {
  await Promise.all([...gateways, ...standIns].map((process) => process.process.stop()));
  await receiver.stop();
});

describe('gateway span export (real processes, loopback OTLP receiver)', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await gatewayExportingTo(endpoint);
  });

  it("exports a server span under the caller's span and an attempt span the upstream continues", async () => {
    const traceId = traceIdOf(1);
    const result = await predict(gateway.url, {
      headers: { traceparent: `00-${traceId}-${CALLER_SPAN}-01` },
    });
    expect(result.status).toBe(200);

    const { server, clients } = await spansOf(traceId, 1);
    expect(server).toMatchObject({
      parentSpanId: CALLER_SPAN,
      name: 'POST /v1/models/:target',
      attributes: { 'http.response.status_code': 200 },
      resource: { 'service.name': 'ml-gateway', 'k8s.cluster.name': 'test-cluster' },
    });
    const [attempt] = clients;
    expect(attempt.parentSpanId).toBe(server.spanId);
    expect(attempt.attributes).toMatchObject({ 'gateway.provider': result.headers['x-served-by'] });
    // The model server was called with the attempt's span as parent.
    const served = standIns.find(
      (standIn) => standIn.name === result.headers['x-served-by'],
    ) as StandInProcess;
    const upstream = (await standInStats(served)).recentPredictions.find(
      (prediction) => prediction.requestId === result.headers['x-request-id'],
    );
    expect(upstream?.traceparent).toBe(`00-${traceId}-${attempt.spanId}-01`);
  });

  it('does not trace health, readiness, metrics and docs, which are polled constantly', async () => {
    const polled = ['/healthz', '/readyz', '/metrics', '/docs'];
    for (const path of polled) expect((await http(`${gateway.url}${path}`)).status).toBe(200);
    // A traced request after them: once its spans have arrived, any earlier span has too.
    const traceId = traceIdOf(50);
    await predict(gateway.url, { headers: { traceparent: `00-${traceId}-${CALLER_SPAN}-01` } });
    await spansOf(traceId, 1);
    expect(receiver.spans.filter((span) => polled.includes(String(span.attributes['url.path'])))).toEqual([]);
  });

  it('shows a failover as two attempt spans under one request span, the failed one an error', async () => {
    await setFaults(standIns[0], { latencyMs: 1_000 });
    try {
      let traceId = '';
      let attempts = 0;
      // aws is the cheapest, so it is tried first until its breaker opens.
      for (let request = 2; request < 12 && attempts < 2; request++) {
        traceId = traceIdOf(request);
        const result = await predict(gateway.url, {
          headers: {
            traceparent: `00-${traceId}-${CALLER_SPAN}-01`,
            'idempotency-key': `failover-${request}`,
          },
        });
        expect(result.status).toBe(200);
        attempts = Number(result.headers['x-gateway-attempts']);
      }
      expect(attempts).toBe(2);
      const { server, clients } = await spansOf(traceId, 2);
      expect(clients.every((client) => client.parentSpanId === server.spanId)).toBe(true);
      const failed = clients.find((client) => client.attributes['gateway.provider'] === 'aws');
      expect(failed?.attributes).toMatchObject({
        'gateway.attempt.outcome': 'timeout',
        'error.type': 'timeout',
      });
      expect(failed).toMatchObject({ status: { code: 2 } });
      expect(clients.map((client) => client.attributes['gateway.provider']).sort()).toEqual(['aws', 'gcp']);
    } finally {
      await setFaults(standIns[0], { latencyMs: 0 });
    }
  });
});

describe('span export lifecycle', () => {
  it('sends the spans still queued when the gateway shuts down', async () => {
    // Spans would wait a minute for the next batch; SIGTERM must not lose them.
    const gateway = await gatewayExportingTo(endpoint, 60_000);
    const traceId = traceIdOf(100);
    expect(
      (await predict(gateway.url, { headers: { traceparent: `00-${traceId}-${CALLER_SPAN}-01` } })).status,
    ).toBe(200);
    expect(receiver.trace(traceId)).toHaveLength(0);
    await gateway.process.stop();
    const { server } = await spansOf(traceId, 1);
    expect(server.parentSpanId).toBe(CALLER_SPAN);
  });

  it('keeps serving when the collector cannot be reached', async () => {
    const gateway = await gatewayExportingTo(`http://127.0.0.1:${await freePort()}/v1/traces`);
    for (let request = 0; request < 5; request++) {
      expect((await predict(gateway.url)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect((await http(`${gateway.url}/healthz`)).status).toBe(200);
    expect(gateway.process.running).toBe(true);
  });
});
