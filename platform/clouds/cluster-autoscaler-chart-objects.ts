/**
 * What cluster-autoscaler 9.59.0 creates that others refer to (kubernetes/autoscaler tag
 * cluster-autoscaler-chart-9.59.0, charts/cluster-autoscaler/templates: deployment.yaml,
 * service.yaml, _helpers.tpl): name `aws-cluster-autoscaler` (`<cloudProvider>-<chart>`), fullname
 * `cluster-autoscaler-aws-cluster-autoscaler`, metrics on 8085.
 */
import type { ChartObjects } from '../kernel/contribution';
import type { HelmRelease } from '../kernel/helm';
import { CLUSTER_AUTOSCALER_VALUE_PATHS } from './chart-value-paths';
import type { ClusterAutoscalerValues } from './cluster-autoscaler-values';

export function clusterAutoscalerChartObjects(release: HelmRelease): ChartObjects {
  const values = release.values as unknown as ClusterAutoscalerValues;
  const name = `${values.cloudProvider}-cluster-autoscaler`;
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release.name };
  const serviceAccount = values.rbac.serviceAccount.name;
  return {
    releases: [release.name],
    // templates/deployment.yaml: `podLabels` beside the selector's labels.
    podLabelValues: [{ release: release.name, paths: ['podLabels'] }],
    values: [CLUSTER_AUTOSCALER_VALUE_PATHS],
    services: [
      {
        namespace: release.namespace,
        name: `${release.name}-${name}`,
        selector,
        labels: selector,
        ports: [{ name: 'http', port: 8085, targetPort: 8085 }],
      },
    ],
    pods: [
      {
        namespace: release.namespace,
        labels: selector,
        ports: [{ name: 'http', port: 8085 }],
        serviceAccount,
      },
    ],
    serviceAccounts: [{ namespace: release.namespace, name: serviceAccount }],
  };
}
