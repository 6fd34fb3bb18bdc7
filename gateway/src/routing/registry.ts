import {
  type Admission,
  type BreakerOptions,
  type BreakerState,
  type BreakerTransition,
  CircuitBreaker,
} from './breaker';
import type { Clock, Random } from './clock';
import { TimeDecayedEwma } from './ewma';
import { findSkewedProviders, type HealthState, type HealthThresholds, HealthTracker } from './health';
import { type AttemptOutcome, isProviderFailure } from './outcome';
import { fleetReference, pickBest, type ScoreBreakdown, type ScoreWeights, score } from './score';
import { SlidingWindowCounter } from './window';

export interface ProviderDefinition {
  name: string;
  costPer1kRequests: number;
  models: readonly string[];
}

export interface RegistryOptions {
  weights: ScoreWeights;
  /** Scores within this distance of the best are treated as a tie and shared by weighted random. */
  tieBuffer: number;
  latencyHalfLifeMs: number;
  errorWindowMs: number;
  breaker: BreakerOptions;
  health: HealthThresholds;
  slowProvider: SlowProviderOptions;
}

/**
 * When a provider counts as slow (probably hung): it has requests outstanding and has answered
 * nothing for longer than `max(minMs, latencyMultiple × its latency average)`. A slow provider
 * gets no new requests while another candidate exists, and idempotent requests waiting on it
 * start a second attempt elsewhere (hedge) once their own attempt is that old.
 */
export interface SlowProviderOptions {
  /** How many times its usual latency a provider may stay silent before it counts as slow. */
  latencyMultiple: number;
  /** Floor on that time, so a provider answering in 2 ms is not called slow after 20 ms of noise. */
  minMs: number;
}

/** One attempt in flight on a provider; returned by select() and handed back to recordAttempt(). */
export interface InFlight {
  readonly startedAt: number;
}

/** What a provider's health check learned about one model. */
export interface ModelReport {
  /** Versions in state AVAILABLE. */
  versions: string[];
  /** A stable digest of the serving signature, or undefined when metadata was not readable. */
  signature: string | undefined;
}

export interface HealthCheckResult {
  passed: boolean;
  latencyMs?: number;
  models?: ReadonlyMap<string, ModelReport>;
}

export interface Selection {
  provider: string;
  admission: Admission;
  /** True when every breaker was open and this provider was picked as the least recently failed. */
  panic: boolean;
  /** The attempt's entry in the provider's in-flight set, for the slow-provider signal. */
  inFlight: InFlight;
}

export interface ProviderSnapshot {
  name: string;
  models: string[];
  costPer1kRequests: number;
  health: HealthState;
  breaker: BreakerState;
  ejections: number;
  remainingEjectionMs: number;
  /** Requests outstanding and nothing answered for far longer than its usual latency (see SlowProviderOptions). */
  slow: boolean;
  latencyMs: number | undefined;
  errorRate: number;
  requestsInWindow: number;
  score: ScoreBreakdown;
  /** Models this provider is excluded from because it disagrees with the others on versions or signature. */
  skewedModels: string[];
  modelVersions: Record<string, string[]>;
}

export type RegistryEvent =
  | { type: 'breaker'; provider: string; transition: BreakerTransition }
  | { type: 'health'; provider: string; state: HealthState }
  | { type: 'slow'; provider: string; slow: boolean; silentMs: number }
  | { type: 'skew'; provider: string; model: string; excluded: boolean };

class ProviderState {
  readonly latency: TimeDecayedEwma;
  readonly errors: SlidingWindowCounter;
  readonly breaker: CircuitBreaker;
  readonly health: HealthTracker;
  readonly reports = new Map<string, ModelReport>();
  readonly skewedModels = new Set<string>();
  /** Attempts in flight, in the order they started (a Set iterates in insertion order: the first is the oldest). */
  readonly inFlight = new Set<InFlight>();
  /** When an attempt on this provider last ended with an answer (any status): it was alive then. */
  lastAnswerAt = Number.NEGATIVE_INFINITY;
  /** The slow signal as last reported, so a change is logged once. */
  reportedSlow = false;

  constructor(
    readonly definition: ProviderDefinition,
    options: RegistryOptions,
    clock: Clock,
    random: Random,
    onTransition: (transition: BreakerTransition) => void,
  ) {
    this.latency = new TimeDecayedEwma(options.latencyHalfLifeMs, clock);
    this.errors = new SlidingWindowCounter(options.errorWindowMs, clock);
    this.breaker = new CircuitBreaker(options.breaker, clock, random, onTransition);
    this.health = new HealthTracker(options.health);
  }

  serves(model: string, version: string | undefined): boolean {
    if (!this.definition.models.includes(model)) return false;
    if (this.skewedModels.has(model)) return false;
    if (version === undefined) return true;
    return this.mayServeVersion(model, version);
  }

  /** Until a health check has reported versions, trust the routing table. */
  mayServeVersion(model: string, version: string): boolean {
    const report = this.reports.get(model);
    return report === undefined || report.versions.includes(version);
  }

