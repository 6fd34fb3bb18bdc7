import { DEFAULT_BREAKER_OPTIONS } from '../../../gateway/src/routing/breaker';
import { RetryBudget } from '../../../gateway/src/routing/budget';
import { runWithFailover } from '../../../gateway/src/routing/failover';
import type { AttemptOutcome } from '../../../gateway/src/routing/outcome';
import { ProviderRegistry } from '../../../gateway/src/routing/registry';
import { fakeClock } from './fake-clock';

/**
 * The failover loop with a scripted "network": each provider answers with a fixed outcome and
 * takes a fixed time on the fake clock.
 */
function setup(script: Record<string, { outcome: AttemptOutcome; ms?: number }>, budgetFloor = 3) {
  const time = fakeClock();
  const names = Object.keys(script);
  const registry = new ProviderRegistry(
    names.map((name, index) => ({ name, costPer1kRequests: 0.1 * (index + 1), models: ['iris'] })),
    {
      weights: { latency: 0.4, cost: 0.3, reliability: 0.3 },
      tieBuffer: 0,
      latencyHalfLifeMs: 1_000,
      errorWindowMs: 60_000,
      breaker: DEFAULT_BREAKER_OPTIONS,
      health: { unhealthyAfter: 3, healthyAfter: 2 },
    },
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

  it('fails over on 503 and 429 without an Idempotency-Key', async () => {
    const { run, sent } = setup({
      a: { outcome: { kind: 'response', status: 503 } },
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
    // a uses 5 s; b gets the remaining 1 s and times out; no time is left for c.
    expect(sent).toEqual(['a', 'b']);
    expect(result).toMatchObject({ kind: 'failed', reason: 'timeout' });
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
    expect(result).toEqual({ kind: 'failed', reason: 'no-provider', attempts: [] });
  });
});
