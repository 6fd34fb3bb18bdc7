export type HealthState = 'unknown' | 'healthy' | 'unhealthy';

export interface HealthThresholds {
  /** Consecutive failed checks before a provider is marked unhealthy. */
  unhealthyAfter: number;
  /** Consecutive passed checks before an unhealthy provider is marked healthy again. */
  healthyAfter: number;
}

/**
 * Active health state of one provider. It starts 'unknown' (routable, so a gateway that just
 * started can serve before the first check completes); the first passed check makes it healthy.
 */
export class HealthTracker {
  private current: HealthState = 'unknown';
  private passesInARow = 0;
  private failuresInARow = 0;

  constructor(private readonly thresholds: HealthThresholds) {}

  get state(): HealthState {
    return this.current;
  }

  get routable(): boolean {
    return this.current !== 'unhealthy';
  }

  /** Records one check result; returns true when the state changed. */
  record(passed: boolean): boolean {
    const before = this.current;
    if (passed) {
      this.failuresInARow = 0;
      this.passesInARow += 1;
      if (this.current === 'unknown' || this.passesInARow >= this.thresholds.healthyAfter) {
        this.current = 'healthy';
      }
    } else {
      this.passesInARow = 0;
      this.failuresInARow += 1;
      if (this.failuresInARow >= this.thresholds.unhealthyAfter) this.current = 'unhealthy';
    }
    return before !== this.current;
  }
}

/**
 * Given each provider's fingerprint of one model (its available versions and signature), returns
 * the providers that disagree with the majority. With no strict majority nobody can be called
 * wrong, so nobody is excluded; the caller still reports the disagreement.
 */
export function findSkewedProviders(fingerprints: ReadonlyMap<string, string>): {
  skewed: Set<string>;
  agreed: boolean;
} {
  const counts = new Map<string, number>();
  for (const fingerprint of fingerprints.values())
    counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1);
  if (counts.size <= 1) return { skewed: new Set(), agreed: true };
  const ranked = [...counts.entries()].sort((left, right) => right[1] - left[1]);
  const [majority, majorityCount] = ranked[0];
  if (majorityCount * 2 <= fingerprints.size) return { skewed: new Set(), agreed: false };
  const skewed = new Set<string>();
  for (const [provider, fingerprint] of fingerprints) if (fingerprint !== majority) skewed.add(provider);
  return { skewed, agreed: false };
}
