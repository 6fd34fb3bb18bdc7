/**
 * What prometheus-adapter 5.3.0 creates that others refer to (prometheus-community/helm-charts tag
 * prometheus-adapter-5.3.0: templates/service.yaml, custom-metrics-apiservice.yaml, deployment.yaml,
 * _helpers.tpl), with the values of custom-metrics.ts: custom rules only, so the one APIService is
 * `v1beta1.custom.metrics.k8s.io` (no `metrics.k8s.io`: that is metrics-server's).
 */
import type { ChartObjects } from '../../platform/kernel/contribution';
import { MONITORING_NAMESPACE, PROMETHEUS_ADAPTER } from '../../platform/monitoring/services';
import { PROMETHEUS_ADAPTER_VALUE_PATHS } from './chart-value-paths';

/** The chart's name, its fullname with release `prometheus-adapter`, and its ServiceAccount's. */
const NAME = 'prometheus-adapter';

export function prometheusAdapterChartObjects(): ChartObjects {
  const selector = {
    'app.kubernetes.io/name': NAME,
    'app.kubernetes.io/instance': PROMETHEUS_ADAPTER.release,
  };
  return {
    releases: [PROMETHEUS_ADAPTER.release],
    // prometheus-adapter 5.3.0 templates/deployment.yaml.
    podLabelValues: [{ release: PROMETHEUS_ADAPTER.release, paths: ['podLabels'] }],
    values: [PROMETHEUS_ADAPTER_VALUE_PATHS],
    services: [
      {
        namespace: MONITORING_NAMESPACE,
        name: NAME,
        selector,
        labels: selector,
        // `service.port` 443 to the container's `https` port, which listens on `listenPort`.
        ports: [{ name: 'https', port: 443, targetPort: PROMETHEUS_ADAPTER.listenPort }],
      },
    ],
    pods: [
      {
        namespace: MONITORING_NAMESPACE,
        labels: selector,
        ports: [{ name: 'https', port: PROMETHEUS_ADAPTER.listenPort }],
        serviceAccount: NAME,
      },
    ],
    serviceAccounts: [{ namespace: MONITORING_NAMESPACE, name: NAME }],
    apiBackends: [
      {
        kind: 'APIService',
        name: 'v1beta1.custom.metrics.k8s.io',
        release: PROMETHEUS_ADAPTER.release,
        service: { namespace: MONITORING_NAMESPACE, name: NAME, port: 443 },
      },
    ],
  };
}
