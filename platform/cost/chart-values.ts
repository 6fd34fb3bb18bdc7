/**
 * The values of the opencost chart 2.5.17 (opencost/opencost-helm-chart, charts/opencost/values.yaml
 * and templates at tag opencost-2.5.17) the platform sets; every other key keeps the chart's default.
 */
import type { ResourceRequirements, RestrictedContainerSecurity } from '../kernel/helm-values';

/** One `opencost.exporter.env` entry (written into the container's env as given). */
export type OpenCostEnv =
  | { readonly name: string; readonly value: string }
  | {
      readonly name: string;
      readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
    };

/** A volume of `extraVolumes` (pod level) and its mount in `opencost.exporter.extraVolumeMounts`. */
export interface EmptyDirVolume {
  readonly name: string;
  readonly emptyDir: { readonly sizeLimit: string };
}
export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
}

export interface OpenCostValues {
  /** Labels on OpenCost's pod (the profile's workload-identity pod labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * The ServiceAccount the chart creates (templates/serviceaccount.yaml renders `annotations`, no
   * labels), named so the cloud identity trusts exactly it.
   */
  readonly serviceAccount: {
    readonly create: true;
    readonly name: string;
    readonly annotations: Readonly<Record<string, string>>;
    readonly automountServiceAccountToken: true;
  };
  readonly podSecurityContext: {
    readonly runAsNonRoot: true;
    readonly runAsUser: number;
    readonly runAsGroup: number;
    readonly fsGroup: number;
    readonly seccompProfile: { readonly type: 'RuntimeDefault' };
  };
  /** The Service in front of the API and `/metrics`; in-cluster only. */
  readonly service: { readonly enabled: true; readonly type: 'ClusterIP' };
  /** Off: the platform's NetworkPolicies come from the declared flows (platform/base). */
  readonly networkPolicies: { readonly enabled: false };
  /** The chart's read-only ClusterRole on the objects OpenCost prices. */
  readonly rbac: { readonly enabled: true };
  /** The chart's own Secret-writing knobs stay empty: no credential goes into the values. */
  readonly opencost: {
    readonly exporter: {
      /** The default cluster id OpenCost labels its data with: the fleet's cluster name. */
      readonly defaultClusterId: string;
      readonly image: { readonly registry: string; readonly repository: string; readonly tag: string };
      readonly replicas: 1;
      readonly resources: ResourceRequirements;
      readonly securityContext: RestrictedContainerSecurity;
      /** Extra environment: the cloud profile's pricing settings (a key from a Secret, never a value). */
      readonly env: readonly OpenCostEnv[];
      /** A writable folder for OpenCost's configuration files (`CONFIG_PATH`, /var/configs) under a read-only root. */
      readonly extraVolumeMounts: readonly VolumeMount[];
      /** Off: OpenCost keeps no export on a volume (nothing billable, nothing to back up). */
      readonly persistence: { readonly enabled: false };
    };
    /** Off: the MCP server for AI agents is not part of the platform (one port fewer to open). */
    readonly mcp: { readonly enabled: false };
    /** Off: Grafana shows the cost; the UI's nginx would be one more container to harden and expose. */
    readonly ui: { readonly enabled: false };
    /** Off: the platform renders its monitor from the declared scrape target (platform/monitoring). */
    readonly metrics: { readonly serviceMonitor: { readonly enabled: false } };
    /** The platform's Prometheus (kube-prometheus-stack), which OpenCost queries and which scrapes it. */
    readonly prometheus: {
      readonly internal: {
        readonly enabled: true;
        readonly serviceName: string;
        readonly namespaceName: string;
        readonly port: number;
        readonly scheme: 'http';
      };
      readonly external: { readonly enabled: false };
    };
    /** Off: Cloud Costs needs billing exports (CUR, BigQuery, Azure exports) the platform does not set up. */
    readonly cloudCost: { readonly enabled: false };
    readonly nodeSelector: Readonly<Record<string, string>>;
    readonly tolerations: readonly {
      readonly key: string;
      readonly operator: 'Equal' | 'Exists';
      readonly value?: string;
      readonly effect: string;
    }[];
  };
  /** Pod volumes (`extraVolumes`): the emptyDir behind the writable configuration folder. */
  readonly extraVolumes: readonly EmptyDirVolume[];
}
