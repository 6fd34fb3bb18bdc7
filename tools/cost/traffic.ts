import type { CostAssumptions } from '../../clusters/defaults';
import { type GatewayConfig, parseConfig } from '../../gateway/src/config';
import { fleetReference, score } from '../../gateway/src/routing/score';
import { parseDocuments } from '../tree/documents';

/**
 * Where a cluster's predictions are served, as its gateway would route them in steady state: the
 * gateway's own score (its rendered weights and tie buffer, each provider's price) applied to the
 * assumed latencies, every provider healthy. Providers within the tie buffer of the best share the
 * traffic in proportion to their scores, as `pickBest` does; the rest get none.
 */
export function steadyStateShares(
  config: GatewayConfig,
  ownCluster: string,
  latencyMs: CostAssumptions['latencyMs'],
): Map<string, number> {
  const candidates = config.providers.map((provider) => ({
    name: provider.name,
    costPer1kRequests: provider.costPer1kRequests,
    latencyMs: provider.name === ownCluster ? latencyMs.ownCluster : latencyMs.otherCloud,
  }));
  const reference = fleetReference(candidates);
  const scored = candidates.map((candidate) => ({
    name: candidate.name,
    score: score(
      candidate,
      { latencyMs: candidate.latencyMs, errorRate: 0 },
      config.scoring.weights,
      reference,
    ).total,
  }));
  const best = Math.max(...scored.map((s) => s.score));
  const tied = scored.filter((s) => s.score >= best - config.scoring.tieBuffer);
  const total = tied.reduce((sum, s) => sum + s.score, 0);
  return new Map(scored.map((s) => [s.name, tied.includes(s) ? s.score / total : 0]));
}

/**
 * The share of a cluster's predictions served by another cloud: what the routing sends there when
 * every provider is healthy, plus the assumed share sent away while its own servers are degraded.
 */
export function crossCloudShare(
  config: GatewayConfig,
  ownCluster: string,
  assumptions: CostAssumptions,
): number {
  const own = steadyStateShares(config, ownCluster, assumptions.latencyMs).get(ownCluster) ?? 0;
  return Math.min(1, 1 - own + assumptions.degradedCrossCloudShare);
}

/** The gateway configuration rendered for a cluster (its ConfigMap's `config.json`), read with the gateway's own schema. */
export function renderedGatewayConfig(tree: ReadonlyMap<string, string>, cluster: string): GatewayConfig {
  for (const [file, text] of tree) {
    if (!file.startsWith(`${cluster}/gateway/ConfigMap.`)) continue;
    for (const document of parseDocuments(file, text)) {
      const data = (document.value as { data?: Record<string, string> } | undefined)?.data;
      if (data?.['config.json']) return parseConfig(JSON.parse(data['config.json']), file);
    }
  }
  throw new Error(`${cluster}: no gateway ConfigMap with config.json in the rendered tree`);
}
