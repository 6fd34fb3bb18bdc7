import type { GatewayConfig } from './config';
import { createMetrics, type GatewayMetrics } from './metrics/metrics';
import { RetryBudget } from './routing/budget';
import { type Clock, type Random, systemClock, systemRandom } from './routing/clock';
import { ProviderRegistry } from './routing/registry';
import { GatewayTracing } from './tracing';
import { UpstreamClient } from './upstream/client';
import { HealthChecker } from './upstream/health-checker';

/** Everything the routes share: routing state, the upstream pools, health checks and metrics. */
export interface GatewayCore {
  config: GatewayConfig;
  registry: ProviderRegistry;
  budget: RetryBudget;
  client: UpstreamClient;
  healthChecker: HealthChecker;
  metrics: GatewayMetrics;
  tracing: GatewayTracing;
  clock: Clock;
  /** Set on shutdown: /readyz fails so load balancers stop sending while in-flight requests finish. */
  draining: boolean;
}

export interface CoreOptions {
  clock?: Clock;
  random?: Random;
  /** Told about a health check that threw (the check counts as failed). */
  onHealthCheckError?: (provider: string, error: unknown) => void;
}

export function createCore(config: GatewayConfig, options: CoreOptions = {}): GatewayCore {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const registry = new ProviderRegistry(
    config.providers,
    {
      weights: config.scoring.weights,
      tieBuffer: config.scoring.tieBuffer,
      latencyHalfLifeMs: config.scoring.latencyHalfLifeMs,
      errorWindowMs: config.scoring.errorWindowMs,
      breaker: { ...config.breaker, probeTimeoutMs: config.timeouts.maxRequestMs },
      health: {
        unhealthyAfter: config.healthCheck.unhealthyAfter,
        healthyAfter: config.healthCheck.healthyAfter,
      },
      slowProvider: config.failover.slowProvider,
    },
    clock,
    random,
  );
  const budget = new RetryBudget(
    {
      ratio: config.failover.retryBudgetRatio,
      minRetriesPerWindow: config.failover.retryBudgetMinPerWindow,
      windowMs: config.failover.retryBudgetWindowMs,
    },
    clock,
  );
  const client = new UpstreamClient(config.providers, {
    connectTimeoutMs: config.timeouts.connectMs,
    connectionsPerProvider: config.limits.connectionsPerProvider,
    maxResponseBytes: config.limits.responseBytes,
  });
  const healthChecker = new HealthChecker(config.providers, client, registry, {
    intervalMs: config.healthCheck.intervalMs,
    timeoutMs: config.healthCheck.timeoutMs,
    onError: options.onHealthCheckError,
  });
  const metrics = createMetrics(registry);
  registry.onEvent((event) => {
    if (event.type === 'breaker')
      metrics.breakerTransitions.inc({ provider: event.provider, state: event.transition.to });
  });
  const tracing = new GatewayTracing(config.tracing);
  return { config, registry, budget, client, healthChecker, metrics, tracing, clock, draining: false };
}
