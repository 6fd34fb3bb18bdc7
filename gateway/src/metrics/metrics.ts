import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ProviderRegistry } from '../routing/registry';
import { METRICS } from './names';

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;
const HEALTH_VALUE = { healthy: 1, unhealthy: 0, unknown: -1 } as const;

/**
 * The gateway's prom-client registry. Gauges describing providers are computed at scrape time
 * from the provider registry, so they can never drift from what routing actually uses.
 */
export function createMetrics(providers: ProviderRegistry) {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'gateway_process_' });

  const counter = <L extends string>(definition: { name: string; help: string; labels: readonly L[] }) =>
    new Counter<L>({
      name: definition.name,
      help: definition.help,
      labelNames: definition.labels,
      registers: [register],
    });
  const histogram = <L extends string>(definition: { name: string; help: string; labels: readonly L[] }) =>
    new Histogram<L>({
      name: definition.name,
      help: definition.help,
      labelNames: definition.labels,
      buckets: LATENCY_BUCKETS,
      registers: [register],
    });
  const providerGauge = (
    definition: { name: string; help: string },
    read: (snapshot: ReturnType<ProviderRegistry['snapshot']>[number]) => number | undefined,
  ) =>
    new Gauge<'provider'>({
      name: definition.name,
      help: definition.help,
      labelNames: ['provider'],
      registers: [register],
      collect() {
        for (const snapshot of providers.snapshot()) {
          const value = read(snapshot);
          if (value !== undefined) this.set({ provider: snapshot.name }, value);
        }
      },
    });

  providerGauge(METRICS.breakerState, (snapshot) => BREAKER_STATE_VALUE[snapshot.breaker]);
  providerGauge(METRICS.providerScore, (snapshot) => snapshot.score.total);
  providerGauge(METRICS.providerLatency, (snapshot) =>
    snapshot.latencyMs === undefined ? undefined : snapshot.latencyMs / 1000,
  );
  providerGauge(METRICS.providerErrorRate, (snapshot) => snapshot.errorRate);
  providerGauge(METRICS.providerHealthy, (snapshot) => HEALTH_VALUE[snapshot.health]);
  providerGauge(METRICS.providerSlow, (snapshot) => (snapshot.slow ? 1 : 0));
  new Gauge<'provider' | 'model'>({
    name: METRICS.providerSkewed.name,
    help: METRICS.providerSkewed.help,
    labelNames: METRICS.providerSkewed.labels,
    registers: [register],
    collect() {
      for (const snapshot of providers.snapshot()) {
        for (const model of snapshot.models) {
          this.set({ provider: snapshot.name, model }, snapshot.skewedModels.includes(model) ? 1 : 0);
        }
      }
    },
  });

  const rateLimitBackend = new Gauge<'backend'>({
    name: METRICS.rateLimitBackend.name,
    help: METRICS.rateLimitBackend.help,
    labelNames: METRICS.rateLimitBackend.labels,
    registers: [register],
  });

  return {
    register,
    requests: counter(METRICS.requests),
    requestDuration: histogram(METRICS.requestDuration),
    upstreamAttempts: counter(METRICS.upstreamAttempts),
    upstreamAttemptsStarted: counter(METRICS.upstreamAttemptsStarted),
    upstreamDuration: histogram(METRICS.upstreamDuration),
    failovers: counter(METRICS.failovers),
    retryBudgetExhausted: counter(METRICS.retryBudgetExhausted),
    breakerTransitions: counter(METRICS.breakerTransitions),
    panicMode: counter(METRICS.panicMode),
    rateLimited: counter(METRICS.rateLimited),
    rateLimitFallbacks: counter(METRICS.rateLimitFallbacks),
    rateLimitRedisTimeouts: counter(METRICS.rateLimitRedisTimeouts),
    authFailures: counter(METRICS.authFailures),
    estimatedCost: counter(METRICS.estimatedCost),
    setRateLimitBackend(backend: 'redis' | 'memory') {
      rateLimitBackend.set({ backend }, 1);
      rateLimitBackend.set({ backend: backend === 'redis' ? 'memory' : 'redis' }, 0);
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;

/** "2xx", "4xx", ... for a status; bounded to five values plus "none". */
export function statusClass(status: number | undefined): string {
  if (status === undefined || status < 100 || status > 599) return 'none';
  return `${Math.floor(status / 100)}xx`;
}
