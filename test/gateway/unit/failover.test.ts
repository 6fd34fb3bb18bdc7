import { DEFAULT_BREAKER_OPTIONS } from '../../../gateway/src/routing/breaker';
import { RetryBudget } from '../../../gateway/src/routing/budget';
import { runWithFailover } from '../../../gateway/src/routing/failover';
import { type AttemptOutcome, QUEUED_PAST_ATTEMPT_TIMEOUT } from '../../../gateway/src/routing/outcome';
import { ProviderRegistry } from '../../../gateway/src/routing/registry';
import { fakeClock } from './fake-clock';

/** The registry's options in these tests: no tie buffer, and a provider silent for `slowAfterMs` counts as slow. */
function registryOptions(slowAfterMs: number): ConstructorParameters<typeof ProviderRegistry>[1] {
  return {
    weights: { latency: 0.4, cost: 0.3, reliability: 0.3 },
    tieBuffer: 0,
    latencyHalfLifeMs: 1_000,
    errorWindowMs: 60_000,
    breaker: DEFAULT_BREAKER_OPTIONS,
    health: { unhealthyAfter: 3, healthyAfter: 2 },
    slowProvider: { latencyMultiple: 10, minMs: slowAfterMs },
  };
}

/**
 * The failover loop with a scripted "network": each provider answers with a fixed outcome and
 * takes a fixed time on the fake clock.
 */
function setup(script: Record<string, { outcome: AttemptOutcome; ms?: number }>, budgetFloor = 3) {
  const time = fakeClock();
  const names = Object.keys(script);
  const registry = new ProviderRegistry(
    names.map((name, index) => ({ name, costPer1kRequests: 0.1 * (index + 1), models: ['iris'] })),
    registryOptions(250),
    time.clock,
    () => 0.5,
  );
  const budget = new RetryBudget(
    { ratio: 0.2, minRetriesPerWindow: budgetFloor, windowMs: 10_000 },
    time.clock,
  );
  const sent: string[] = [];
  const retries: string[] = [];
  const run = (hasIdempotencyKey = false, deadlineMs = 10_000) =>
    runWithFailover(registry, budget, time.clock, {
      model: 'iris',
      version: undefined,
      hasIdempotencyKey,
      deadline: time.clock() + deadlineMs,
      maxExtraAttempts: 2,
      attemptTimeoutMs: 5_000,
      send: async (provider, timeoutMs) => {
        sent.push(provider);
        const { outcome, ms = 1 } = script[provider];
        time.advance(Math.min(ms, timeoutMs));
        return { outcome, payload: `${provider}-body` };
      },
      onRetry: (from, reason) => retries.push(`${from}:${reason}`),
    });
  return { run, sent, retries, registry, time };
}

const ok = { outcome: { kind: 'response', status: 200 } as AttemptOutcome };
const refused = { outcome: { kind: 'not-sent', reason: 'ECONNREFUSED' } as AttemptOutcome };
const timedOut = { outcome: { kind: 'timeout' } as AttemptOutcome, ms: 5_000 };

