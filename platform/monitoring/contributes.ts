/**
 * What monitoring contributes: its namespace, who reaches it (the ingress gateway for Grafana, the
 * API server for the operator's webhook and the metrics adapter), what it reaches (every namespace
 * for scrapes, the nodes, the API server, the notification services) and the Pushgateway's
 * monitor. It also declares itself the scraper: every component's scrape targets imply a flow
 * from Prometheus' namespace (platform/kernel/flows.ts). Plain data: no cdk8s.
 */
import type { DeclarationProps } from '../kernel/chart';
import type { Contribution, Flow, ScrapeTarget, Team } from '../kernel/contribution';
import { ANYWHERE, apiServerFlow } from '../kernel/flows';
import { ISTIO_NAMESPACE } from '../mesh/workloads';
import { MONITORING_NAMESPACE, PROMETHEUS_ADAPTER, PUSHGATEWAY } from './services';

/**
 * Prometheus in to a namespace on every port: for a namespace whose pods it scrapes through
 * monitors that span namespaces (Envoy's stats) or that the namespace's charts create. A namespace
 * scraped only through declared scrape targets needs no such flow: each target implies its own.
 */
export function prometheusScrapes(namespace: string): Flow {
  return {
    reason: 'Prometheus scrapes metrics',
    from: { namespace: MONITORING_NAMESPACE },
    to: { namespace },
  };
}

/** The Pushgateway the replication Jobs report to; it lives beside Prometheus. */
const PUSHGATEWAY_TARGET: ScrapeTarget = {
  name: PUSHGATEWAY.service,
  via: 'service',
  namespaces: [MONITORING_NAMESPACE],
  selector: { 'app.kubernetes.io/name': PUSHGATEWAY.appName },
  port: { name: PUSHGATEWAY.portName, number: PUSHGATEWAY.port },
  interval: '30s',
  // The pushed `job` label names the replication Job, not the Pushgateway: keep it.
  honorLabels: true,
};

/** The team that owns monitoring: its pods' `team` label. */
export const MONITORING_TEAM: Team = 'observability';

export function monitoringContribution({ cluster }: DeclarationProps): Contribution {
  const namespace = MONITORING_NAMESPACE;
  return {
    team: MONITORING_TEAM,
    namespaces: [
      {
        name: namespace,
        podSecurity: 'privileged',
        podSecurityReason: 'node-exporter needs the host network, PID namespace and root filesystem',
        mesh: false,
      },
    ],
    scraper: { namespace },
    flows: [
      {
        reason: 'Grafana is published through the ingress gateway',
        from: { namespace: ISTIO_NAMESPACE },
        to: { namespace },
      },
      {
        reason: 'the API server calls the Prometheus operator admission webhook',
        from: { apiServer: true },
        to: { namespace },
        ports: [10250],
      },
      {
        reason: 'the API server calls the Prometheus adapter behind the custom.metrics.k8s.io APIService',
        from: { apiServer: true },
        to: { namespace },
        ports: [PROMETHEUS_ADAPTER.listenPort],
      },
      { reason: 'Prometheus scrapes every namespace', from: { namespace }, to: { anyNamespace: true } },
      {
        reason: 'node-exporter and the kubelets listen on the node addresses, outside the pod network',
        from: { namespace },
        to: { cidr: cluster.network.vpcCidr, what: 'the cluster nodes' },
        ports: [9100, 10250],
      },
      apiServerFlow(namespace),
      {
        reason: 'Alertmanager notifies Slack and e-mail',
        from: { namespace },
        to: { cidr: ANYWHERE, what: 'Slack and the SMTP relay' },
        ports: [443, 587],
      },
    ],
    scrapeTargets: [PUSHGATEWAY_TARGET],
  };
}
