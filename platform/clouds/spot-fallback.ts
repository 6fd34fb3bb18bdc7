import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ClusterSpec } from '../../clusters/types';
import type { HelmRelease } from '../kernel/helm';
import { embeddedYaml } from '../kernel/serialize';
import { clusterAutoscalerChartObjects } from './cluster-autoscaler-chart-objects';
import { CLOUD_CONTROLLERS_TEAM, spotPairs } from './common';
import type { AddOnObject, CloudAddOn, SpotFallback, SpotPair } from './profile';

/**
 * Spot capacity with automatic on-demand fallback, the add-on of the clouds
 * whose autoscaler takes a priority list (EKS, AKS). The fleet pairs each spot
 * pool with an on-demand pool of the same role (`fallbackFor`); pods of the
 * pair are placed by role on both (CloudProfile.nodePlacement). What remains
 * is telling the autoscaler to grow spot first: the priority expander's
 * ConfigMap, and on EKS the autoscaler itself. GKE needs nothing: its
 * autoscaler grows the on-demand pool of the pair when the spot pool cannot
 * grow, so its profile contributes no add-on. Serving capacity during a
 * reclaim is held by the PodDisruptionBudgets model serving renders for every
 * model version.
 */

/** The add-on's component name: its folder under dist/<cluster>/ and its Argo CD Application. */
export const SPOT_FALLBACK_ADD_ON = 'autoscaling';

/**
 * Where the autoscaler and its priorities live: cluster-autoscaler reads the
 * ConfigMap from its own namespace, and AKS's managed autoscaler only from here.
 */
export const AUTOSCALING_NAMESPACE = 'kube-system';

/** The name cluster-autoscaler's priority expander looks for (fixed upstream). */
export const PRIORITY_CONFIGMAP = 'cluster-autoscaler-priority-expander';

/** Priorities of the expander: higher wins among the node groups that can take the pending pods. */
export const PRIORITY = {
  spot: 50,
  fallback: 10,
  /** Every other node group: still eligible, never preferred. */
  other: 1,
} as const;

/** The priority expander's configuration: spot node groups first, their on-demand fallbacks next. */
export function expanderPriorities(fallbacks: readonly SpotFallback[]): Map<number, string[]> | undefined {
  const withPatterns = fallbacks.flatMap((f) => (f.priorityPatterns ? [f.priorityPatterns] : []));
  if (withPatterns.length === 0) return undefined;
  return new Map([
    [PRIORITY.spot, withPatterns.map((p) => p.spot)],
    [PRIORITY.fallback, withPatterns.map((p) => p.fallback)],
    [PRIORITY.other, ['.*']],
  ]);
}

/** What a cloud's spot fallback add-on is built from. */
export interface SpotFallbackOptions {
  /** The cluster whose spot pairs fall back. */
  readonly cluster: ClusterSpec;
  /** The cloud's answer for one pair (its profile's `spotFallback`). */
  readonly fallbackOf: (pair: SpotPair) => SpotFallback;
  /** The autoscaler the platform runs itself (EKS); absent where the cloud runs it (AKS). */
  readonly autoscaler?: () => HelmRelease;
}

/**
 * The spot fallback add-on of a cluster, or none when it has no spot pair:
 * the priority expander's ConfigMap, and the autoscaler where the platform
 * runs it. Built lazily, so a value the cloud cannot answer yet is reported
 * by the synthesis against the add-on.
 */
export function spotFallbackAddOns(options: SpotFallbackOptions): CloudAddOn[] {
  const pairs = spotPairs(options.cluster);
  if (pairs.length === 0) return [];
  return [
    {
      name: SPOT_FALLBACK_ADD_ON,
      objects: (): Record<string, AddOnObject> => {
        const priorities = expanderPriorities(pairs.map(options.fallbackOf));
        if (!priorities) return {};
        const configMap: IConfigMap = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: PRIORITY_CONFIGMAP, namespace: AUTOSCALING_NAMESPACE },
          // Integer keys, highest first: the autoscaler parses the map as map[int][]string.
          data: { priorities: embeddedYaml(new Map([...priorities].sort(([a], [b]) => b - a))) },
        };
        return { 'priority-expander': configMap };
      },
      helmReleases: () => (options.autoscaler ? [options.autoscaler()] : []),
      contributes: () => ({
        team: CLOUD_CONTROLLERS_TEAM,
        ...(options.autoscaler ? { chartObjects: clusterAutoscalerChartObjects(options.autoscaler()) } : {}),
      }),
    },
  ];
}