describe('failover', () => {
  it('sends once to the best provider when it answers', async () => {
    const { run, sent } = setup({ a: ok, b: ok, c: ok });
    const result = await run();
    expect(result).toMatchObject({ kind: 'response', provider: 'a', status: 200, payload: 'a-body' });
    expect(sent).toEqual(['a']);
  });

  it('fails over to another provider when the first was unreachable', async () => {
    const { run, sent, retries } = setup({ a: refused, b: ok, c: ok });
    const result = await run();
    expect(result).toMatchObject({ kind: 'response', provider: 'b' });
    expect(sent).toEqual(['a', 'b']);
    expect(retries).toEqual(['a:not-sent']);
  });

  it('fails over on 429 and on a 503 that proves the request was not processed, without an Idempotency-Key', async () => {
    const { run, sent } = setup({
      a: { outcome: { kind: 'response', status: 503, notProcessed: true } },
      b: { outcome: { kind: 'response', status: 429 } },
      c: ok,
    });
    expect(await run()).toMatchObject({ kind: 'response', provider: 'c', status: 200 });
    expect(sent).toEqual(['a', 'b', 'c']);
  });

  it('does not send a timed-out request again without an Idempotency-Key', async () => {
    const { run, sent } = setup({ a: timedOut, b: ok, c: ok });
    const result = await run(false);
    expect(result).toMatchObject({ kind: 'failed', reason: 'timeout' });
    expect(sent).toEqual(['a']);
  });

  it('retries a timed-out request elsewhere when it has an Idempotency-Key', async () => {
    const { run, sent } = setup({ a: timedOut, b: ok, c: ok });
    expect(await run(true)).toMatchObject({ kind: 'response', provider: 'b' });
    expect(sent).toEqual(['a', 'b']);
  });

  it('returns a 502 from upstream as-is without an Idempotency-Key', async () => {
    const { run, sent } = setup({ a: { outcome: { kind: 'response', status: 502 } }, b: ok });
    expect(await run(false)).toMatchObject({ kind: 'response', provider: 'a', status: 502 });
    expect(sent).toEqual(['a']);
  });

  it('makes at most 2 extra attempts, each on a different provider', async () => {
    const { run, sent } = setup({ a: refused, b: refused, c: refused, d: refused });
    const result = await run();
    expect(result).toMatchObject({ kind: 'failed', reason: 'unreachable' });
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(3);
  });

  it('stops at the client deadline', async () => {
    const { run, sent } = setup({ a: timedOut, b: timedOut, c: ok });
    const result = await run(true, 6_000);
    // a uses 5 s; b gets the remaining 1 s and the client's deadline ends it; no time is left for c.
    expect(sent).toEqual(['a', 'b']);
    expect(result).toMatchObject({ kind: 'failed', reason: 'deadline' });
    expect(result.attempts.map((attempt) => attempt.latencyMs)).toEqual([5_000, 1_000]);
  });

  it('stops retrying when the retry budget is spent', async () => {
    // No floor: one request buys 20 % of a retry, i.e. exactly one retry (0 < 0.2), then none.
    const { run, sent } = setup({ a: refused, b: refused, c: ok }, 0);
    await run();
    expect(sent).toEqual(['a', 'b']);
  });

  it('marks attempts made in panic mode', async () => {
    const { run, registry } = setup({ a: ok, b: ok });
    for (const name of ['a', 'b']) {
      for (let failure = 0; failure < 5; failure++) {
        registry.recordAttempt(name, 'admit', { kind: 'response', status: 500 }, 1);
      }
    }
    const result = await run();
    expect(result.kind).toBe('response');
    expect(result.attempts[0].panic).toBe(true);
  });

  it('reports no provider when nothing serves the model', async () => {
    const { registry, time } = setup({ a: ok });
    const result = await runWithFailover(
      registry,
      new RetryBudget({ ratio: 0.2, minRetriesPerWindow: 3, windowMs: 1_000 }, time.clock),
      time.clock,
      {
        model: 'other',
        version: undefined,
        hasIdempotencyKey: false,
        deadline: time.clock() + 1_000,
        maxExtraAttempts: 2,
        attemptTimeoutMs: 1_000,
        send: async () => ({ outcome: { kind: 'response', status: 200 } }),
      },
    );
    expect(result).toEqual({ kind: 'failed', reason: 'no-provider', attempts: [], unanswered: [] });
  });

  it('does not resend a 503 that may have been processed without an Idempotency-Key, and does with one', async () => {
    // Behind the mesh: "upstream connect error or disconnect/reset before headers. reset reason: connection termination".
    const maybeProcessed = { outcome: { kind: 'response', status: 503 } as AttemptOutcome };
    const without = setup({ a: maybeProcessed, b: ok });
    expect(await without.run(false)).toMatchObject({ kind: 'response', provider: 'a', status: 503 });
    expect(without.sent).toEqual(['a']);
    const withKey = setup({ a: maybeProcessed, b: ok });
    expect(await withKey.run(true)).toMatchObject({ kind: 'response', provider: 'b', status: 200 });
    expect(withKey.sent).toEqual(['a', 'b']);
  });

  it("does not count an attempt ended by the client's own deadline against the provider", async () => {
    // Providers answer in 20 ms; the clients ask for 10 ms. Far more than it takes to open a breaker.
    const { run, registry } = setup({ a: { outcome: { kind: 'timeout' }, ms: 20 }, b: ok });
    for (let request = 0; request < 30; request++) {
      expect(await run(false, 10)).toMatchObject({ kind: 'failed', reason: 'deadline' });
    }
    const a = registry.snapshot().find((provider) => provider.name === 'a');
    expect(a).toMatchObject({ breaker: 'closed', errorRate: 0, requestsInWindow: 0, latencyMs: undefined });
  });

  it("does not blame the provider when the client's deadline ends an attempt still waiting to be sent", async () => {
    const queued = { kind: 'not-sent', reason: QUEUED_PAST_ATTEMPT_TIMEOUT } as AttemptOutcome;
    const { run, registry } = setup({ a: { outcome: queued, ms: 20 }, b: ok });
    for (let request = 0; request < 10; request++) {
      expect(await run(false, 10)).toMatchObject({ kind: 'failed', reason: 'deadline' });
    }
    expect(registry.snapshot().find((provider) => provider.name === 'a')).toMatchObject({
      breaker: 'closed',
      requestsInWindow: 0,
    });
  });

  it('still counts a timeout of the gateway attempt limit against the provider', async () => {
    const { run, registry } = setup({ a: timedOut, b: ok });
    await run(false, 60_000);
    expect(registry.snapshot().find((provider) => provider.name === 'a')?.errorRate).toBe(1);
  });

  it('hedges an idempotent request to another provider when its attempt stays unanswered, and sends no new request to the silent provider', async () => {
    const time = fakeClock();
    const registry = new ProviderRegistry(
      [
        { name: 'a', costPer1kRequests: 0.1, models: ['iris'] },
        { name: 'b', costPer1kRequests: 0.5, models: ['iris'] },
      ],
      registryOptions(20),
      time.clock,
      () => 0.5,
    );
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerWindow: 3, windowMs: 10_000 }, time.clock);
    let releaseA: (() => void) | undefined;
    const sent: string[] = [];
    const retries: string[] = [];
    const request = (hasIdempotencyKey: boolean) =>
      runWithFailover(registry, budget, time.clock, {
        model: 'iris',
        version: undefined,
        hasIdempotencyKey,
        deadline: time.clock() + 10_000,
        maxExtraAttempts: 2,
        attemptTimeoutMs: 5_000,
        send: (provider) => {
          sent.push(provider);
          if (provider === 'b')
            return Promise.resolve({ outcome: { kind: 'response', status: 200 }, payload: 'b' });
          // a is hung: it answers only when the test lets it (as its attempt timeout would).
          return new Promise((resolve) => {
            releaseA = () => resolve({ outcome: { kind: 'timeout' } });
          });
        },
        onRetry: (from, reason) => retries.push(`${from}:${reason}`),
      });
    const hedged = await request(true);
    expect(hedged).toMatchObject({ kind: 'response', provider: 'b', status: 200, unanswered: ['a'] });
    expect(sent).toEqual(['a', 'b']);
    expect(retries).toEqual(['a:slow']);
    // a is still silent with a request outstanding: new requests go to b, even without a key.
    time.advance(100);
    expect(registry.snapshot().find((provider) => provider.name === 'a')?.slow).toBe(true);
    expect(await request(false)).toMatchObject({ kind: 'response', provider: 'b' });
    expect(sent).toEqual(['a', 'b', 'b']);
    // The attempt left behind ends on its own and is recorded against a.
    releaseA?.();
    await new Promise((resolve) => setImmediate(resolve));
    const a = registry.snapshot().find((provider) => provider.name === 'a');
    expect(a).toMatchObject({ slow: false, errorRate: 1 });
  });
});
