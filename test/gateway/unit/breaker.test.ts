import {
  type BreakerOptions,
  type BreakerTransition,
  CircuitBreaker,
} from '../../../gateway/src/routing/breaker';
import { fakeClock } from './fake-clock';

const options: BreakerOptions = {
  consecutiveFailures: 5,
  failureRateThreshold: 0.5,
  minimumRequests: 10,
  windowMs: 60_000,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  jitterRatio: 0.1,
  probeTimeoutMs: 10_000,
};

function setup(random = () => 0) {
  const time = fakeClock();
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker(options, time.clock, random, (transition) =>
    transitions.push(transition),
  );
  const fail = (times: number) => {
    for (let index = 0; index < times; index++) breaker.recordFailure(breaker.acquire());
  };
  const succeed = (times: number) => {
    for (let index = 0; index < times; index++) breaker.recordSuccess(breaker.acquire());
  };
  return { time, breaker, transitions, fail, succeed };
}

describe('circuit breaker', () => {
  it('stays closed below 5 consecutive failures and opens on the fifth', () => {
    const { breaker, fail } = setup();
    fail(4);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('open');
    expect(breaker.acquire()).toBe('reject');
    expect(breaker.canAdmit()).toBe(false);
  });

  it('a success resets the consecutive count', () => {
    const { breaker, fail, succeed } = setup();
    fail(4);
    succeed(1);
    fail(4);
    expect(breaker.state).toBe('closed');
  });

  it('opens at 50 % failures once the window holds 10 requests', () => {
    const { breaker, fail, succeed } = setup();
    // Alternate so the consecutive rule never fires: 4 failures / 9 requests so far.
    for (let round = 0; round < 4; round++) {
      succeed(1);
      fail(1);
    }
    succeed(1);
    expect(breaker.state).toBe('closed');
    fail(1); // 5 / 10 = 50 %
    expect(breaker.state).toBe('open');
  });

  it('does not open on a high failure ratio with fewer than 10 requests', () => {
    const { breaker, fail, succeed } = setup();
    for (let round = 0; round < 4; round++) {
      fail(1);
      succeed(1);
    }
    fail(1); // 5 failures / 9 requests
    expect(breaker.state).toBe('closed');
  });

  it('forgets failures older than the 60 s window', () => {
    const { breaker, fail, succeed, time } = setup();
    for (let round = 0; round < 4; round++) {
      fail(1);
      succeed(1);
    }
    time.advance(61_000);
    succeed(1);
    fail(1);
    expect(breaker.state).toBe('closed');
  });

  it('half-opens after the ejection and admits exactly one probe', () => {
    const { breaker, fail, time } = setup();
    fail(5);
    time.advance(29_999);
    expect(breaker.state).toBe('open');
    time.advance(1);
    expect(breaker.state).toBe('half-open');
    expect(breaker.acquire()).toBe('probe');
    expect(breaker.acquire()).toBe('reject');
    expect(breaker.canAdmit()).toBe(false);
  });

  it('closes when the probe succeeds and resets the ejection count', () => {
    const { breaker, fail, time, transitions } = setup();
    fail(5);
    time.advance(30_000);
    breaker.recordSuccess(breaker.acquire());
    expect(breaker.state).toBe('closed');
    expect(breaker.ejections).toBe(0);
    expect(transitions.map((transition) => transition.to)).toEqual(['open', 'half-open', 'closed']);
    // The next ejection is the first again: 30 s.
    fail(5);
    expect(breaker.remainingEjectionMs()).toBe(30_000);
  });

  it('re-opens for 30 s × consecutive ejections when probes fail, capped at 300 s', () => {
    const { breaker, fail, time } = setup();
    fail(5);
    const ejections: number[] = [breaker.remainingEjectionMs()];
    for (let round = 0; round < 11; round++) {
      time.advance(breaker.remainingEjectionMs());
      breaker.recordFailure(breaker.acquire());
      ejections.push(breaker.remainingEjectionMs());
    }
    expect(ejections.slice(0, 4)).toEqual([30_000, 60_000, 90_000, 120_000]);
    expect(Math.max(...ejections)).toBe(300_000);
    expect(ejections.at(-1)).toBe(300_000);
  });

  it('jitter only shortens an ejection, by at most the jitter ratio', () => {
    const { breaker, fail } = setup(() => 0.999);
    fail(5);
    const remaining = breaker.remainingEjectionMs();
    expect(remaining).toBeLessThan(30_000);
    expect(remaining).toBeGreaterThanOrEqual(30_000 * (1 - options.jitterRatio));
  });

  it('frees the probe slot when the probe is released or never reports back', () => {
    const { breaker, fail, time } = setup();
    fail(5);
    time.advance(30_000);
    breaker.release(breaker.acquire());
    expect(breaker.acquire()).toBe('probe');
    time.advance(options.probeTimeoutMs);
    expect(breaker.acquire()).toBe('probe');
  });

  it('late results of requests admitted before the breaker opened do not change an open breaker', () => {
    const { breaker, fail } = setup();
    const inFlight = breaker.acquire();
    fail(5);
    const remaining = breaker.remainingEjectionMs();
    breaker.recordSuccess(inFlight);
    expect(breaker.state).toBe('open');
    expect(breaker.remainingEjectionMs()).toBe(remaining);
  });

  it('in panic a request goes through an open breaker as a probe and can close it', () => {
    const { breaker, fail } = setup();
    fail(5);
    const admission = breaker.acquireInPanic();
    expect(admission).toBe('probe');
    breaker.recordSuccess(admission);
    expect(breaker.state).toBe('closed');
  });

  it('remembers when it last failed', () => {
    const { breaker, fail, time } = setup();
    expect(breaker.lastFailure).toBeUndefined();
    fail(1);
    const first = breaker.lastFailure;
    time.advance(10);
    fail(1);
    expect(breaker.lastFailure).toBe((first ?? 0) + 10);
  });
});
