/**
 * What each cluster's cloud provides that no tree shows, from the declared fleet's cloud profiles
 * (the one place per-cloud facts live). Loading the fleet and the profiles loads no component and
 * neither cdk8s nor cdktf.
 */
import { loadDeclaredFleet } from '../../clusters';
import { profileFor } from '../../platform/clouds';
import type { CloudFacts } from './references';

/** What each declared cluster's cloud provides (its profile); nothing for a cluster the fleet does not declare. */
export function declaredClouds(): (cluster: string) => CloudFacts {
  const fleet = loadDeclaredFleet();
  return (name) => {
    const cluster = fleet.clusters.find((c) => c.name === name);
    if (!cluster) return { storageClasses: [], servesResourceMetrics: false };
    const profile = profileFor(cluster);
    return {
      storageClasses: Object.values(profile.storageClasses())
        .filter((c) => c.providedByCloud)
        .map((c) => c.name),
      servesResourceMetrics: profile.resourceMetricsServer() === undefined,
    };
  };
}
