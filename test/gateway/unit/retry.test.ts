import { RetryBudget } from '../../../gateway/src/routing/budget';
import { type AttemptOutcome, isProviderFailure, retryVerdict } from '../../../gateway/src/routing/outcome';
import { fakeClock } from './fake-clock';

const response = (status: number): AttemptOutcome => ({ kind: 'response', status });

describe('retry safety', () => {
  it.each<[string, AttemptOutcome]>([
    ['connection refused', { kind: 'not-sent', reason: 'ECONNREFUSED' }],
    ['429', response(429)],
    ['a 503 proving the request was not processed', { kind: 'response', status: 503, notProcessed: true }],
  ])('always retries after %s, with or without an Idempotency-Key', (_name, outcome) => {
    expect(retryVerdict(outcome, false).retry).toBe(true);
    expect(retryVerdict(outcome, true).retry).toBe(true);
  });

  it.each<[string, AttemptOutcome]>([
    ['a timeout', { kind: 'timeout' }],
    ['502', response(502)],
    ['a 503 that may come after the request was processed', response(503)],
    ['504', response(504)],
    ['a reset after the request was written', { kind: 'reset-after-send', reason: 'UND_ERR_SOCKET' }],
  ])('retries after %s only with an Idempotency-Key', (_name, outcome) => {
    expect(retryVerdict(outcome, false)).toEqual({ retry: false, reason: 'not-idempotent' });
    expect(retryVerdict(outcome, true).retry).toBe(true);
  });

  it.each([200, 204, 400, 404, 408, 413, 500, 501])('treats %i as the final answer', (status) => {
    expect(retryVerdict(response(status), true).retry).toBe(false);
  });

  it('never retries a request the client abandoned', () => {
    expect(retryVerdict({ kind: 'cancelled' }, true).retry).toBe(false);
  });
});

describe('provider failures', () => {
  it.each([500, 502, 503, 504, 408, 429])('%i counts against the provider', (status) => {
    expect(isProviderFailure(response(status))).toBe(true);
  });

  it.each([200, 400, 401, 404, 413, 422])('%i does not', (status) => {
    expect(isProviderFailure(response(status))).toBe(false);
  });

  it('connect errors, resets and timeouts count; client cancellations do not', () => {
    expect(isProviderFailure({ kind: 'not-sent', reason: 'ECONNREFUSED' })).toBe(true);
    expect(isProviderFailure({ kind: 'reset-after-send', reason: 'ECONNRESET' })).toBe(true);
    expect(isProviderFailure({ kind: 'timeout' })).toBe(true);
    expect(isProviderFailure({ kind: 'cancelled' })).toBe(false);
  });
});

describe('retry budget', () => {
  const options = { ratio: 0.2, minRetriesPerWindow: 3, windowMs: 10_000 };

  it('allows the floor of 3 retries with no traffic', () => {
    const budget = new RetryBudget(options, fakeClock().clock);
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('allows 20 % of requests plus the floor', () => {
    const budget = new RetryBudget(options, fakeClock().clock);
    for (let request = 0; request < 100; request++) budget.recordRequest();
    let allowed = 0;
    while (budget.tryRetry() && allowed < 1_000) allowed += 1;
    expect(allowed).toBe(23);
  });

  it('refills as old requests and retries leave the window', () => {
    const time = fakeClock();
    const budget = new RetryBudget(options, time.clock);
    while (budget.tryRetry()) {}
    expect(budget.tryRetry()).toBe(false);
    time.advance(11_000);
    expect(budget.tryRetry()).toBe(true);
    expect(budget.totals()).toEqual({ requests: 0, retries: 1 });
  });
});
