import type { ClusterSpec, Fleet } from '../../clusters/types';
import { profileFor } from '../../platform/clouds';
import type { CloudProfile } from '../../platform/clouds/profile';
import type { ChartConfiguration } from './load';
import { createRbacIndex } from './rbac';
import type { CredentialHit, PolicyContext, PolicyObject, RbacIndex } from './types';

/** Indexes over the whole tree, built once, that rules query per object. */
export function createContext(
  objects: readonly PolicyObject[],
  fleet: Fleet,
  credentialHits: readonly CredentialHit[] = [],
  chartConfiguration: ReadonlyMap<string, ChartConfiguration> = new Map(),
): PolicyContext {
  const byCluster = new Map<string | undefined, PolicyObject[]>();
  for (const object of objects) {
    const list = byCluster.get(object.cluster) ?? [];
    list.push(object);
    byCluster.set(object.cluster, list);
  }
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  const profiles = new Map<string, CloudProfile>();
  const profileOfCluster = (cluster: ClusterSpec): CloudProfile => {
    let profile = profiles.get(cluster.name);
    if (!profile) {
      profile = profileFor(cluster);
      profiles.set(cluster.name, profile);
    }
    return profile;
  };

  // A hit belongs to the document of its file that starts last at or before its line.
  const documentStarts = new Map<string, PolicyObject[]>();
  for (const object of objects) {
    const list = documentStarts.get(object.file) ?? [];
    list.push(object);
    documentStarts.set(object.file, list);
  }
  for (const list of documentStarts.values()) list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const hitsByObject = new Map<PolicyObject, CredentialHit[]>();
  for (const hit of credentialHits) {
    const candidates = documentStarts.get(hit.file);
    if (!candidates?.length) continue;
    const owner = candidates.filter((object) => (object.line ?? 0) <= hit.line).at(-1) ?? candidates[0];
    if (!owner) continue;
    hitsByObject.set(owner, [...(hitsByObject.get(owner) ?? []), hit]);
  }

  const rbacByCluster = new Map<string | undefined, RbacIndex>();

  return {
    sameCluster: (object) => byCluster.get(object.cluster) ?? [],
    clusterOf: (object) => (object.cluster ? clusters.get(object.cluster) : undefined),
    profileOf: (object) => {
      const cluster = object.cluster ? clusters.get(object.cluster) : undefined;
      return cluster ? profileOfCluster(cluster) : undefined;
    },
    allProfiles: () => fleet.clusters.map(profileOfCluster),
    credentialHits: (object) => hitsByObject.get(object) ?? [],
    createdByChart: (object, kind, namespace, name) => {
      const declared = object.cluster ? chartConfiguration.get(object.cluster) : undefined;
      return (
        (kind === 'Secret' ? declared?.secrets : declared?.configMaps)?.has(`${namespace}/${name}`) ?? false
      );
    },
    rbac: (object) => {
      let index = rbacByCluster.get(object.cluster);
      if (!index) {
        index = createRbacIndex(byCluster.get(object.cluster) ?? []);
        rbacByCluster.set(object.cluster, index);
      }
      return index;
    },
  };
}
