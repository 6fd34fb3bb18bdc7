/**
 * Every metric the gateway exports, with its type and labels, for dashboards and alert rules.
 * Label values are bounded: provider names and models come from the routing table (unknown
 * models are reported as "other"), outcomes and status classes from the fixed sets below.
 */
export const METRICS = {
  requests: {
    name: 'gateway_requests_total',
    type: 'counter',
    help: 'Client requests by the provider that answered, model, outcome and status class.',
    labels: ['provider', 'model', 'outcome', 'status_class'],
  },
  requestDuration: {
    name: 'gateway_request_duration_seconds',
    type: 'histogram',
    help: 'Client request latency, including failover attempts.',
    labels: ['provider', 'model', 'outcome'],
  },
  upstreamAttempts: {
    name: 'gateway_upstream_attempts_total',
    type: 'counter',
    help: 'Attempts sent to a provider, by attempt outcome.',
    labels: ['provider', 'model', 'outcome'],
  },
  upstreamAttemptsStarted: {
    name: 'gateway_upstream_attempts_started_total',
    type: 'counter',
    help: 'Attempts sent to a provider, counted when they start (a hung provider answers none).',
    labels: ['provider'],
  },
  upstreamDuration: {
    name: 'gateway_upstream_attempt_duration_seconds',
    type: 'histogram',
    help: 'Latency of single upstream attempts.',
    labels: ['provider'],
  },
  failovers: {
    name: 'gateway_failovers_total',
    type: 'counter',
    help: 'Retries on another provider, by the provider that failed and why.',
    labels: ['from_provider', 'reason'],
  },
  retryBudgetExhausted: {
    name: 'gateway_retry_budget_exhausted_total',
    type: 'counter',
    help: 'Retries refused because the retry budget was spent.',
    labels: [],
  },
  breakerState: {
    name: 'gateway_breaker_state',
    type: 'gauge',
    help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open.',
    labels: ['provider'],
  },
  breakerTransitions: {
    name: 'gateway_breaker_transitions_total',
    type: 'counter',
    help: 'Circuit breaker state changes, by the state entered.',
    labels: ['provider', 'state'],
  },
  providerScore: {
    name: 'gateway_provider_score',
    type: 'gauge',
    help: 'Current routing score per provider (0..1, higher is preferred).',
    labels: ['provider'],
  },
  providerLatency: {
    name: 'gateway_provider_latency_ewma_seconds',
    type: 'gauge',
    help: 'Time-decayed average upstream latency per provider.',
    labels: ['provider'],
  },
  providerErrorRate: {
    name: 'gateway_provider_error_rate',
    type: 'gauge',
    help: 'Failure ratio per provider over the sliding window.',
    labels: ['provider'],
  },
  providerHealthy: {
    name: 'gateway_provider_healthy',
    type: 'gauge',
    help: 'Active health check state per provider: 1 healthy, 0 unhealthy, -1 not checked yet.',
    labels: ['provider'],
  },
  providerSlow: {
    name: 'gateway_provider_slow',
    type: 'gauge',
    help: '1 while a provider has requests outstanding and has answered nothing for far longer than its usual latency (probably hung).',
    labels: ['provider'],
  },
  providerSkewed: {
    name: 'gateway_provider_model_skewed',
    type: 'gauge',
    help: '1 when a provider is excluded from a model because its versions or signature differ from the others.',
    labels: ['provider', 'model'],
  },
  panicMode: {
    name: 'gateway_panic_mode_total',
    type: 'counter',
    help: 'Attempts routed in panic mode (every breaker open) to the least recently failed provider.',
    labels: ['model'],
  },
  rateLimited: {
    name: 'gateway_rate_limited_total',
    type: 'counter',
    help: 'Requests refused with 429 by the per-key rate limit.',
    labels: [],
  },
  rateLimitBackend: {
    name: 'gateway_rate_limit_backend',
    type: 'gauge',
    help: 'Which store holds the rate-limit counters: 1 for the active backend (redis or memory).',
    labels: ['backend'],
  },
  rateLimitFallbacks: {
    name: 'gateway_rate_limit_fallbacks_total',
    type: 'counter',
    help: 'Rate-limit decisions taken from local memory because Redis was unavailable.',
    labels: [],
  },
  rateLimitRedisTimeouts: {
    name: 'gateway_rate_limit_redis_timeouts_total',
    type: 'counter',
    help: 'Redis commands of the rate limit that timed out; after each, decisions come from local memory until Redis answers a ping.',
    labels: [],
  },
  authFailures: {
    name: 'gateway_auth_failures_total',
    type: 'counter',
    help: 'Rejected credentials, by reason.',
    labels: ['reason'],
  },
  estimatedCost: {
    name: 'gateway_estimated_cost_usd_total',
    type: 'counter',
    help: 'Estimated provider cost in USD: attempts answered by a provider times its price per request.',
    labels: ['provider'],
  },
} as const satisfies Record<string, MetricDefinition>;

export interface MetricDefinition {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  labels: readonly string[];
}

export type MetricKey = keyof typeof METRICS;

/** All metric names, e.g. for checking that alert rules only reference metrics that exist. */
export const METRIC_NAMES: readonly string[] = Object.values(METRICS).map((metric) => metric.name);

/** Request outcomes (label `outcome` of gateway_requests_total). */
export const REQUEST_OUTCOMES = [
  'success',
  'upstream_client_error',
  'upstream_server_error',
  'unreachable',
  'timeout',
  'reset',
  'no_provider',
  'cancelled',
] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** Attempt outcomes (label `outcome` of gateway_upstream_attempts_total). */
export const ATTEMPT_OUTCOMES = [
  'success',
  'client_error',
  'server_error',
  'not_sent',
  'reset',
  'timeout',
  'cancelled',
  /** The client's own deadline ended the attempt; not counted against the provider. */
  'deadline',
] as const;
export type AttemptOutcomeLabel = (typeof ATTEMPT_OUTCOMES)[number];
