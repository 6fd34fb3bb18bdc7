import type { Random } from './clock';

export interface ScoreWeights {
  latency: number;
  cost: number;
  reliability: number;
}

export const DEFAULT_WEIGHTS: ScoreWeights = { latency: 0.4, cost: 0.3, reliability: 0.3 };

export interface ScoredProviderInput {
  costPer1kRequests: number;
}

export interface ProviderStats {
  /** Smoothed upstream latency; undefined until the first sample. */
  latencyMs: number | undefined;
  /** Failures / requests over the recent window, 0..1. */
  errorRate: number;
}

/** What each provider is compared against: the best values among the candidates. */
export interface FleetReference {
  bestLatencyMs: number | undefined;
  lowestCostPer1k: number;
}

export interface ScoreBreakdown {
  latency: number;
  cost: number;
  reliability: number;
  total: number;
}

/**
 * Each component is in 0..1 where 1 is "as good as the best candidate": latency and cost are
 * ratios to the best candidate (so a provider twice as slow as the fastest gets 0.5), reliability
 * is 1 - error rate. The total is the weighted sum, also in 0..1 when the weights sum to 1.
 * A provider with no latency sample yet is scored as if it were the fastest, so new or
 * recovered providers receive traffic and get measured instead of starving.
 */
export function score(
  provider: ScoredProviderInput,
  stats: ProviderStats,
  weights: ScoreWeights,
  fleet: FleetReference,
): ScoreBreakdown {
  const latency =
    stats.latencyMs === undefined || fleet.bestLatencyMs === undefined
      ? 1
      : ratioToBest(fleet.bestLatencyMs, stats.latencyMs);
  const cost = ratioToBest(fleet.lowestCostPer1k, provider.costPer1kRequests);
  const reliability = 1 - clamp01(stats.errorRate);
  const total = weights.latency * latency + weights.cost * cost + weights.reliability * reliability;
  return { latency, cost, reliability, total };
}

/** best / own for "lower is better" quantities, with zero handled: a free or instant provider scores 1. */
function ratioToBest(best: number, own: number): number {
  if (own <= 0) return 1;
  return clamp01(Math.max(0, best) / own);
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

export function fleetReference(
  candidates: ReadonlyArray<{ costPer1kRequests: number; latencyMs: number | undefined }>,
): FleetReference {
  let bestLatencyMs: number | undefined;
  let lowestCostPer1k = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate.latencyMs !== undefined) {
      bestLatencyMs =
        bestLatencyMs === undefined ? candidate.latencyMs : Math.min(bestLatencyMs, candidate.latencyMs);
    }
    lowestCostPer1k = Math.min(lowestCostPer1k, candidate.costPer1kRequests);
  }
  return { bestLatencyMs, lowestCostPer1k: Number.isFinite(lowestCostPer1k) ? lowestCostPer1k : 0 };
}

/**
 * Picks the best-scored candidate, except that every candidate within `tieBuffer` of the best
 * is eligible and chosen with probability proportional to its score: near-equal providers share
 * the load instead of one of them being herded onto by every replica at once.
 */
export function pickBest<T extends { score: number }>(
  candidates: readonly T[],
  tieBuffer: number,
  random: Random,
): T | undefined {
  if (candidates.length === 0) return undefined;
  const best = Math.max(...candidates.map((candidate) => candidate.score));
  const tied = candidates.filter((candidate) => candidate.score >= best - tieBuffer);
  if (tied.length === 1) return tied[0];
  const weightSum = tied.reduce((sum, candidate) => sum + Math.max(candidate.score, 1e-9), 0);
  let ticket = random() * weightSum;
  for (const candidate of tied) {
    ticket -= Math.max(candidate.score, 1e-9);
    if (ticket < 0) return candidate;
  }
  return tied[tied.length - 1];
}
