import type { ModelSpec } from '../../clusters/types';
import { MissingCloudValueError } from '../../platform/clouds/profile';
import type { HelmRelease } from '../../platform/synth/helm';

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
const PROMETHEUS_URL = 'http://kube-prometheus-stack-prometheus.monitoring.svc';

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

/** The Prometheus adapter, pinned, serving exactly the custom metrics the cluster's HPAs use. */
export function prometheusAdapterRelease(models: readonly ModelSpec[]): HelmRelease {
  return {
    name: 'prometheus-adapter',
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'prometheus-adapter',
    version: '4.13.0',
    namespace: 'monitoring',
    values: {
      prometheus: { url: PROMETHEUS_URL, port: 9090 },
      replicas: 2,
      rules: {
        default: false,
        custom: customMetricsOf(models).map((name) => ({
          seriesQuery: `{__name__="${CUSTOM_METRICS[name].series}",namespace!="",pod!=""}`,
          resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
          name: { as: name },
          metricsQuery: CUSTOM_METRICS[name].query,
        })),
      },
    },
    providesCrds: [],
    // The adapter answers from Prometheus; it is useless before the monitoring stack runs.
    requires: ['kube-prometheus-stack'],
  };
}
