import type { Redis } from 'ioredis';

/*
 * @fastify/rate-limit ships a Redis store and a local LRU store, but with Redis down its only
 * choices are to fail requests or to skip limiting (`skipOnError`). This store keeps limits in
 * force: it uses Redis while the connection is ready, so all replicas share one budget, and the
 * local store otherwise, reporting which one answered.
 */

interface StoreResult {
  current: number;
  ttl: number;
}
type StoreCallback = (error: Error | null, result: StoreResult | null) => void;
interface RateLimitStore {
  incr(key: string, callback: StoreCallback, timeWindow: number, max: number): void;
  read?(key: string, callback: StoreCallback, timeWindow: number, max: number): void;
  child(routeOptions: unknown): RateLimitStore;
}
type StoreConstructor = new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  ...rest: unknown[]
) => RateLimitStore;

// The stores are not part of the package's typed exports, but they are its documented building blocks.
const RedisStore: StoreConstructor = require('@fastify/rate-limit/store/RedisStore');
const LocalStore: StoreConstructor = require('@fastify/rate-limit/store/LocalStore');

export interface FallbackHooks {
  /** Called with the backend that answered each decision. */
  onDecision(backend: 'redis' | 'memory'): void;
}

export function createFallbackStore(redis: Redis, hooks: FallbackHooks, keyPrefix = 'gateway-rate-limit:') {
  class FallbackStore implements RateLimitStore {
    private readonly shared: RateLimitStore;
    private readonly local: RateLimitStore;

    constructor(options: { continueExceeding: boolean; exponentialBackoff: boolean }) {
      this.shared = new RedisStore(options.continueExceeding, options.exponentialBackoff, redis, keyPrefix);
      this.local = new LocalStore(options.continueExceeding, options.exponentialBackoff, 10_000);
    }

    incr(key: string, callback: StoreCallback, timeWindow: number, max: number): void {
      this.decide('incr', key, callback, timeWindow, max);
    }

    read(key: string, callback: StoreCallback, timeWindow: number, max: number): void {
      this.decide('read', key, callback, timeWindow, max);
    }

    child(): RateLimitStore {
      // One budget per key across all routes.
      return this;
    }

    private decide(
      method: 'incr' | 'read',
      key: string,
      callback: StoreCallback,
      timeWindow: number,
      max: number,
    ): void {
      const useLocal = () => {
        hooks.onDecision('memory');
        this.local[method]?.(key, callback, timeWindow, max);
      };
      if (redis.status !== 'ready') {
        useLocal();
        return;
      }
      this.shared[method]?.(
        key,
        (error, result) => {
          if (error) useLocal();
          else {
            hooks.onDecision('redis');
            callback(null, result);
          }
        },
        timeWindow,
        max,
      );
    }
  }
  return FallbackStore;
}
