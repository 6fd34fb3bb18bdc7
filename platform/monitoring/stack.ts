import type { ComponentProps } from '../kernel/chart';
import type { PodLabelValues } from '../kernel/contribution';
import type { HelmRelease } from '../kernel/helm';
import { TEAM_LABEL, teamLabels } from '../kernel/pods';
import { PROMETHEUS } from '../mesh/workloads';
import { ALERTMANAGER_CONFIG } from './alertmanager';
import { MONITORING_TEAM } from './contributes';
import { MONITORING_NAMESPACE } from './services';
import type { KubePrometheusStackValues, VolumeClaimTemplate } from './stack-values';

export { MONITORING_NAMESPACE } from './services';

/** Label the Grafana sidecar loads dashboards by; every dashboard ConfigMap carries it. */
export const DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** Secret with Grafana's admin password, filled by External Secrets. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** Uid of the Prometheus datasource kube-prometheus-stack provisions in Grafana; dashboards refer to it. */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

/** Volume sizes; Prometheus' is sized for the retention at the platform's series count. */
const VOLUMES = { prometheus: '200Gi', alertmanager: '10Gi', grafana: '10Gi' } as const;

/** Custom resource kinds whose CRDs kube-prometheus-stack installs. */
export const PROMETHEUS_OPERATOR_CRDS = [
  'monitoring.coreos.com/Alertmanager',
  'monitoring.coreos.com/AlertmanagerConfig',
  'monitoring.coreos.com/PodMonitor',
  'monitoring.coreos.com/Probe',
  'monitoring.coreos.com/Prometheus',
  'monitoring.coreos.com/PrometheusAgent',
  'monitoring.coreos.com/PrometheusRule',
  'monitoring.coreos.com/ScrapeConfig',
  'monitoring.coreos.com/ServiceMonitor',
  'monitoring.coreos.com/ThanosRuler',
] as const;

const RELEASE = 'kube-prometheus-stack';

/**
 * Where the values label every pod the release runs (read at 88.5.3 and its subcharts' pinned
 * versions): the chart's own Deployments and Jobs take `commonLabels`, the operator's Prometheus
 * and Alertmanager pods their `podMetadata`, each subchart its `podLabels`.
 */
export const PROMETHEUS_STACK_POD_LABELS: PodLabelValues = {
  release: RELEASE,
  paths: [
    'commonLabels',
    'prometheus.prometheusSpec.podMetadata.labels',
    'alertmanager.alertmanagerSpec.podMetadata.labels',
    'grafana.podLabels',
    'kube-state-metrics.podLabels',
    'prometheus-node-exporter.podLabels',
  ],
};

/** A PersistentVolumeClaim template on the cloud's standard storage class. */
function claim(storageClassName: string, size: string): VolumeClaimTemplate {
  return {
    spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
  };
}

/**
 * Prometheus' pod joins the mesh for one thing: a workload certificate to
 * scrape STRICT-mTLS pods with. Its sidecar intercepts no traffic and writes
 * the certificate into a shared in-memory volume.
 */
function prometheusMeshCertificate(): Pick<
  KubePrometheusStackValues['prometheus']['prometheusSpec'],
  'podMetadata' | 'volumes' | 'volumeMounts'
> {
  return {
    podMetadata: {
      labels: { 'sidecar.istio.io/inject': 'true', ...teamLabels(MONITORING_TEAM) },
      annotations: {
        'traffic.sidecar.istio.io/includeInboundPorts': '',
        'traffic.sidecar.istio.io/includeOutboundIPRanges': '',
        'proxy.istio.io/config': JSON.stringify({
          proxyMetadata: { OUTPUT_CERTS: '/etc/istio-output-certs' },
        }),
        'sidecar.istio.io/userVolumeMount': JSON.stringify({
          'istio-certs': { mountPath: '/etc/istio-output-certs' },
        }),
      },
    },
    volumes: [{ name: 'istio-certs', emptyDir: { medium: 'Memory' } }],
    volumeMounts: [{ name: 'istio-certs', mountPath: PROMETHEUS.certDirectory, readOnly: true }],
  };
}

/**
 * kube-prometheus-stack, pinned: the Prometheus operator, a highly available
 * Prometheus and Alertmanager on the cloud's volumes, Grafana with the
 * dashboard sidecar, kube-state-metrics and node-exporter.
 */
export function prometheusStackRelease({
  cluster,
  profile,
  fleet,
}: Pick<ComponentProps, 'cluster' | 'profile' | 'fleet'>): HelmRelease {
  const storage = profile.storageClass('standard');
  const retentionDays = fleet.settings.observability.metricsRetentionDays;
  const team = teamLabels(MONITORING_TEAM);
  const values: KubePrometheusStackValues = {
    fullnameOverride: 'kube-prometheus-stack',
    commonLabels: team,
    crds: { enabled: true },
    // Managed control planes (EKS, GKE, AKS) do not expose these components to scraping.
    kubeEtcd: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
    prometheus: {
      serviceAccount: { create: true, name: PROMETHEUS.serviceAccount },
      prometheusSpec: {
        replicas: 2,
        retention: `${retentionDays}d`,
        // Keep a margin below the volume size so compaction never fills it.
        retentionSize: '180GB',
        externalLabels: { cluster: cluster.name, cloud: cluster.cloud, region: cluster.region },
        // Select every monitor and rule, not only the chart's own.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        resources: { requests: { cpu: '1', memory: '8Gi' }, limits: { cpu: '4', memory: '16Gi' } },
        storageSpec: { volumeClaimTemplate: claim(storage, VOLUMES.prometheus) },
        ...prometheusMeshCertificate(),
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: 3,
        storage: { volumeClaimTemplate: claim(storage, VOLUMES.alertmanager) },
        // The platform's AlertmanagerConfig is the whole configuration: routes, receivers, inhibitions.
        alertmanagerConfiguration: { name: ALERTMANAGER_CONFIG },
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        podMetadata: { labels: team },
      },
    },
    grafana: {
      podLabels: team,
      serviceMonitor: { enabled: true },
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
      persistence: { enabled: true, storageClassName: storage, size: VOLUMES.grafana },
      sidecar: {
        dashboards: {
          enabled: true,
          label: Object.keys(DASHBOARD_LABEL)[0],
          labelValue: Object.values(DASHBOARD_LABEL)[0],
          searchNamespace: MONITORING_NAMESPACE,
          folderAnnotation: 'grafana_folder',
          provider: { foldersFromFilesStructure: true },
        },
        datasources: { enabled: true, defaultDatasourceEnabled: true, uid: PROMETHEUS_DATASOURCE_UID },
      },
    },
    'kube-state-metrics': {
      podLabels: team,
      // kube_pod_labels{label_team}: what OpenCost and `npm run cost -- --actual` allocate cost by.
      metricLabelsAllowlist: [`pods=[${TEAM_LABEL}]`],
    },
    'prometheus-node-exporter': { podLabels: team },
  };
  return {
    name: RELEASE,
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    // prometheus-operator v0.93.1.
    version: '88.5.3',
    namespace: MONITORING_NAMESPACE,
    values: { ...values },
    providesCrds: PROMETHEUS_OPERATOR_CRDS,
    // Prometheus' pod needs istiod's injector for its workload certificate.
    requires: ['istiod'],
    serverSideApply: true,
  };
}
