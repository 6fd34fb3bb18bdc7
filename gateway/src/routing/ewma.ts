import type { Clock } from './clock';

/**
 * Exponentially weighted moving average whose decay depends on elapsed time, not on the number
 * of samples: a sample's weight halves every `halfLifeMs`. Under heavy traffic the average
 * follows the last few half-lives; a provider that was idle for a long time is judged on its
 * newest sample, not on a stale history.
 */
export class TimeDecayedEwma {
  private average: number | undefined;
  private lastSampleAt = 0;

  constructor(
    private readonly halfLifeMs: number,
    private readonly clock: Clock,
  ) {
    if (halfLifeMs <= 0) throw new RangeError('halfLifeMs must be positive');
  }

  observe(sample: number): void {
    const now = this.clock();
    if (this.average === undefined) {
      this.average = sample;
    } else {
      const elapsed = Math.max(0, now - this.lastSampleAt);
      const keep = 0.5 ** (elapsed / this.halfLifeMs);
      this.average = this.average * keep + sample * (1 - keep);
    }
    this.lastSampleAt = now;
  }

  /** The current average, or undefined before the first sample. */
  value(): number | undefined {
    return this.average;
  }
}
