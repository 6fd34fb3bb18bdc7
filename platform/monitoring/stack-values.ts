import type { ResourceRequirements } from '../kernel/helm-values';

/** A PersistentVolumeClaim template, as the Prometheus operator's storage specs take it. */
export interface VolumeClaimTemplate {
  readonly spec: {
    /** Must name a StorageClass the cluster has (rendered by base, or one the cloud provides). */
    readonly storageClassName: string;
    readonly accessModes: readonly ['ReadWriteOnce'];
    readonly resources: { readonly requests: { readonly storage: string } };
  };
}

/** A pod volume, as Prometheus' `volumes` passes it to the pod spec. */
export interface MemoryVolume {
  readonly name: string;
  readonly emptyDir: { readonly medium: 'Memory' };
}

/** A container volume mount. */
export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

/**
 * The values of kube-prometheus-stack 88.5.3 (prometheus-community/helm-charts,
 * charts/kube-prometheus-stack/values.yaml at tag kube-prometheus-stack-88.5.3,
 * and its grafana dependency 12.11.1 from grafana-community/helm-charts) that the
 * platform sets. Everything else keeps the chart's default; a key the chart
 * does not read fails the typecheck.
 */
export interface KubePrometheusStackValues {
  readonly fullnameOverride: string;
  /**
   * Labels of every object of the chart itself (templates/_helpers.tpl `kube-prometheus-stack.labels`),
   * the pod templates of the operator and of its admission webhook's certificate Jobs included;
   * not the subcharts' objects, nor the pods the operator runs.
   */
  readonly commonLabels: Readonly<Record<string, string>>;
  /** The chart installs the monitoring.coreos.com CRDs. */
  readonly crds: { readonly enabled: true };
  /** Control-plane components a managed cluster does not expose to scraping. */
  readonly kubeEtcd: { readonly enabled: false };
  readonly kubeControllerManager: { readonly enabled: false };
  readonly kubeScheduler: { readonly enabled: false };
  readonly kubeProxy: { readonly enabled: false };
  readonly prometheus: {
    readonly serviceAccount: { readonly create: true; readonly name: string };
    readonly prometheusSpec: {
      readonly replicas: number;
      readonly retention: string;
      readonly retentionSize: string;
      readonly externalLabels: Readonly<Record<string, string>>;
      readonly serviceMonitorSelectorNilUsesHelmValues: false;
      readonly podMonitorSelectorNilUsesHelmValues: false;
      readonly ruleSelectorNilUsesHelmValues: false;
      readonly probeSelectorNilUsesHelmValues: false;
      readonly resources: ResourceRequirements;
      readonly storageSpec: { readonly volumeClaimTemplate: VolumeClaimTemplate };
      readonly podMetadata: {
        readonly labels: Readonly<Record<string, string>>;
        readonly annotations: Readonly<Record<string, string>>;
      };
      readonly volumes: readonly MemoryVolume[];
      readonly volumeMounts: readonly VolumeMount[];
    };
  };
  readonly alertmanager: {
    readonly alertmanagerSpec: {
      readonly replicas: number;
      readonly storage: { readonly volumeClaimTemplate: VolumeClaimTemplate };
      /** The AlertmanagerConfig used as the whole configuration. */
      readonly alertmanagerConfiguration: { readonly name: string };
      readonly resources: ResourceRequirements;
      /** Labels the operator puts on the Alertmanager pods. */
      readonly podMetadata: { readonly labels: Readonly<Record<string, string>> };
    };
  };
  readonly grafana: {
    /** Labels of Grafana's pods (grafana 12.11.1 templates/deployment.yaml). */
    readonly podLabels: Readonly<Record<string, string>>;
    readonly serviceMonitor: { readonly enabled: true };
    readonly admin: {
      readonly existingSecret: string;
      readonly userKey: string;
      readonly passwordKey: string;
    };
    /** The grafana chart's PVC; `storageClassName` is read by its templates/pvc.yaml. */
    readonly persistence: {
      readonly enabled: true;
      readonly storageClassName: string;
      readonly size: string;
    };
    readonly sidecar: {
      readonly dashboards: {
        readonly enabled: true;
        readonly label: string;
        readonly labelValue: string;
        readonly searchNamespace: string;
        readonly folderAnnotation: string;
        readonly provider: { readonly foldersFromFilesStructure: true };
      };
      readonly datasources: {
        readonly enabled: true;
        readonly defaultDatasourceEnabled: true;
        readonly uid: string;
      };
    };
  };
  /** The kube-state-metrics 8.4.0 subchart (charts/kube-state-metrics/values.yaml at tag kube-state-metrics-8.4.0). */
  readonly 'kube-state-metrics': {
    /** Labels of its pod (templates/deployment.yaml). */
    readonly podLabels: Readonly<Record<string, string>>;
    /**
     * `--metric-labels-allowlist`: per resource (plural), the Kubernetes labels it exports as
     * `label_<name>` on `kube_<resource>_labels`, e.g. `pods=[team]`.
     */
    readonly metricLabelsAllowlist: readonly string[];
  };
  /** The prometheus-node-exporter 4.56.1 subchart: labels of its DaemonSet's pods (templates/daemonset.yaml). */
  readonly 'prometheus-node-exporter': { readonly podLabels: Readonly<Record<string, string>> };
}
