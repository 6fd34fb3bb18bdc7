/**
 * What prometheus-pushgateway 3.8.0 creates that others refer to (prometheus-community/helm-charts
 * tag prometheus-pushgateway-3.8.0: templates/service.yaml, _helpers.tpl), with the values of
 * index.ts (`fullnameOverride: pushgateway`, `service.port` and `service.portName` from PUSHGATEWAY).
 */
import type { ChartObjects } from '../../platform/kernel/contribution';
import { MONITORING_NAMESPACE, PUSHGATEWAY } from '../../platform/monitoring/services';
import { PUSHGATEWAY_VALUE_PATHS } from './chart-value-paths';

export function pushgatewayChartObjects(): ChartObjects {
  const selector = {
    'app.kubernetes.io/name': PUSHGATEWAY.appName,
    'app.kubernetes.io/instance': PUSHGATEWAY.release,
  };
  return {
    releases: [PUSHGATEWAY.release],
    // prometheus-pushgateway 3.8.0 templates/deployment.yaml (through `defaultLabels`).
    podLabelValues: [{ release: PUSHGATEWAY.release, paths: ['podLabels'] }],
    values: [PUSHGATEWAY_VALUE_PATHS],
    services: [
      {
        namespace: MONITORING_NAMESPACE,
        name: PUSHGATEWAY.service,
        selector,
        labels: selector,
        // `service.targetPort` defaults to 9091, the container's `metrics` port.
        ports: [{ name: PUSHGATEWAY.portName, port: PUSHGATEWAY.port, targetPort: 9091 }],
      },
    ],
    pods: [
      {
        namespace: MONITORING_NAMESPACE,
        labels: selector,
        ports: [{ name: 'metrics', port: 9091 }],
        serviceAccount: PUSHGATEWAY.service,
      },
    ],
    serviceAccounts: [{ namespace: MONITORING_NAMESPACE, name: PUSHGATEWAY.service }],
  };
}
