import {
  type GatewayProcess,
  type StandInProcess,
  startGateway,
  startStandIn,
  waitFor,
} from '../../../gateway/dev/processes';
import type { GatewayConfigInput } from '../../../gateway/src/config';
import {
  configFor,
  GATEWAY_ENV,
  type HttpResult,
  metricValue,
  predict,
  providers,
  servedBy,
  setFaults,
  standInStats,
} from './helpers';

jest.setTimeout(60_000);

const COSTS = { aws: 0.1, gcp: 0.5, azure: 0.6 };
const ATTEMPT_MS = 1_000;
/** Latency injected into a provider that must time out. */
const SLOW_MS = 2_500;

describe('failover and breakers (real processes)', () => {
  let standIns: StandInProcess[] = [];
  let gateway: GatewayProcess | undefined;
  const byName = (name: string) => standIns.find((standIn) => standIn.name === name) as StandInProcess;

  /** Three stand-ins and a gateway preferring aws (cheapest); health checks out of the way. */
  async function startCluster(overrides: Partial<GatewayConfigInput> = {}) {
    standIns = await Promise.all(['aws', 'gcp', 'azure'].map((name) => startStandIn({ name })));
    gateway = await startGateway(
      configFor(standIns, COSTS, {
        // Attempts give up after ATTEMPT_MS so a slow provider is a timeout, not a long wait, while
        // a busy machine (the whole suite runs on two cores) does not turn normal answers into timeouts.
        timeouts: { attemptMs: ATTEMPT_MS },
        healthCheck: { intervalMs: 60_000 },
        ...overrides,
      }),
      GATEWAY_ENV,
    );
  }

  afterEach(async () => {
    await Promise.all([gateway?.process.stop(), ...standIns.map((standIn) => standIn.process.stop())]);
  });

  const url = () => gateway?.url ?? '';

  it('killing a provider under load loses no request that never reached it, and opens its breaker', async () => {
    await startCluster();
    const concurrency = 8;
    const results: Array<{ result: HttpResult; startedAt: number }> = [];
    let killedAt = Number.POSITIVE_INFINITY;
    let stop = false;
    const worker = async () => {
      for (let index = 0; index < 300 && !stop; index++) {
        const startedAt = performance.now();
        results.push({ result: await predict(url()), startedAt });
      }
    };
    const load = Promise.all(Array.from({ length: concurrency }, worker));

    // Let traffic settle on the cheapest provider, then kill it without warning.
    await waitFor(
      'traffic on aws',
      () => results.filter(({ result }) => servedBy(result) === 'aws').length >= 40,
    );
    killedAt = performance.now();
    byName('aws').process.signal('SIGKILL');
    await waitFor(
      'requests after the kill',
      () => results.filter(({ startedAt }) => startedAt > killedAt + 300).length >= 100,
    );
    stop = true;
    await load;

    // Requests that never reached aws (connection refused) were all retried elsewhere. The only
    // failures are requests already written to aws's connections when it died: they may have
    // been processed, so they are not replayed without an Idempotency-Key. That is at most the
    // requests in flight plus those racing the dying connections, a couple per worker.
    const failures = results.filter(({ result }) => result.status !== 200);
    expect(failures.length).toBeLessThanOrEqual(2 * concurrency);
    for (const { result } of failures) {
      expect(result.status).toBe(502);
      expect((result.json as { error: string }).error).toMatch(/after the request was sent/);
    }
    // Once the connections are gone, every request succeeds on another provider.
    const later = results.filter(({ startedAt }) => startedAt > killedAt + 300);
    expect(later.every(({ result }) => result.status === 200 && servedBy(result) !== 'aws')).toBe(true);
    const aws = (await providers(url())).find((provider) => provider.name === 'aws');
    expect(aws?.breaker).toBe('open');
    expect(
      await metricValue(url(), 'gateway_breaker_transitions_total', { provider: 'aws', state: 'open' }),
    ).toBe(1);
  });

  it('retries on another provider every request that could not reach a provider that is down', async () => {
    // Reliability weighted 0 so aws stays first choice until its breaker opens: the attempt
    // counts below are then exact.
    await startCluster({ scoring: { weights: { latency: 0.5, cost: 0.5, reliability: 0 } } });
    for (let index = 0; index < 3; index++) expect(servedBy(await predict(url()))).toBe('aws');
    byName('aws').process.signal('SIGKILL');
    await byName('aws').process.exited;

    const attempts: string[] = [];
    for (let index = 0; index < 10; index++) {
      const result = await predict(url());
      expect(result.status).toBe(200);
      expect(servedBy(result)).not.toBe('aws');
      attempts.push(String(result.headers['x-gateway-attempts']));
    }
    // Connection refused: aws is tried first until its breaker opens, and each time the
    // request goes on to another provider in the same client request.
    expect(attempts.slice(0, 5)).toEqual(['2', '2', '2', '2', '2']);
    expect(attempts.slice(5)).toEqual(['1', '1', '1', '1', '1']);
    expect(
      await metricValue(url(), 'gateway_failovers_total', { from_provider: 'aws', reason: 'not-sent' }),
    ).toBe(5);
    expect((await providers(url())).find((provider) => provider.name === 'aws')?.breaker).toBe('open');
  });

  it('does not send a timed-out request twice without an Idempotency-Key', async () => {
    await startCluster();
    expect(servedBy(await predict(url()))).toBe('aws');
    await setFaults(byName('aws'), { latencyMs: SLOW_MS });
    const result = await predict(url(), { headers: { 'x-request-id': 'no-key-timeout' } });
    expect(result.status).toBe(504);
    expect((result.json as { error: string }).error).toMatch(/Idempotency-Key/);
    expect(result.headers['x-gateway-attempts']).toBe('1');
    // Give the slow stand-in time to finish the request it received.
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS - ATTEMPT_MS + 200));
    const seen = await Promise.all(
      standIns.map(async (standIn) => ({
        name: standIn.name,
        count: (await standInStats(standIn)).recentPredictions.filter(
          (prediction) => prediction.requestId === 'no-key-timeout',
        ).length,
      })),
    );
    expect(seen).toEqual([
      { name: 'aws', count: 1 },
      { name: 'gcp', count: 0 },
      { name: 'azure', count: 0 },
    ]);
  });

  it('sends a request with an Idempotency-Key to another provider when its attempt is slow (hedging)', async () => {
    await startCluster();
    expect(servedBy(await predict(url()))).toBe('aws');
    await setFaults(byName('aws'), { latencyMs: SLOW_MS });
    const result = await predict(url(), {
      headers: { 'x-request-id': 'keyed-timeout', 'idempotency-key': 'order-42' },
    });
    expect(result.status).toBe(200);
    expect(['gcp', 'azure']).toContain(servedBy(result));
    expect(result.headers['x-gateway-attempts']).toBe('2');
    const served = await standInStats(byName(servedBy(result)));
    expect(served.recentPredictions).toContainEqual(
      expect.objectContaining({ requestId: 'keyed-timeout', idempotencyKey: 'order-42' }),
    );
    // Normally hedged once aws stayed silent for its slow threshold (250 ms, reason "slow"); a
    // machine stalled for longer than the 1 s attempt timeout retries after the timeout instead.
    expect(await metricValue(url(), 'gateway_failovers_total', { from_provider: 'aws' })).toBe(1);
  });

  it('opens the breaker after 5 consecutive failures and routes around it', async () => {
    // Reliability weighted 0 so the score does not move traffic first: this isolates the breaker.
    await startCluster({ scoring: { weights: { latency: 0.5, cost: 0.5, reliability: 0 } } });
    await setFaults(byName('aws'), { errorRate: 1 });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await predict(url())).status);
    // A 500 is the provider's final answer (not retried), and counts against its breaker.
    expect(statuses).toEqual([500, 500, 500, 500, 500]);
    expect((await providers(url())).find((provider) => provider.name === 'aws')?.breaker).toBe('open');
    for (let index = 0; index < 10; index++) {
      const result = await predict(url());
      expect(result.status).toBe(200);
      expect(servedBy(result)).not.toBe('aws');
    }
  });

  it('moves traffic off a provider answering 500s before its breaker opens, through the reliability score', async () => {
    await startCluster();
    await setFaults(byName('aws'), { errorRate: 1 });
    expect((await predict(url())).status).toBe(500);
    for (let index = 0; index < 10; index++) expect(servedBy(await predict(url()))).not.toBe('aws');
    expect((await providers(url())).find((provider) => provider.name === 'aws')?.breaker).toBe('closed');
  });

  it('in panic mode, with every breaker open, still routes to the least recently failed provider', async () => {
    await startCluster();
    await Promise.all(standIns.map((standIn) => setFaults(standIn, { errorRate: 1 })));
    for (let index = 0; index < 30; index++) await predict(url());
    const states = (await providers(url())).map((provider) => provider.breaker);
    expect(states).toEqual(['open', 'open', 'open']);

    await Promise.all(standIns.map((standIn) => setFaults(standIn, { errorRate: 0 })));
    const result = await predict(url());
    expect(result.status).toBe(200);
    expect(await metricValue(url(), 'gateway_panic_mode_total', { model: 'iris' })).toBeGreaterThanOrEqual(1);
    // The panic request succeeded, which closes that provider's breaker at once.
    const served = (await providers(url())).find((provider) => provider.name === servedBy(result));
    expect(served?.breaker).toBe('closed');
  });
});
