/**
 * What logging contributes: its namespace, the writers that reach Elasticsearch from other
 * namespaces (Jaeger), Kibana published through the ingress gateway, the API server calling the
 * ECK operator's webhook, Prometheus scraping its charts' own monitors, its operator reaching
 * the API server, Elasticsearch's snapshots to the cloud's bucket as its own cloud identity, and the
 * snapshot status pushed to the Pushgateway. Plain data: no cdk8s.
 */

import { maxNodes } from '../kernel/capacity';
import type { DeclarationProps } from '../kernel/chart';
import type { Contribution, Team } from '../kernel/contribution';
import { ANYWHERE, apiServerFlow } from '../kernel/flows';
import { ISTIO_NAMESPACE } from '../mesh/workloads';
import { prometheusScrapes } from '../monitoring/contributes';
import { MONITORING_NAMESPACE, PUSHGATEWAY } from '../monitoring/services';
import { TRACING_NAMESPACE } from '../tracing/endpoints';
import { ELASTICSEARCH_WORKLOAD } from './cloud-workloads';
import { ELASTICSEARCH, LOGGING_NAMESPACE } from './settings';
import { LOG_SNAPSHOTS } from './snapshots';

/** The team that owns logging: its pods' `team` label. */
export const LOGGING_TEAM: Team = 'observability';

export function loggingContribution({ cluster }: DeclarationProps): Contribution {
  const namespace = LOGGING_NAMESPACE;
  return {
    team: LOGGING_TEAM,
    namespaces: [
      {
        name: namespace,
        podSecurity: 'privileged',
        podSecurityReason: 'the log shipper DaemonSet reads /var/log from the host',
        mesh: false,
        criticalPods: {
          priorityClass: 'system-node-critical',
          pods: maxNodes(cluster),
          reason:
            'the log shipper DaemonSet (one pod per node) must not be evicted before the workloads it logs',
        },
      },
    ],
    flows: [
      {
        reason: 'Jaeger stores spans in Elasticsearch',
        from: { namespace: TRACING_NAMESPACE },
        to: { namespace },
        ports: [ELASTICSEARCH.port],
      },
      {
        reason: 'Kibana is published through the ingress gateway',
        from: { namespace: ISTIO_NAMESPACE },
        to: { namespace },
      },
      {
        reason: 'the API server calls the ECK operator validating webhook',
        from: { apiServer: true },
        to: { namespace },
        ports: [9443],
      },
      {
        reason: "Elasticsearch writes its snapshots to the cloud's object storage and reads them to restore",
        from: { namespace, pods: { 'elasticsearch.k8s.elastic.co/cluster-name': ELASTICSEARCH.name } },
        to: { cidr: ANYWHERE, what: 'cloud object storage' },
        ports: [443],
      },
      {
        reason: 'the snapshot status CronJob pushes the SLM outcome to the Pushgateway',
        from: { namespace, pods: { 'app.kubernetes.io/name': LOG_SNAPSHOTS.statusJob } },
        to: { namespace: MONITORING_NAMESPACE },
        ports: [PUSHGATEWAY.port],
      },
      prometheusScrapes(namespace),
      apiServerFlow(namespace),
    ],
    cloudWorkloads: [ELASTICSEARCH_WORKLOAD],
  };
}
