import type { AwsClusterSpec } from '../../clusters/types';
import type { HelmRelease } from '../kernel/helm';
import { teamLabels } from '../kernel/pods';
import type { ClusterAutoscalerValues } from './cluster-autoscaler-values';
import { CLOUD_CONTROLLERS_TEAM } from './common';
import type { NodePlacement, WorkloadIdentityBinding } from './profile';
import { AUTOSCALING_NAMESPACE } from './spot-fallback';

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

/** Release and ServiceAccount name; the IRSA role infra/aws/cluster.ts creates trusts kube-system:cluster-autoscaler. */
export const CLUSTER_AUTOSCALER = 'cluster-autoscaler';

/** What the release is built from, all answered by the AWS profile. */
export interface ClusterAutoscalerProps {
  /** The EKS cluster whose managed node groups it resizes. */
  readonly cluster: AwsClusterSpec;
  /** The IRSA binding of its ServiceAccount. */
  readonly identity: WorkloadIdentityBinding;
  /** Placement on the general pool, never on the nodes it may remove; none without a general pool. */
  readonly placement?: NodePlacement;
}

/**
 * cluster-autoscaler as EKS needs it (EKS runs none): discovering the cluster's managed node groups
 * by tag, growing them by the priority expander's list.
 */
export function clusterAutoscalerRelease({
  cluster,
  identity,
  placement,
}: ClusterAutoscalerProps): HelmRelease {
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
        name: CLUSTER_AUTOSCALER,
        annotations: identity.serviceAccountAnnotations,
      },
    },
    podLabels: { ...identity.podLabels, ...teamLabels(CLOUD_CONTROLLERS_TEAM) },
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
    name: CLUSTER_AUTOSCALER,
    ...CLUSTER_AUTOSCALER_CHART,
    namespace: AUTOSCALING_NAMESPACE,
    values: { ...values },
    providesCrds: [],
  };
}
