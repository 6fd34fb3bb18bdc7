/**
 * What each cluster's cloud provides that no tree shows, from the cloud profiles (the one place
 * per-cloud facts live). Loading the fleet and the profiles loads no component and neither cdk8s
 * nor cdktf.
 */
import { loadDeclaredFleet } from '../../clusters';
import { profileFor } from '../../platform/clouds';
import { type CloudProfile, VOLUME_SNAPSHOT_API } from '../../platform/clouds/profile';
import type { CloudFacts } from './references';

/** What a cloud profile says its cloud creates in every cluster. */
export function cloudFacts(profile: CloudProfile): CloudFacts {
  const endpoint = profile.workloadIdentityEndpoint();
  return {
    storageClasses: Object.values(profile.storageClasses())
      .filter((c) => c.providedByCloud)
      .map((c) => c.name),
    servesResourceMetrics: profile.resourceMetricsServer() === undefined,
    // The snapshot API, where the profile says what installs it (EKS: the add-on of its stack).
    customResources: profile.volumeSnapshots().apiInstalledBy
      ? VOLUME_SNAPSHOT_API.kinds.map((kind) => `${VOLUME_SNAPSHOT_API.group}/${kind}`)
      : [],
    ...(endpoint ? { workloadIdentityEndpoint: endpoint } : {}),
  };
}

/** What each declared cluster's cloud provides; nothing for a cluster the fleet does not declare. */
export function declaredClouds(): (cluster: string) => CloudFacts {
  const fleet = loadDeclaredFleet();
  return (name) => {
    const cluster = fleet.clusters.find((c) => c.name === name);
    return cluster
      ? cloudFacts(profileFor(cluster))
      : { storageClasses: [], servesResourceMetrics: false, customResources: [] };
  };
}
