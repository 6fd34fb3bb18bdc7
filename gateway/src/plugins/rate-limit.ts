import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { GatewayError } from '../errors';
import type { GatewayMetrics } from '../metrics/metrics';
import { createFallbackStore } from './rate-limit-store';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
  redisUrl: string | undefined;
  metrics: GatewayMetrics;
}

/**
 * Per-API-key rate limit. With a Redis URL every replica shares one budget; while Redis is
 * unreachable each replica limits on its own from memory and says so in
 * gateway_rate_limit_backend / gateway_rate_limit_fallbacks_total. Routes opt in with
 * `config.rateLimit`; the limit runs after authentication, keyed by the key's id.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const { metrics } = options;
  let store: ReturnType<typeof createFallbackStore> | undefined;
  if (options.redisUrl) {
    const redis = new Redis(options.redisUrl, {
      // Fail fast instead of queueing while disconnected: the local store answers meanwhile.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 250,
      connectTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      lazyConnect: false,
    });
    // Connection errors are expected while Redis is down; the backend metric reports them,
    // and the log says so once per outage rather than once per reconnection attempt.
    let connected = false;
    redis.on('error', () => {});
    redis.on('ready', () => {
      connected = true;
      metrics.setRateLimitBackend('redis');
      app.log.info('rate limit: using Redis, budgets are shared by all replicas');
    });
    redis.on('close', () => {
      metrics.setRateLimitBackend('memory');
      if (connected) app.log.warn('rate limit: Redis unavailable, limiting from local memory');
      connected = false;
    });
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
    store = createFallbackStore(redis, {
      onDecision(backend) {
        metrics.setRateLimitBackend(backend);
        if (backend === 'memory') metrics.rateLimitFallbacks.inc();
      },
      onRedisTimeout() {
        metrics.rateLimitRedisTimeouts.inc();
        app.log.warn(
          'rate limit: a Redis command timed out; limiting from local memory until Redis answers a ping',
        );
      },
      onRedisBack() {
        app.log.info('rate limit: Redis answers again, budgets are shared by all replicas');
      },
    });
    metrics.setRateLimitBackend(redis.status === 'ready' ? 'redis' : 'memory');
  } else {
    metrics.setRateLimitBackend('memory');
  }

  await app.register(rateLimit, {
    global: false,
    max: options.max,
    timeWindow: options.windowMs,
    hook: 'preParsing',
    store: store as never,
    keyGenerator: (request) => `key:${request.apiKeyId ?? request.ip}`,
    onExceeded: () => metrics.rateLimited.inc(),
    errorResponseBuilder: (_request, context) =>
      new GatewayError(
        429,
        `rate limit exceeded: ${context.max} requests per ${windowText(options.windowMs)}`,
        {
          'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))),
        },
      ),
  });
}

/** The rate-limit window in words: "1 minute", "10 seconds", "1500 ms". */
export function windowText(ms: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (ms % 60_000 === 0) return plural(ms / 60_000, 'minute');
  if (ms % 1_000 === 0) return plural(ms / 1_000, 'second');
  return `${ms} ms`;
}
