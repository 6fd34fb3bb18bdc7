/**
 * The values of the tracing charts, typed from each chart's values.yaml and
 * templates at the pinned version. Only the keys the platform sets are
 * declared, each where the chart reads it, so a key the chart does not read
 * (or one the chart moved) fails the typecheck instead of being ignored by
 * Helm.
 */
import type { IDeploymentStrategy } from 'kubernetes-models/apps/v1/DeploymentStrategy';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';

/**
 * A collector (or Jaeger v2, which is one) configuration: named components
 * and the pipelines wiring them. `null` for a component removes a default
 * the chart merges in (Helm deletes a key whose value is null).
 */
export interface CollectorConfig {
  readonly receivers: Readonly<Record<string, unknown>>;
  readonly processors: Readonly<Record<string, unknown>>;
  readonly exporters: Readonly<Record<string, unknown>>;
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly service: {
    readonly extensions?: readonly string[];
    readonly telemetry?: Readonly<Record<string, unknown>>;
    readonly pipelines: Readonly<Record<string, CollectorPipeline | null>>;
  };
}

export interface CollectorPipeline {
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

/** One of the chart's `ports` entries (opentelemetry-collector 0.170.0, `ports.<name>`). */
interface CollectorPort {
  /** The chart renders the port on the container and the Service only when enabled. */
  readonly enabled: boolean;
}

/** opentelemetry-collector chart 0.170.0 (collector 0.158.0): the keys the platform sets. */
export type OtelCollectorChartValues = {
  readonly fullnameOverride: string;
  /** The chart fails to render without a mode. */
  readonly mode: 'deployment' | 'daemonset' | 'statefulset';
  readonly replicaCount: number;
  /** Labels of its pods besides the selector's (templates/_helpers.tpl `opentelemetry-collector.podLabels`). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The chart fails to render without `image.repository` (no default distribution). */
  readonly image: { readonly repository: string; readonly tag?: string };
  readonly resources: IResourceRequirements;
  readonly podSecurityContext: IPodSecurityContext;
  readonly securityContext: ISecurityContext;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable?: number };
  readonly ports: Readonly<
    Partial<
      Record<
        'otlp' | 'otlp-http' | 'jaeger-compact' | 'jaeger-thrift' | 'jaeger-grpc' | 'zipkin' | 'metrics',
        CollectorPort
      >
    >
  >;
  /**
   * The collector's whole configuration, rendered as it is (templates/_config.tpl); `config` would
   * be merged by Helm over the chart's example configuration (a debug exporter in three pipelines).
   */
  readonly alternateConfig: CollectorConfig;
  readonly serviceMonitor: { readonly enabled: boolean };
};

/**
 * jaeger chart 4.11.1 (Jaeger v2.19.0). Jaeger v2 is an OpenTelemetry
 * collector distribution: one Deployment and one Service named after the
 * release, configured entirely by `userconfig`. `storage.elasticsearch` only
 * feeds the maintenance jobs (ES_USERNAME and ES_SERVER_URLS of the index
 * cleaner); the chart mounts nothing from it for the cleaner.
 */
export type JaegerChartValues = {
  /** The whole Jaeger configuration, rendered into the `user-config` ConfigMap and passed with `--config`. */
  readonly userconfig: CollectorConfig;
  readonly jaeger: {
    /** The tag defaults to the chart's appVersion (2.19.0). */
    readonly image: { readonly tag: string };
    readonly replicas: number;
    /** Labels of its pods besides the selector's (templates/jaeger/jaeger-deploy.yaml). */
    readonly podLabels: Readonly<Record<string, string>>;
    /** Defaults to Recreate in the chart's Deployment. */
    readonly strategy?: IDeploymentStrategy;
    readonly resources: IResourceRequirements;
    readonly podSecurityContext: IPodSecurityContext;
    readonly securityContext: ISecurityContext;
    readonly serviceAccount?: { readonly automountServiceAccountToken?: boolean };
    /** Extra ports on the Service; the template requires a name for each. */
    readonly service?: {
      readonly extraPorts?: readonly {
        readonly name: string;
        readonly port: number;
        readonly targetPort: number;
        readonly protocol?: 'TCP' | 'UDP';
      }[];
    };
    readonly extraVolumes: readonly IVolume[];
    readonly extraVolumeMounts: readonly IVolumeMount[];
  };
  readonly storage: {
    readonly type: 'elasticsearch';
    readonly elasticsearch: {
      /** The index cleaner's second argument and its ES_SERVER_URLS. */
      readonly url: string;
      /** ES_USERNAME of the maintenance jobs. */
      readonly user: string;
    };
  };
  readonly esIndexCleaner: {
    readonly enabled: boolean;
    /** jaegertracing/jaeger-es-index-cleaner; its tags follow Jaeger's v2 releases. */
    readonly image: { readonly tag: string };
    readonly numberOfDays: number;
    readonly schedule: string;
    /** Labels of its Jobs' pods besides the selector's (templates/es-maintenance/es-index-cleaner-cronjob.yaml). */
    readonly podLabels: Readonly<Record<string, string>>;
    readonly resources: IResourceRequirements;
    readonly podSecurityContext: IPodSecurityContext;
    readonly securityContext: ISecurityContext;
    /** Rendered as `--key=value` arguments of jaeger-es-index-cleaner. */
    readonly cmdlineParams: Readonly<Record<string, string | boolean>>;
    readonly extraEnv: readonly IEnvVar[];
    /** Each becomes a Secret volume and a mount with this path and subPath. */
    readonly extraSecretMounts: readonly {
      readonly name: string;
      readonly secretName: string;
      readonly mountPath: string;
      readonly subPath: string;
      readonly readOnly: boolean;
    }[];
  };
};
