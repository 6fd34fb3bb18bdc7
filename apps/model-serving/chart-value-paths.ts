/**
 * The value paths each chart this component installs reads, at its pinned version: the keys of the
 * chart's values.yaml and the `.Values` paths its templates refer to, read at the tag named on each
 * list. Listed to the depth the platform's values reach: a listed path is read whole (a scalar, a
 * list, or a map the chart renders as it is), and a path not listed is one the chart does not read.
 * `npm run check:cluster` reports any value given to the chart outside these paths.
 */
import type { ChartValuePaths } from '../../platform/kernel/contribution';

/** prometheus-adapter 5.3.0: prometheus-community/helm-charts tag prometheus-adapter-5.3.0, charts/prometheus-adapter/values.yaml and templates/. */
export const PROMETHEUS_ADAPTER_VALUE_PATHS: ChartValuePaths = {
  chart: 'prometheus-adapter',
  version: '5.3.0',
  reads: [
    'affinity',
    'automountServiceAccountToken',
    'certManager',
    'customAnnotations',
    'customLabels',
    'deploymentAnnotations',
    'dnsConfig',
    'dnsPolicy',
    'env',
    'extraArguments',
    'extraContainers',
    'extraManifests',
    'extraVolumeMounts',
    'extraVolumes',
    'fullnameOverride',
    'hostNetwork',
    'image',
    'listenPort',
    'livenessProbe',
    'logLevel',
    'metricsRelistInterval',
    'nameOverride',
    'namespaceOverride',
    'nodeSelector',
    'podAnnotations',
    'podDisruptionBudget.enabled',
    'podDisruptionBudget.maxUnavailable',
    'podDisruptionBudget.minAvailable',
    'podDisruptionBudget.unhealthyPodEvictionPolicy',
    'podLabels',
    'podSecurityContext',
    'priorityClassName',
    'prometheus.path',
    'prometheus.port',
    'prometheus.url',
    'rbac',
    'readinessProbe',
    'replicas',
    'resources',
    'revisionHistoryLimit',
    'rules.custom',
    'rules.default',
    'rules.existing',
    'rules.external',
    'rules.resource',
    'securityContext',
    'service',
    'serviceAccount',
    'startupProbe',
    'strategy',
    'tls',
    'tolerations',
    'topologySpreadConstraints',
  ],
};
