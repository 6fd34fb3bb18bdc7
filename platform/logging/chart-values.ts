/**
 * The values of the logging charts, typed from each chart's values.yaml and
 * templates at the pinned version. Only the keys the platform sets are
 * declared, each where the chart reads it, so a key the chart does not read
 * (or one the chart moved) fails the typecheck instead of being ignored by
 * Helm.
 */
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';

/** eck-operator chart 3.5.0 (deploy/eck-operator at v3.5.0). */
export type EckOperatorChartValues = {
  /** Namespaces the operator watches; empty means all. */
  readonly managedNamespaces: readonly string[];
  /** The CRDs, cluster roles and webhook configuration. */
  readonly createClusterScopedResources: boolean;
  readonly config: {
    /**
     * The operator's metrics endpoint; `port` 0 turns it off, and the
     * PodMonitor is rendered only with a port above 0. (The chart still
     * falls back to the older `config.metricsPort`, which is not used here.)
     */
    readonly metrics: {
      readonly port: number;
      /** HTTPS with authorization through a Service and ServiceMonitor; excludes the PodMonitor. */
      readonly secureMode?: { readonly enabled: boolean };
    };
  };
  /** Labels of the operator's pod besides the chart's own (templates/statefulset.yaml). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** A PodMonitor scraping the container port the chart names `metrics`. */
  readonly podMonitor: { readonly enabled: boolean };
  readonly resources: IResourceRequirements;
};

/** fluent-bit chart 0.58.1 (Fluent Bit 5.1.1), charts/fluent-bit at tag fluent-bit-0.58.1. */
export type FluentBitChartValues = {
  readonly kind: 'DaemonSet' | 'Deployment';
  /** Labels of its pods besides the selector's (templates/daemonset.yaml). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly tolerations: readonly IToleration[];
  readonly priorityClassName: string;
  readonly resources: IResourceRequirements;
  readonly env: readonly IEnvVar[];
  readonly extraVolumes: readonly IVolume[];
  readonly extraVolumeMounts: readonly IVolumeMount[];
  /** Rendered only when the cluster serves monitoring.coreos.com/v1; scrapes the Service's `http` port. */
  readonly serviceMonitor: { readonly enabled: boolean };
  /** A test Pod run by `helm test`; never used with Argo CD. */
  readonly testFramework: { readonly enabled: boolean };
  /**
   * Fluent Bit's classic configuration, section by section; each replaces
   * the chart's default of that section whole (they are strings, not maps).
   */
  readonly config: {
    readonly inputs: string;
    readonly filters: string;
    readonly outputs: string;
  };
};
