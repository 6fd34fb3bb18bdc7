/**
 * What logging contributes: its namespace, the writers that reach Elasticsearch from other
 * namespaces (Jaeger), Kibana published through the ingress gateway, the API server calling the
 * ECK operator's webhook, Prometheus scraping its charts' own monitors, and its operator reaching
 * the API server. Plain data: no cdk8s.
 */

import { maxNodes } from '../kernel/capacity';
import type { DeclarationProps } from '../kernel/chart';
import type { Contribution, Team } from '../kernel/contribution';
import { apiServerFlow } from '../kernel/flows';
import { ISTIO_NAMESPACE } from '../mesh/workloads';
import { prometheusScrapes } from '../monitoring/contributes';
import { TRACING_NAMESPACE } from '../tracing/endpoints';
import { ELASTICSEARCH, LOGGING_NAMESPACE } from './settings';

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
      prometheusScrapes(namespace),
      apiServerFlow(namespace),
    ],
  };
}