  /** How long this provider has been silent with requests outstanding; 0 when nothing is outstanding. */
  silentMs(now: number): number {
    const oldest = this.inFlight.values().next();
    if (oldest.done) return 0;
    return now - Math.max(this.lastAnswerAt, oldest.value.startedAt);
  }
}

/**
 * The live view of all providers: latency and error statistics, breakers, health and model
 * versions, and the choice of provider for each attempt. Pure: time and randomness are injected.
 */
export class ProviderRegistry {
  private readonly providers = new Map<string, ProviderState>();
  private listeners: Array<(event: RegistryEvent) => void> = [];

  constructor(
    definitions: readonly ProviderDefinition[],
    private readonly options: RegistryOptions,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {
    for (const definition of definitions) {
      const state = new ProviderState(definition, options, clock, random, (transition) =>
        this.emit({ type: 'breaker', provider: definition.name, transition }),
      );
      this.providers.set(definition.name, state);
    }
  }

  onEvent(listener: (event: RegistryEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Every model some provider serves, from the routing table. */
  get models(): Set<string> {
    const models = new Set<string>();
    for (const provider of this.providers.values())
      for (const model of provider.definition.models) models.add(model);
    return models;
  }

  /** Ready when at least one provider passed its health check and is not excluded from every model. */
  get ready(): boolean {
    for (const provider of this.providers.values()) {
      if (provider.health.state !== 'healthy') continue;
      if (provider.definition.models.some((model) => !provider.skewedModels.has(model))) return true;
    }
    return false;
  }

  /** Is there any provider left to try for this model? Has no side effects (select() reserves breaker slots). */
  hasCandidate(model: string, version: string | undefined, exclude: ReadonlySet<string>): boolean {
    for (const provider of this.providers.values()) {
      if (!exclude.has(provider.definition.name) && provider.serves(model, version)) return true;
    }
    return false;
  }

  /**
   * Is `version` of `model` known to any provider of the routing table (health checks report
   * versions; a provider not checked yet may serve any)? False means the version does not exist,
   * as opposed to no provider being available for it right now.
   */
  versionExists(model: string, version: string): boolean {
    for (const provider of this.providers.values()) {
      if (provider.definition.models.includes(model) && provider.mayServeVersion(model, version)) return true;
    }
    return false;
  }

  /**
   * How long an attempt on this provider may stay unanswered before it counts as slow:
   * `max(minMs, latencyMultiple × latency average)`, or `minMs` without a latency sample.
   */
  slowAfterMs(name: string): number {
    const { latencyMultiple, minMs } = this.options.slowProvider;
    const latency = this.require(name).latency.value();
    return Math.max(minMs, latency === undefined ? 0 : latency * latencyMultiple);
  }

  /** The slow-provider signal; a change is reported as a 'slow' event. */
  private isSlow(provider: ProviderState): boolean {
    const silentMs = provider.silentMs(this.clock());
    const slow = silentMs > this.slowAfterMs(provider.definition.name);
    if (slow !== provider.reportedSlow) {
      provider.reportedSlow = slow;
      this.emit({ type: 'slow', provider: provider.definition.name, slow, silentMs: Math.round(silentMs) });
    }
    return slow;
  }

  /**
   * Chooses the provider for the next attempt at `model`, skipping `exclude` (providers already
   * tried for this request). Among routable providers whose breaker admits a request, the best
   * score wins (ties shared by weighted random). When none admits, panic mode picks the least
   * recently failed provider that serves the model rather than failing the request outright.
   */
  select(model: string, version: string | undefined, exclude: ReadonlySet<string>): Selection | undefined {
    const serving = [...this.providers.values()].filter(
      (provider) => !exclude.has(provider.definition.name) && provider.serves(model, version),
    );
    if (serving.length === 0) return undefined;

    const open = serving.filter((provider) => provider.health.routable && provider.breaker.canAdmit());
    // A provider that has gone silent (probably hung) gets no new requests while another can take them.
    const responsive = open.filter((provider) => !this.isSlow(provider));
    const admissible = responsive.length > 0 ? responsive : open;
    if (admissible.length > 0) {
      const scored = this.scoreAll(admissible);
      const chosen = pickBest(scored, this.options.tieBuffer, this.random);
      if (chosen !== undefined) {
        const admission = chosen.provider.breaker.acquire();
        if (admission !== 'reject')
          return {
            provider: chosen.provider.definition.name,
            admission,
            panic: false,
            inFlight: this.startAttempt(chosen.provider),
          };
      }
    }

    // Panic: prefer providers the health checks still consider routable, then anything serving.
    const pool = serving.some((provider) => provider.health.routable)
      ? serving.filter((provider) => provider.health.routable)
      : serving;
    const leastRecentlyFailed = pool.reduce((best, candidate) =>
      (candidate.breaker.lastFailure ?? Number.NEGATIVE_INFINITY) <
      (best.breaker.lastFailure ?? Number.NEGATIVE_INFINITY)
        ? candidate
        : best,
    );
    return {
      provider: leastRecentlyFailed.definition.name,
      admission: leastRecentlyFailed.breaker.acquireInPanic(),
      panic: true,
      inFlight: this.startAttempt(leastRecentlyFailed),
    };
  }

  private startAttempt(provider: ProviderState): InFlight {
    const entry = { startedAt: this.clock() };
    provider.inFlight.add(entry);
    return entry;
  }

  /**
   * Feeds one attempt's result into the provider's latency, error rate and breaker. `inFlight`
   * is the selection's entry, removed from the provider's outstanding attempts.
   */
  recordAttempt(
    name: string,
    admission: Admission,
    outcome: AttemptOutcome,
    latencyMs: number,
    inFlight?: InFlight,
  ): void {
    const provider = this.require(name);
    if (inFlight) provider.inFlight.delete(inFlight);
    if (outcome.kind === 'response') provider.lastAnswerAt = this.clock();
    // Neither says anything about the provider: the client left, or its own deadline ended the attempt.
    if (outcome.kind === 'cancelled' || outcome.kind === 'deadline') {
      provider.breaker.release(admission);
      return;
    }
    const failed = isProviderFailure(outcome);
    // A fast 5xx says nothing about how fast the provider serves predictions, and would make a failing
    // provider look like the fastest: only served answers, and timeouts (a floor on its slowness), count.
    if (outcome.kind === 'timeout' || (outcome.kind === 'response' && !failed))
      provider.latency.observe(latencyMs);
    provider.errors.record(!failed);
    if (failed) provider.breaker.recordFailure(admission);
    else provider.breaker.recordSuccess(admission);
  }

  /**
   * Feeds one active health check. Its round-trip time also feeds the latency average: it is
   * the only signal for a provider that receives no traffic, and without it a provider that was
   * slow once would never be measured again.
   */
  recordHealthCheck(name: string, result: HealthCheckResult): void {
    const provider = this.require(name);
    if (result.passed && result.latencyMs !== undefined) provider.latency.observe(result.latencyMs);
    if (provider.health.record(result.passed))
      this.emit({ type: 'health', provider: name, state: provider.health.state });
    if (result.models) {
      for (const [model, report] of result.models) provider.reports.set(model, report);
    }
    for (const model of provider.definition.models) this.recomputeSkew(model);
  }

  snapshot(): ProviderSnapshot[] {
    const all = [...this.providers.values()];
    const scored = new Map(this.scoreAll(all).map((entry) => [entry.provider, entry.breakdown]));
    return all.map((provider) => {
      const totals = provider.errors.totals();
      return {
        name: provider.definition.name,
        models: [...provider.definition.models],
        costPer1kRequests: provider.definition.costPer1kRequests,
        health: provider.health.state,
        breaker: provider.breaker.state,
        ejections: provider.breaker.ejections,
        remainingEjectionMs: provider.breaker.remainingEjectionMs(),
        slow: provider.silentMs(this.clock()) > this.slowAfterMs(provider.definition.name),
        latencyMs: provider.latency.value(),
        errorRate: totals.failureRate,
        requestsInWindow: totals.total,
        score: scored.get(provider) ?? { latency: 0, cost: 0, reliability: 0, total: 0 },
        skewedModels: [...provider.skewedModels],
        modelVersions: Object.fromEntries(
          [...provider.reports].map(([model, report]) => [model, report.versions]),
        ),
      };
    });
  }

  costPer1k(name: string): number {
    return this.require(name).definition.costPer1kRequests;
  }

  private scoreAll(providers: ProviderState[]) {
    const reference = fleetReference(
      providers.map((provider) => ({
        costPer1kRequests: provider.definition.costPer1kRequests,
        latencyMs: provider.latency.value(),
      })),
    );
    return providers.map((provider) => {
      const breakdown = score(
        provider.definition,
        { latencyMs: provider.latency.value(), errorRate: provider.errors.totals().failureRate },
        this.options.weights,
        reference,
      );
      return { provider, breakdown, score: breakdown.total };
    });
  }

  private recomputeSkew(model: string): void {
    const fingerprints = new Map<string, string>();
    for (const provider of this.providers.values()) {
      const report = provider.reports.get(model);
      if (!provider.definition.models.includes(model) || report === undefined) continue;
      if (provider.health.state !== 'healthy') continue;
      fingerprints.set(provider.definition.name, fingerprint(report));
    }
    const { skewed } = findSkewedProviders(fingerprints);
    for (const provider of this.providers.values()) {
      const name = provider.definition.name;
      // Providers not compared this round (unhealthy, no report) keep their previous flag.
      if (!fingerprints.has(name)) continue;
      const wasSkewed = provider.skewedModels.has(model);
      const isSkewed = skewed.has(name);
      if (wasSkewed === isSkewed) continue;
      if (isSkewed) provider.skewedModels.add(model);
      else provider.skewedModels.delete(model);
      this.emit({ type: 'skew', provider: name, model, excluded: isSkewed });
    }
  }

  private require(name: string): ProviderState {
    const provider = this.providers.get(name);
    if (!provider) throw new Error(`unknown provider ${name}`);
    return provider;
  }

  private emit(event: RegistryEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function fingerprint(report: ModelReport): string {
  return `${[...report.versions].sort().join(',')}|${report.signature ?? '?'}`;
}
