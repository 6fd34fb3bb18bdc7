/*
 * Circuit breaker, one per provider.
 *
 * Why not cockatiel's CircuitBreakerPolicy (3.2.1, read from its sources): it wraps a call
 * (`execute(fn)`) instead of answering "may I send to this provider?", and the gateway needs that
 * answer for every provider *before* it scores and picks one. Its half-open state makes every
 * concurrent caller wait for the probe's result instead of rejecting them, which would stall
 * requests that should fail over to another provider at once. It reads `Date.now()` directly,
 * so transitions cannot be driven by an injected clock. Its SamplingBreaker opens on
 * "> threshold" with a minimum expressed as requests per second, not "≥ 50 % over ≥ 10
 * requests". Composing consecutive + sampling and a capped, jittered linear ejection would need
 * a custom IBreaker and IBackoff anyway, leaving little of the library in use. Hence this small
 * state machine, whose every transition is unit-tested with a fake clock.
 */
import type { Clock, Random } from './clock';
import { SlidingWindowCounter } from './window';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Open after this many failures in a row. */
  consecutiveFailures: number;
  /** Open when failures / requests reaches this ratio over the window... */
  failureRateThreshold: number;
  /** ...provided the window holds at least this many requests. */
  minimumRequests: number;
  windowMs: number;
  /** The n-th consecutive ejection lasts baseEjectionMs × n, at most maxEjectionMs. */
  baseEjectionMs: number;
  maxEjectionMs: number;
  /** Up to this fraction is taken off each ejection at random, so replicas do not probe in lockstep. */
  jitterRatio: number;
  /** A probe that never reports back frees the half-open slot after this long. */
  probeTimeoutMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  consecutiveFailures: 5,
  failureRateThreshold: 0.5,
  minimumRequests: 10,
  windowMs: 60_000,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  jitterRatio: 0.1,
  probeTimeoutMs: 30_000,
};

/** What the caller may do: send normally, send as the single half-open probe, or not send. */
export type Admission = 'admit' | 'probe' | 'reject';

export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  /** Set when the transition is an ejection: how long the provider is out. */
  ejectionMs?: number;
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutiveFailureCount = 0;
  private consecutiveEjections = 0;
  private openUntil = 0;
  private probeStartedAt: number | undefined;
  private lastFailureAt: number | undefined;
  private readonly window: SlidingWindowCounter;

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly onTransition: (transition: BreakerTransition) => void = () => {},
  ) {
    this.window = new SlidingWindowCounter(options.windowMs, clock);
  }

  /** The state as of now: an open breaker whose ejection has elapsed reads as half-open. */
  get state(): BreakerState {
    if (this.current === 'open' && this.clock() >= this.openUntil) return 'half-open';
    return this.current;
  }

  /** Time of the last recorded failure, used to pick a provider in panic mode. */
  get lastFailure(): number | undefined {
    return this.lastFailureAt;
  }

  get ejections(): number {
    return this.consecutiveEjections;
  }

  /** Would `acquire()` let a request through right now? Has no side effects. */
  canAdmit(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    return !this.probeInFlight();
  }

  /**
   * Reserve the right to send one request. In half-open only one caller gets 'probe'; the
   * others get 'reject' and should go elsewhere until the probe reports back.
   */
  acquire(): Admission {
    const state = this.state;
    if (state === 'closed') return 'admit';
    if (state === 'open') return 'reject';
    if (this.probeInFlight()) return 'reject';
    if (this.current === 'open') this.transition('half-open');
    this.probeStartedAt = this.clock();
    return 'probe';
  }

  /**
   * Panic mode sends to a provider whose breaker is open; its result counts like a probe's so a
   * recovered provider closes its breaker even before the ejection has elapsed.
   */
  acquireInPanic(): Admission {
    const admission = this.acquire();
    if (admission !== 'reject') return admission;
    if (this.current === 'open') this.transition('half-open');
    this.probeStartedAt = this.clock();
    return 'probe';
  }

  recordSuccess(admission: Admission): void {
    this.window.record(true);
    this.consecutiveFailureCount = 0;
    if (admission === 'probe' && this.current === 'half-open') {
      this.probeStartedAt = undefined;
      this.consecutiveEjections = 0;
      this.window.reset();
      this.transition('closed');
    }
  }

  recordFailure(admission: Admission): void {
    const now = this.clock();
    this.lastFailureAt = now;
    this.window.record(false);
    this.consecutiveFailureCount += 1;
    if (admission === 'probe' && this.current === 'half-open') {
      this.probeStartedAt = undefined;
      this.eject();
      return;
    }
    if (this.current !== 'closed') return;
    const totals = this.window.totals();
    const tooManyInARow = this.consecutiveFailureCount >= this.options.consecutiveFailures;
    const tooManyInWindow =
      totals.total >= this.options.minimumRequests && totals.failureRate >= this.options.failureRateThreshold;
    if (tooManyInARow || tooManyInWindow) this.eject();
  }

  /**
   * A request that was admitted but whose outcome says nothing about the provider (the client
   * went away, or the request was a 4xx) must still free a probe slot.
   */
  release(admission: Admission): void {
    if (admission === 'probe') this.probeStartedAt = undefined;
  }

  /** Milliseconds until an open breaker admits a probe; 0 when it is not open. */
  remainingEjectionMs(): number {
    return this.current === 'open' ? Math.max(0, this.openUntil - this.clock()) : 0;
  }

  private eject(): void {
    this.consecutiveEjections += 1;
    const linear = this.options.baseEjectionMs * this.consecutiveEjections;
    const capped = Math.min(linear, this.options.maxEjectionMs);
    // Jitter only shortens the ejection, so the cap stays a hard upper bound.
    const ejectionMs = capped * (1 - this.options.jitterRatio * this.random());
    this.openUntil = this.clock() + ejectionMs;
    this.consecutiveFailureCount = 0;
    this.transition('open', ejectionMs);
  }

  private probeInFlight(): boolean {
    if (this.probeStartedAt === undefined) return false;
    if (this.clock() - this.probeStartedAt >= this.options.probeTimeoutMs) {
      this.probeStartedAt = undefined;
      return false;
    }
    return true;
  }

  private transition(to: BreakerState, ejectionMs?: number): void {
    const from = this.current;
    this.current = to;
    if (from !== to) this.onTransition({ from, to, ejectionMs });
  }
}
