import type { Redis } from 'ioredis';

/*
 * @fastify/rate-limit ships a Redis store and a local LRU store, but with Redis down its only
 * choices are to fail requests or to skip limiting (`skipOnError`). This store keeps limits in
 * force: it uses Redis while the connection is ready, so all replicas share one budget, and
 * counters in local memory otherwise (continuing from the last shared count each key had),
 * reporting which one answered. A command that times out suspends Redis until it answers a ping,
 * so a hung Redis costs one request the command timeout, not every request.
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

// The Redis store is not part of the package's typed exports, but it is one of its documented building blocks.
const RedisStore: StoreConstructor = require('@fastify/rate-limit/store/RedisStore');

export interface FallbackHooks {
  /** Called with the backend that answered each decision. */
  onDecision(backend: 'redis' | 'memory'): void;
  /** A Redis command timed out: Redis is skipped until it answers a ping. */
  onRedisTimeout(): void;
  /** Redis answered a ping after a timeout and is used again. */
  onRedisBack(): void;
}

export interface FallbackOptions {
  keyPrefix?: string;
  /** How often a suspended Redis is pinged. */
  pingIntervalMs?: number;
  /** Keys the memory store holds at most (the oldest window is dropped first). */
  maxKeys?: number;
  now?: () => number;
}

/**
 * Per-key fixed-window counters in local memory. It also remembers the count Redis last
 * reported for each key, so when Redis becomes unreachable a key's budget continues from where
 * the shared counter was instead of starting again at zero.
 */
export class MemoryCounters {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxKeys: number,
    private readonly now: () => number,
  ) {}

  incr(key: string, windowMs: number): StoreResult {
    const now = this.now();
    const current = this.windows.get(key);
    if (current === undefined || current.resetAt <= now) {
      this.set(key, { count: 1, resetAt: now + windowMs });
      return { current: 1, ttl: windowMs };
    }
    current.count += 1;
    return { current: current.count, ttl: current.resetAt - now };
  }

  read(key: string, windowMs: number): StoreResult {
    const now = this.now();
    const current = this.windows.get(key);
    if (current === undefined || current.resetAt <= now) return { current: 0, ttl: windowMs };
    return { current: current.count, ttl: current.resetAt - now };
  }

  /** Takes the shared counter's value as Redis reported it. */
  remember(key: string, result: StoreResult): void {
    this.set(key, { count: result.current, resetAt: this.now() + result.ttl });
  }

  private set(key: string, window: { count: number; resetAt: number }): void {
    // Re-inserting moves the key to the end, so the first key is the least recently used.
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
  }
}

/** ioredis rejects a command that outlived `commandTimeout` with this message. */
const isTimeout = (error: Error) => error.message.includes('Command timed out');

export function createFallbackStore(redis: Redis, hooks: FallbackHooks, options: FallbackOptions = {}) {
  const keyPrefix = options.keyPrefix ?? 'gateway-rate-limit:';
  const pingIntervalMs = options.pingIntervalMs ?? 1_000;
  const memory = new MemoryCounters(options.maxKeys ?? 10_000, options.now ?? Date.now);
  // After a timeout, a hung Redis would add the command timeout to every request: skip it until it answers.
  let suspended = false;
  const suspend = () => {
    if (suspended) return;
    suspended = true;
    hooks.onRedisTimeout();
    const timer = setInterval(() => {
      if (redis.status === 'end') clearInterval(timer);
      if (redis.status !== 'ready') return;
      redis.ping().then(
        () => {
          if (!suspended) return;
          suspended = false;
          clearInterval(timer);
          hooks.onRedisBack();
        },
        () => {},
      );
    }, pingIntervalMs);
    timer.unref();
  };

  class FallbackStore implements RateLimitStore {
    private readonly shared: RateLimitStore;

    constructor(storeOptions: { continueExceeding: boolean; exponentialBackoff: boolean }) {
      this.shared = new RedisStore(
        storeOptions.continueExceeding,
        storeOptions.exponentialBackoff,
        redis,
        keyPrefix,
      );
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
      const useMemory = () => {
        hooks.onDecision('memory');
        callback(null, memory[method](key, timeWindow));
      };
      if (suspended || redis.status !== 'ready') {
        useMemory();
        return;
      }
      this.shared[method]?.(
        key,
        (error, result) => {
          if (error || result === null) {
            if (error && isTimeout(error)) suspend();
            useMemory();
            return;
          }
          memory.remember(key, result);
          hooks.onDecision('redis');
          callback(null, result);
        },
        timeWindow,
        max,
      );
    }
  }
  return FallbackStore;
}
