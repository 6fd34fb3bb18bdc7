import type { ClusterSpec, Fleet } from '../../clusters/types';
import type { Component } from '../../platform/kernel/chart';
import type { Contribution } from '../../platform/kernel/contribution';
import { toStableJson } from '../../platform/kernel/serialize';
import { contributionsFile } from '../tree/layout';
import type { ClusterContext } from './render';

/**
 * Each cluster's declarations as `dist/<cluster>/contributions.json`: every component's
 * `contributes(props)`, keyed by component, keys sorted. A component's declarations describe
 * the cluster, not the components before it, so they are asked with nothing `earlier`.
 */
export function contributionFiles(
  fleet: Fleet,
  components: (cluster: ClusterSpec) => readonly Component[],
  contexts: (cluster: ClusterSpec) => ClusterContext,
): Map<string, string> {
  const files = new Map<string, string>();
  for (const cluster of fleet.clusters) {
    const { profile, outputs } = contexts(cluster);
    const props = {
      cluster,
      profile,
      outputs,
      fleet,
      earlier: { resources: [], releases: [], projects: new Map() },
    };
    const declared: Record<string, Contribution> = {};
    for (const component of components(cluster)) {
      const contribution = component.contributes?.(props);
      if (contribution) declared[component.name] = contribution;
    }
    files.set(contributionsFile(cluster.name), toStableJson(declared));
  }
  return files;
}
