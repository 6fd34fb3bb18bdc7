import { METRIC_NAMES as BATCH_METRICS } from '../../apps/batch-predictor/src/metrics';
import { REPLICATION_JOBS, replicationSeries } from '../../apps/data-sync/rclone';
import { METRICS as GATEWAY_METRICS } from '../../gateway/src/metrics/names';
import { KUBE_STATE_SERIES as COST_KUBE_STATE_SERIES, OPENCOST_SERIES_NAMES } from '../cost/series';
import { SNAPSHOT_SERIES } from '../logging/snapshots';

/**
 * Every metric name the platform's alert rules and dashboards may use, by the
 * exporter that produces it. The gateway's come from its own typed list; the
 * others are the upstream exporters' documented names that the platform
 * scrapes (TF Serving's Prometheus endpoint, Istio's Envoy and istiod,
 * kube-state-metrics and node-exporter from kube-prometheus-stack).
 * A query that names anything else is a query that silently shows nothing.
 */

/** Series names a Prometheus histogram or counter of the given base name and type produces. */
function seriesOf(name: string, type: 'counter' | 'gauge' | 'histogram'): string[] {
  return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

/** The prediction gateway (ml-platform/gateway, `/metrics`). */
export const GATEWAY_SERIES: readonly string[] = Object.values(GATEWAY_METRICS).flatMap((metric) =>
  seriesOf(metric.name, metric.type),
);

/** TF Serving's Prometheus endpoint (`/monitoring/prometheus/metrics`, enabled by its monitoring config). */
export const TF_SERVING_SERIES: readonly string[] = [
  ':tensorflow:serving:request_count',
  ...seriesOf(':tensorflow:serving:request_latency', 'histogram'),
  ...seriesOf(':tensorflow:serving:runtime_latency', 'histogram'),
  ':tensorflow:cc:saved_model:load_attempt_count',
];

/** Istio: Envoy's standard metrics (port 15090) and istiod's own (port 15014). */
export const ISTIO_SERIES: readonly string[] = [
  'istio_requests_total',
  ...seriesOf('istio_request_duration_milliseconds', 'histogram'),
  'istio_tcp_connections_opened_total',
  'istio_tcp_connections_closed_total',
  'citadel_server_root_cert_expiry_timestamp',
  'citadel_server_cert_chain_expiry_timestamp',
  'pilot_xds_pushes',
  'pilot_proxy_convergence_time_bucket',
];

/** kube-state-metrics, installed by kube-prometheus-stack. */
export const KUBE_STATE_SERIES: readonly string[] = [
  'kube_deployment_spec_replicas',
  'kube_deployment_status_replicas_available',
  'kube_deployment_status_replicas_unavailable',
  'kube_pod_container_status_restarts_total',
  // The pods' labels (the `team` label as label_team) and the volumes' sizes the cost queries join.
  ...Object.values(COST_KUBE_STATE_SERIES),
];

/** OpenCost's cost model (platform/cost/series.ts, from its pkg/costmodel/metrics.go). */
export const OPENCOST_EXPORTED_SERIES: readonly string[] = OPENCOST_SERIES_NAMES;

/** node-exporter, installed by kube-prometheus-stack on every node. */
export const NODE_EXPORTER_SERIES: readonly string[] = [
  'node_cpu_seconds_total',
  'node_memory_MemAvailable_bytes',
  'node_memory_MemTotal_bytes',
];

/** What the model replication Jobs push to the Pushgateway (apps/data-sync/rclone.ts). */
export const REPLICATION_SERIES: readonly string[] = Object.values(REPLICATION_JOBS).flatMap((job) =>
  Object.values(replicationSeries(job)),
);

/** What the batch predictor pushes to the Pushgateway (apps/batch-predictor/src/metrics.ts). */
export const BATCH_PREDICTOR_SERIES: readonly string[] = Object.values(BATCH_METRICS).flatMap((name) =>
  name === BATCH_METRICS.requestDuration ? seriesOf(name, 'histogram') : [name],
);

/** What the log snapshot status CronJob pushes to the Pushgateway (platform/logging/snapshots.ts). */
export const LOG_SNAPSHOT_SERIES: readonly string[] = Object.values(SNAPSHOT_SERIES);

/** Series Prometheus writes about its own scrapes. */
export const PROMETHEUS_SERIES: readonly string[] = ['up'];

/** Every exported series name, by exporter. */
export const EXPORTED_SERIES: Readonly<Record<string, readonly string[]>> = {
  gateway: GATEWAY_SERIES,
  'tf-serving': TF_SERVING_SERIES,
  istio: ISTIO_SERIES,
  'kube-state-metrics': KUBE_STATE_SERIES,
  'node-exporter': NODE_EXPORTER_SERIES,
  prometheus: PROMETHEUS_SERIES,
  'data-sync': REPLICATION_SERIES,
  'batch-predictor': BATCH_PREDICTOR_SERIES,
  opencost: OPENCOST_EXPORTED_SERIES,
  'log-snapshot-status': LOG_SNAPSHOT_SERIES,
};
