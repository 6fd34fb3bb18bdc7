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
}

export interface ProviderSnapshot {
  name: string;
  models: string[];
  costPer1kRequests: number;
  health: HealthState;
  breaker: BreakerState;
  ejections: number;
  remainingEjectionMs: number;
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
  | { type: 'skew'; provider: string; model: string; excluded: boolean };

class ProviderState {
  readonly latency: TimeDecayedEwma;
  readonly errors: SlidingWindowCounter;
  readonly breaker: CircuitBreaker;
  readonly health: HealthTracker;
  readonly reports = new Map<string, ModelReport>();
  readonly skewedModels = new Set<string>();

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
    const report = this.reports.get(model);
    // Until a health check has reported versions, trust the routing table.
    return report === undefined || report.versions.includes(version);
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
    clock: Clock,
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

    const admissible = serving.filter((provider) => provider.health.routable && provider.breaker.canAdmit());
    if (admissible.length > 0) {
      const scored = this.scoreAll(admissible);
      const chosen = pickBest(scored, this.options.tieBuffer, this.random);
      if (chosen !== undefined) {
        const admission = chosen.provider.breaker.acquire();
        if (admission !== 'reject')
          return { provider: chosen.provider.definition.name, admission, panic: false };
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
    };
  }

  /** Feeds one attempt's result into the provider's latency, error rate and breaker. */
  recordAttempt(name: string, admission: Admission, outcome: AttemptOutcome, latencyMs: number): void {
    const provider = this.require(name);
    if (outcome.kind === 'cancelled') {
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
