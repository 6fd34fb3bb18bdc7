import type { ChartObjects } from '../kernel/contribution';
import type { HelmRelease } from '../kernel/helm';
import type { ResourceRequirements } from '../kernel/helm-values';
import { teamLabels } from '../kernel/pods';
import { METRICS_SERVER_VALUE_PATHS } from './chart-value-paths';
import { CLOUD_CONTROLLERS_TEAM } from './common';
import type { NodePlacement, Toleration } from './profile';

/**
 * metrics-server: the `metrics.k8s.io` API that every CPU- and memory-based
 * HorizontalPodAutoscaler reads. GKE and AKS run it in every cluster
 * themselves; EKS does not, so the AWS profile installs it from the pinned
 * upstream chart. The Prometheus adapter serves `custom.metrics.k8s.io` only.
 */

/** The pinned chart: kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.13.1, app v0.8.1. */
export const METRICS_SERVER_CHART = {
  repoURL: 'https://kubernetes-sigs.github.io/metrics-server/',
  chart: 'metrics-server',
  version: '3.13.1',
} as const;

/**
 * Where it runs and the port its APIService reaches it on (the chart's
 * `containerPort`, default 10250). kube-system carries no platform
 * NetworkPolicy, so the API server and the kubelets are reachable.
 */
export const METRICS_SERVER = {
  release: 'metrics-server',
  namespace: 'kube-system',
  containerPort: 10250,
} as const;

/**
 * The values of metrics-server 3.13.1 (kubernetes-sigs/metrics-server,
 * charts/metrics-server/values.yaml at tag metrics-server-helm-chart-3.13.1) the platform sets.
 */
export interface MetricsServerValues {
  /** Two replicas, so a node drain never leaves HPAs without metrics. */
  readonly replicas: number;
  /** The HTTPS port the container listens on and the APIService's Service targets. */
  readonly containerPort: number;
  readonly podDisruptionBudget: { readonly enabled: true; readonly minAvailable: number };
  readonly resources: ResourceRequirements;
  /** The general pool: never on nodes the autoscaler may remove under it. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** Labels of its pods (templates/deployment.yaml); the selector keeps the chart's own. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** metrics-server as an upstream Helm release with typed values, placed on the general pool. */
export function metricsServerRelease(placement: NodePlacement): HelmRelease {
  const values: MetricsServerValues = {
    replicas: 2,
    containerPort: METRICS_SERVER.containerPort,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { cpu: '500m', memory: '400Mi' } },
    nodeSelector: placement.nodeSelector,
    tolerations: placement.tolerations,
    podLabels: teamLabels(CLOUD_CONTROLLERS_TEAM),
  };
  return {
    name: METRICS_SERVER.release,
    ...METRICS_SERVER_CHART,
    namespace: METRICS_SERVER.namespace,
    values: { ...values },
    providesCrds: [],
  };
}

/**
 * What the chart creates that others refer to (charts/metrics-server/templates at tag
 * metrics-server-helm-chart-3.13.1: service.yaml, apiservice.yaml, deployment.yaml): the
 * `metrics.k8s.io` APIService, through Service `metrics-server` port 443 to the container's
 * `https` port.
 */
export function metricsServerChartObjects(): ChartObjects {
  const { release, namespace, containerPort } = METRICS_SERVER;
  const selector = { 'app.kubernetes.io/name': 'metrics-server', 'app.kubernetes.io/instance': release };
  return {
    releases: [release],
    // templates/deployment.yaml: `podLabels` beside the selector's labels.
    podLabelValues: [{ release, paths: ['podLabels'] }],
    values: [METRICS_SERVER_VALUE_PATHS],
    services: [
      {
        namespace,
        name: release,
        selector,
        labels: selector,
        ports: [{ name: 'https', port: 443, targetPort: containerPort }],
      },
    ],
    pods: [
      {
        namespace,
        labels: selector,
        ports: [{ name: 'https', port: containerPort }],
        serviceAccount: release,
      },
    ],
    serviceAccounts: [{ namespace, name: release }],
    apiBackends: [
      {
        kind: 'APIService',
        name: 'v1beta1.metrics.k8s.io',
        release,
        service: { namespace, name: release, port: 443 },
      },
    ],
  };
}
