import type { Clock } from './clock';

export interface RetryBudgetOptions {
  /** Retries allowed as a fraction of requests over the window. */
  ratio: number;
  /** Retries always allowed per window, so a quiet gateway can still fail over. */
  minRetriesPerWindow: number;
  windowMs: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = {
  ratio: 0.2,
  minRetriesPerWindow: 3,
  windowMs: 10_000,
};

/**
 * Caps retries at `ratio` × requests + `minRetriesPerWindow` over a sliding window, so that when
 * every provider struggles the gateway does not multiply its own load by the attempt count.
 * Counts live in per-second buckets.
 */
export class RetryBudget {
  private readonly bucketMs: number;
  private readonly requests: number[];
  private readonly retries: number[];
  private readonly stamps: number[];

  constructor(
    private readonly options: RetryBudgetOptions,
    private readonly clock: Clock,
  ) {
    const bucketCount = Math.max(1, Math.ceil(options.windowMs / 1000));
    this.bucketMs = options.windowMs / bucketCount;
    this.requests = new Array(bucketCount).fill(0);
    this.retries = new Array(bucketCount).fill(0);
    this.stamps = new Array(bucketCount).fill(Number.NEGATIVE_INFINITY);
  }

  /** Count one client request (its first attempt). */
  recordRequest(): void {
    this.requests[this.bucket()] += 1;
  }

  /** Take one retry from the budget; false when it is spent. */
  tryRetry(): boolean {
    const { requests, retries } = this.totals();
    if (retries >= this.options.ratio * requests + this.options.minRetriesPerWindow) return false;
    this.retries[this.bucket()] += 1;
    return true;
  }

  totals(): { requests: number; retries: number } {
    const oldestAllowed = this.clock() - this.options.windowMs;
    let requests = 0;
    let retries = 0;
    for (let index = 0; index < this.stamps.length; index++) {
      if (this.stamps[index] > oldestAllowed) {
        requests += this.requests[index];
        retries += this.retries[index];
      }
    }
    return { requests, retries };
  }

  private bucket(): number {
    const slot = Math.floor(this.clock() / this.bucketMs);
    const index = ((slot % this.stamps.length) + this.stamps.length) % this.stamps.length;
    const slotStart = slot * this.bucketMs;
    if (this.stamps[index] !== slotStart) {
      this.stamps[index] = slotStart;
      this.requests[index] = 0;
      this.retries[index] = 0;
    }
    return index;
  }
}
