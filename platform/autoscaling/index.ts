import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { ClusterSpec } from '../../clusters/types';
import { profileFor, type SpotFallback, type SpotPair } from '../clouds';
import { spotPairs } from '../clouds/common';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import type { HelmRelease } from '../kernel/helm';
import { embeddedYaml } from '../kernel/serialize';
import { clusterAutoscalerChartObjects } from './chart-objects';
import type { ClusterAutoscalerValues } from './cluster-autoscaler-values';

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

/**
 * The pinned cluster-autoscaler chart (kubernetes/autoscaler, tag cluster-autoscaler-chart-9.59.0,
 * the newest chart release; its appVersion is 1.35.0). cluster-autoscaler's minor follows the
 * Kubernetes minor it schedules for, so the image is the newest 1.35 patch.
 */
export const CLUSTER_AUTOSCALER_CHART = {
  repoURL: 'https://kubernetes.github.io/autoscaler',
  chart: 'cluster-autoscaler',
  version: '9.59.0',
} as const;

/** cluster-autoscaler 1.35.2 (tag cluster-autoscaler-1.35.2), for the fleet's Kubernetes 1.35. */
export const CLUSTER_AUTOSCALER_IMAGE_TAG = 'v1.35.2';

/** Each spot pair with the cloud's answer on how it falls back. */
function fallbacks({ cluster, profile }: ComponentProps): { pair: SpotPair; fallback: SpotFallback }[] {
  return spotPairs(cluster).map((pair) => ({ pair, fallback: profile.spotFallback(pair) }));
}

/**
 * Whether the cluster needs anything from this component: a priority list for
 * its autoscaler or an autoscaler of its own.
 */
export function needsAutoscaling(cluster: ClusterSpec): boolean {
  const profile = profileFor(cluster);
  return spotPairs(cluster).some((pair) => {
    const answer = profile.spotFallback(pair);
    return answer.priorityPatterns !== undefined || answer.selfManagedAutoscaler;
  });
}

/** The priority expander's configuration: spot node groups first, their on-demand fallbacks next. */
export function expanderPriorities(
  entries: readonly { pair: SpotPair; fallback: SpotFallback }[],
): Map<number, string[]> | undefined {
  const withPatterns = entries.flatMap((e) =>
    e.fallback.priorityPatterns ? [e.fallback.priorityPatterns] : [],
  );
  if (withPatterns.length === 0) return undefined;
  return new Map([
    [PRIORITY.spot, withPatterns.map((p) => p.spot)],
    [PRIORITY.fallback, withPatterns.map((p) => p.fallback)],
    [PRIORITY.other, ['.*']],
  ]);
}

/**
 * Spot capacity with automatic on-demand fallback. The fleet pairs each spot
 * pool with an on-demand pool of the same role (`fallbackFor`); pods of the
 * pair are placed by role on both (CloudProfile.nodePlacement). What remains
 * is telling the autoscaler to grow spot first: the priority expander's
 * ConfigMap where the cloud's autoscaler takes one (EKS, AKS). GKE needs
 * nothing here: its autoscaler grows the on-demand pool of the pair when the
 * spot pool cannot grow. Serving capacity during a reclaim is held by the
 * PodDisruptionBudgets model serving renders for every model version.
 */
export class AutoscalingChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'autoscaling', props);
    const priorities = expanderPriorities(fallbacks(props));
    if (priorities) {
      new k8s.KubeConfigMap(this, 'priority-expander', {
        metadata: { name: PRIORITY_CONFIGMAP, namespace: AUTOSCALING_NAMESPACE },
        // Integer keys, highest first: the autoscaler parses the map as map[int][]string.
        data: { priorities: embeddedYaml(new Map([...priorities].sort(([a], [b]) => b - a))) },
      });
    }
  }
}

/** cluster-autoscaler where the platform runs it itself (EKS), discovering the cluster's node groups by tag. */
function clusterAutoscalerRelease(props: ComponentProps): HelmRelease {
  const { cluster, profile } = props;
  const identity = profile.workloadIdentity('cluster-autoscaler');
  const system = cluster.nodePools.find((p) => p.role === 'general');
  const placement = system ? profile.nodePlacement(system) : undefined;
  const values: ClusterAutoscalerValues = {
    cloudProvider: 'aws',
    awsRegion: cluster.region,
    // EKS tags the Auto Scaling group of every managed node group for discovery.
    autoDiscovery: { clusterName: cluster.name },
    image: { tag: CLUSTER_AUTOSCALER_IMAGE_TAG },
    extraArgs: {
      expander: 'priority',
      // The spot pool and its fallback are alike: spread scale-ups across zones evenly.
      'balance-similar-node-groups': true,
      'skip-nodes-with-local-storage': false,
    },
    rbac: {
      serviceAccount: {
        create: true,
        name: 'cluster-autoscaler',
        annotations: identity.serviceAccountAnnotations,
      },
    },
    podLabels: identity.podLabels,
    // Two replicas, one active: cluster-autoscaler elects a leader by default (--leader-elect).
    replicaCount: 2,
    podDisruptionBudget: { maxUnavailable: 1 },
    priorityClassName: 'system-cluster-critical',
    // Never on the nodes it may remove.
    nodeSelector: placement?.nodeSelector ?? {},
    tolerations: placement?.tolerations ?? [],
    resources: {
      requests: { cpu: '100m', memory: '300Mi' },
      limits: { cpu: '500m', memory: '600Mi' },
    },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
  };
  return {
    name: 'cluster-autoscaler',
    ...CLUSTER_AUTOSCALER_CHART,
    namespace: AUTOSCALING_NAMESPACE,
    values: { ...values },
    providesCrds: [],
  };
}

export const autoscalingComponent: Component = {
  name: 'autoscaling',
  project: 'platform',
  build: (scope, props) => new AutoscalingChart(scope, props),
  helmReleases: (props) =>
    fallbacks(props).some((e) => e.fallback.selfManagedAutoscaler) ? [clusterAutoscalerRelease(props)] : [],
  contributes: (props) =>
    fallbacks(props).some((e) => e.fallback.selfManagedAutoscaler)
      ? { chartObjects: clusterAutoscalerChartObjects(clusterAutoscalerRelease(props)) }
      : {},
};
