/**
 * What the argo-cd chart 10.1.1 creates that others refer to (argoproj/argo-helm tag
 * argo-cd-10.1.1, charts/argo-cd/templates: each component's deployment/statefulset and service,
 * values.yaml for the container ports), with the values of self.ts (Dex off, notifications on,
 * metrics on). Every pod carries `app.kubernetes.io/part-of: argocd`, which the PodMonitor selects.
 */
import { type ChartObjects, customResourcesOf } from '../platform/kernel/contribution';
import type { HelmRelease } from '../platform/kernel/helm';
import { ARGO_CD_VALUE_PATHS } from './chart-value-paths';

/** Each Argo CD component the chart runs: its name suffix and named container ports (values.yaml `containerPorts`). */
const COMPONENTS: readonly {
  name: string;
  ports: { name: string; port: number }[];
  serviceAccount: string;
}[] = [
  {
    name: 'application-controller',
    ports: [{ name: 'metrics', port: 8082 }],
    serviceAccount: 'argocd-application-controller',
  },
  {
    name: 'repo-server',
    ports: [
      { name: 'repo-server', port: 8081 },
      { name: 'metrics', port: 8084 },
    ],
    serviceAccount: 'argocd-repo-server',
  },
  {
    name: 'server',
    ports: [
      { name: 'server', port: 8080 },
      { name: 'metrics', port: 8083 },
    ],
    serviceAccount: 'argocd-server',
  },
  {
    name: 'applicationset-controller',
    ports: [
      { name: 'metrics', port: 8080 },
      { name: 'probe', port: 8081 },
      { name: 'webhook', port: 7000 },
    ],
    serviceAccount: 'argocd-applicationset-controller',
  },
  {
    name: 'notifications-controller',
    ports: [{ name: 'metrics', port: 9001 }],
    serviceAccount: 'argocd-notifications-controller',
  },
  { name: 'redis', ports: [{ name: 'redis', port: 6379 }], serviceAccount: 'argocd-redis' },
];

export function argocdChartObjects(release: HelmRelease): ChartObjects {
  const namespace = release.namespace;
  const labels = (component: string) => ({
    'app.kubernetes.io/name': `argocd-${component}`,
    'app.kubernetes.io/instance': release.name,
    'app.kubernetes.io/part-of': 'argocd',
  });
  const selector = (component: string) => ({
    'app.kubernetes.io/name': `argocd-${component}`,
    'app.kubernetes.io/instance': release.name,
  });
  return {
    releases: [release.name],
    // argo-cd 10.1.1: every workload template merges `global.podLabels` into its pod labels.
    podLabelValues: [{ release: release.name, paths: ['global.podLabels'] }],
    values: [ARGO_CD_VALUE_PATHS],
    services: [
      {
        namespace,
        name: 'argocd-server',
        selector: selector('server'),
        labels: labels('server'),
        ports: [
          { name: 'http', port: 80, targetPort: 8080 },
          { name: 'https', port: 443, targetPort: 8080 },
        ],
      },
      {
        namespace,
        name: 'argocd-repo-server',
        selector: selector('repo-server'),
        labels: labels('repo-server'),
        ports: [{ name: 'tcp-repo-server', port: 8081, targetPort: 8081 }],
      },
      {
        namespace,
        name: 'argocd-redis',
        selector: selector('redis'),
        labels: labels('redis'),
        ports: [{ name: 'tcp-redis', port: 6379, targetPort: 6379 }],
      },
      {
        namespace,
        name: 'argocd-applicationset-controller',
        selector: selector('applicationset-controller'),
        labels: labels('applicationset-controller'),
        ports: [{ name: 'http-webhook', port: 7000, targetPort: 7000 }],
      },
    ],
    pods: COMPONENTS.map(({ name, ports, serviceAccount }) => ({
      namespace,
      labels: labels(name),
      ports,
      serviceAccount,
    })),
    serviceAccounts: COMPONENTS.map(({ serviceAccount }) => ({ namespace, name: serviceAccount })),
    customResources: customResourcesOf(release.providesCrds),
    secrets: [{ namespace, name: 'argocd-secret' }],
    configMaps: ['argocd-cm', 'argocd-rbac-cm', 'argocd-cmd-params-cm', 'argocd-notifications-cm'].map(
      (name) => ({
        namespace,
        name,
      }),
    ),
  };
}
