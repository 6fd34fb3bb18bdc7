import type { ContainerSecurityContext, ResourceRequirements } from '../kernel/helm-values';
import type { Toleration } from './profile';

/**
 * The values of the cluster-autoscaler chart 9.59.0 (kubernetes/autoscaler,
 * cluster-autoscaler/charts/cluster-autoscaler/values.yaml at tag
 * cluster-autoscaler-chart-9.59.0) that the platform sets; everything else keeps
 * the chart's default. A key the chart does not read fails the typecheck.
 */
export interface ClusterAutoscalerValues {
  /** The cloud provider implementation; `aws` discovers Auto Scaling groups. */
  readonly cloudProvider: 'aws';
  /** Region of the Auto Scaling groups (`AWS_REGION` of the container). */
  readonly awsRegion: string;
  /** Discovery by the `k8s.io/cluster-autoscaler/<clusterName>` tag EKS puts on node groups. */
  readonly autoDiscovery: { readonly clusterName: string };
  /** The image tag; the chart's default is its appVersion's. */
  readonly image: { readonly tag: string };
  /** Command-line flags, `--<key>=<value>`. */
  readonly extraArgs: {
    readonly expander: 'priority';
    readonly 'balance-similar-node-groups': boolean;
    readonly 'skip-nodes-with-local-storage': boolean;
  };
  /** The ServiceAccount the chart creates, annotated with the workload identity. */
  readonly rbac: {
    readonly serviceAccount: {
      readonly create: true;
      readonly name: string;
      readonly annotations: Readonly<Record<string, string>>;
    };
  };
  /** Labels on the pods (the profile's workload-identity pod labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Replicas; one is the leader at a time. */
  readonly replicaCount: number;
  readonly podDisruptionBudget: { readonly maxUnavailable: number };
  readonly priorityClassName: 'system-cluster-critical';
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  readonly resources: ResourceRequirements;
  readonly containerSecurityContext: ContainerSecurityContext;
}
