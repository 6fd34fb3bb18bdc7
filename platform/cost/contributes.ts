import type { Contribution, Team } from '../kernel/contribution';
import { ANYWHERE, apiServerFlow } from '../kernel/flows';
import { MONITORING_NAMESPACE, PROMETHEUS_SERVICE } from '../monitoring/services';
import { OPENCOST_VALUE_PATHS } from './chart-value-paths';
import { COST, WORKLOAD } from './names';

/** The team that owns cost measurement: its pods' `team` label. */
export const COST_TEAM: Team = 'platform';

/**
 * What the cost component declares (platform/kernel/contribution.ts): its namespace, restricted and
 * with a quota; its flows to the API server, to Prometheus and to the cloud's price lists;
 * Prometheus' scrape of its metrics (the scrape target opens that flow); its cloud identity; what
 * the chart creates (templates/service.yaml and serviceaccount.yaml at opencost-2.5.17).
 */
export function costContribution(): Contribution {
  const opencost = { namespace: COST.namespace, pods: { ...COST.selector } };
  return {
    team: COST_TEAM,
    namespaces: [
      {
        name: COST.namespace,
        podSecurity: 'restricted',
        mesh: false,
        quota: {
          requestsCpu: '500m',
          requestsMemory: '1Gi',
          limitsCpu: '2',
          limitsMemory: '2Gi',
          pods: 4,
        },
      },
    ],
    flows: [
      apiServerFlow(COST.namespace),
      {
        reason: "OpenCost reads the cluster's usage from Prometheus",
        from: opencost,
        to: { namespace: MONITORING_NAMESPACE, pods: { ...PROMETHEUS_SERVICE.pods } },
        ports: [PROMETHEUS_SERVICE.port],
      },
      {
        reason: "OpenCost reads the cloud's prices (price list files, billing and compute APIs)",
        from: opencost,
        to: { cidr: ANYWHERE, what: "the cloud's pricing APIs" },
        ports: [443],
      },
    ],
    scrapeTargets: [
      {
        name: 'opencost',
        via: 'service',
        namespaces: [COST.namespace],
        selector: { ...COST.selector },
        port: { name: 'http', number: COST.apiPort },
        path: '/metrics',
        interval: '1m',
        // OpenCost's series carry the namespace, pod and node they price: keep them over the target's.
        honorLabels: true,
      },
    ],
    cloudWorkloads: [WORKLOAD],
    chartObjects: {
      releases: [COST.release],
      values: [OPENCOST_VALUE_PATHS],
      // templates/deployment.yaml at opencost-2.5.17 puts `podLabels` on the pod template.
      podLabelValues: [{ release: COST.release, paths: ['podLabels'] }],
      serviceAccounts: [{ namespace: COST.namespace, name: COST.serviceAccount }],
      services: [
        {
          namespace: COST.namespace,
          name: COST.fullname,
          selector: { ...COST.selector },
          labels: {
            ...COST.selector,
            'app.kubernetes.io/part-of': 'opencost',
            'app.kubernetes.io/managed-by': 'Helm',
          },
          ports: [{ name: 'http', port: COST.apiPort, targetPort: COST.apiPort }],
        },
      ],
      pods: [
        {
          namespace: COST.namespace,
          labels: { ...COST.selector },
          ports: [{ name: 'http', port: COST.apiPort }],
          serviceAccount: COST.serviceAccount,
        },
      ],
    },
  };
}
