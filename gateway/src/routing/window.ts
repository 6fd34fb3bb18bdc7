import type { Clock } from './clock';

interface Bucket {
  startedAt: number;
  successes: number;
  failures: number;
}

export interface WindowTotals {
  successes: number;
  failures: number;
  total: number;
  /** failures / total, or 0 when the window is empty. */
  failureRate: number;
}

/**
 * Success/failure counts over the last `windowMs`, kept in a ring of fixed-width buckets so that
 * recording and reading are O(buckets) with no per-request allocation. Old buckets age out as the
 * clock moves; the window is exact to one bucket width.
 */
export class SlidingWindowCounter {
  private readonly bucketMs: number;
  private readonly buckets: Bucket[];

  constructor(
    private readonly windowMs: number,
    private readonly clock: Clock,
    bucketCount = 20,
  ) {
    if (windowMs <= 0 || bucketCount <= 0) throw new RangeError('window and bucket count must be positive');
    this.bucketMs = windowMs / bucketCount;
    this.buckets = Array.from({ length: bucketCount }, () => ({
      startedAt: Number.NEGATIVE_INFINITY,
      successes: 0,
      failures: 0,
    }));
  }

  record(success: boolean): void {
    const bucket = this.currentBucket();
    if (success) bucket.successes += 1;
    else bucket.failures += 1;
  }

  totals(): WindowTotals {
    const oldestAllowed = this.clock() - this.windowMs;
    let successes = 0;
    let failures = 0;
    for (const bucket of this.buckets) {
      if (bucket.startedAt > oldestAllowed) {
        successes += bucket.successes;
        failures += bucket.failures;
      }
    }
    const total = successes + failures;
    return { successes, failures, total, failureRate: total === 0 ? 0 : failures / total };
  }

  reset(): void {
    for (const bucket of this.buckets) {
      bucket.startedAt = Number.NEGATIVE_INFINITY;
      bucket.successes = 0;
      bucket.failures = 0;
    }
  }

  private currentBucket(): Bucket {
    const now = this.clock();
    const slot = Math.floor(now / this.bucketMs);
    const bucket = this.buckets[((slot % this.buckets.length) + this.buckets.length) % this.buckets.length];
    const slotStart = slot * this.bucketMs;
    if (bucket.startedAt !== slotStart) {
      bucket.startedAt = slotStart;
      bucket.successes = 0;
      bucket.failures = 0;
    }
    return bucket;
  }
}
