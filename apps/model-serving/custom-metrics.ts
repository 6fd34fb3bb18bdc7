import type { ModelSpec } from '../../clusters/types';
import { MissingCloudValueError } from '../../platform/clouds/profile';
import type { HelmRelease } from '../../platform/kernel/helm';
import { teamLabels } from '../../platform/kernel/pods';
import { MONITORING_NAMESPACE, PROMETHEUS_ADAPTER } from '../../platform/monitoring/services';
import { MODEL_SERVING_TEAM } from './contributes';

/**
 * Per-pod metrics model HPAs may scale on, and how the Prometheus adapter
 * derives each from what TF Serving exports. A model naming a metric that is
 * not here fails synthesis instead of rendering an HPA that never scales.
 */
export const CUSTOM_METRICS = {
  /** Requests per second each serving pod answers. */
  tensorflow_serving_request_rate: {
    series: ':tensorflow:serving:request_count',
    query: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
  },
} as const;

/** The Prometheus the adapter reads: kube-prometheus-stack's, in the monitoring namespace. */
const PROMETHEUS_URL = `http://kube-prometheus-stack-prometheus.${MONITORING_NAMESPACE}.svc`;

/** Custom metrics the models of a cluster scale on; unknown names are an error naming the known ones. */
export function customMetricsOf(models: readonly ModelSpec[]): (keyof typeof CUSTOM_METRICS)[] {
  const names = [
    ...new Set(models.flatMap((m) => (m.autoscaling.customMetric ? [m.autoscaling.customMetric.name] : []))),
  ];
  const unknown = names.filter((name) => !Object.hasOwn(CUSTOM_METRICS, name));
  if (unknown.length > 0) {
    throw new MissingCloudValueError(
      `clusters/models.ts: autoscaling.customMetric.name ${unknown.join(', ')}: no adapter rule derives it; ` +
        `known: ${Object.keys(CUSTOM_METRICS).join(', ')} (apps/model-serving/custom-metrics.ts)`,
    );
  }
  return names.sort() as (keyof typeof CUSTOM_METRICS)[];
}

/** One discovery rule of the adapter's configuration (the chart writes `rules.custom` into its ConfigMap). */
export interface AdapterRule {
  /** Series the rule discovers. */
  readonly seriesQuery: string;
  /** Which series labels name the Kubernetes objects the metric describes. */
  readonly resources: {
    readonly overrides: Readonly<Record<string, { readonly resource: string }>>;
  };
  /** The metric name HPAs ask for. */
  readonly name: { readonly as: string };
  /** The query answering for the asked objects. */
  readonly metricsQuery: string;
}

/**
 * The values of prometheus-adapter 5.3.0 (prometheus-community/helm-charts,
 * charts/prometheus-adapter/values.yaml at tag prometheus-adapter-5.3.0) the platform sets.
 */
export interface PrometheusAdapterValues {
  /** The Prometheus the adapter queries: base URL and port, joined by the chart. */
  readonly prometheus: { readonly url: string; readonly port: number };
  readonly replicas: number;
  /**
   * Port of the adapter's HTTPS server (`--secure-port`), which its Service and
   * so the `custom.metrics.k8s.io` APIService target; the monitoring NetworkPolicy opens it.
   */
  readonly listenPort: number;
  /** Only the platform's rules: no default rules, so nothing else is served. */
  readonly rules: { readonly default: false; readonly custom: readonly AdapterRule[] };
  readonly podDisruptionBudget: { readonly enabled: true; readonly maxUnavailable: number };
  /** Labels of its pods besides the chart's own (templates/deployment.yaml). */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** The Prometheus adapter, pinned, serving exactly the custom metrics the cluster's HPAs use. */
export function prometheusAdapterRelease(models: readonly ModelSpec[]): HelmRelease {
  const values: PrometheusAdapterValues = {
    prometheus: { url: PROMETHEUS_URL, port: 9090 },
    replicas: 2,
    listenPort: PROMETHEUS_ADAPTER.listenPort,
    rules: {
      default: false,
      custom: customMetricsOf(models).map((name) => ({
        seriesQuery: `{__name__="${CUSTOM_METRICS[name].series}",namespace!="",pod!=""}`,
        resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        name: { as: name },
        metricsQuery: CUSTOM_METRICS[name].query,
      })),
    },
    // Two replicas serve the APIService; a drain takes one at a time.
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    podLabels: teamLabels(MODEL_SERVING_TEAM),
  };
  return {
    name: PROMETHEUS_ADAPTER.release,
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'prometheus-adapter',
    version: '5.3.0',
    namespace: MONITORING_NAMESPACE,
    values: { ...values },
    providesCrds: [],
    // The adapter answers from Prometheus; it is useless before the monitoring stack runs.
    requires: ['kube-prometheus-stack'],
  };
}
