/**
 * What tracing contributes: its namespace, the Jaeger UI published through the ingress gateway,
 * Prometheus scraping its charts' own monitors and the span export its clients declare with
 * `spanExport`. Plain data: no cdk8s.
 */
import type { Contribution, Flow, Team } from '../kernel/contribution';
import { ISTIO_NAMESPACE } from '../mesh/workloads';
import { prometheusScrapes } from '../monitoring/contributes';
import { OTEL_COLLECTOR, TRACING_NAMESPACE } from './endpoints';

/** A namespace's pods export spans to the OpenTelemetry collector (OTLP gRPC and HTTP). */
export function spanExport(namespace: string): Flow {
  return {
    reason: 'spans are exported to the OpenTelemetry collector',
    from: { namespace },
    to: { namespace: OTEL_COLLECTOR.namespace },
    ports: [OTEL_COLLECTOR.grpcPort, OTEL_COLLECTOR.httpPort],
  };
}

/** The team that owns tracing: its pods' `team` label. */
export const TRACING_TEAM: Team = 'observability';

export function tracingContribution(): Contribution {
  const namespace = TRACING_NAMESPACE;
  return {
    team: TRACING_TEAM,
    namespaces: [
      {
        name: namespace,
        podSecurity: 'restricted',
        mesh: false,
        quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 30 },
      },
    ],
    flows: [
      {
        reason: 'the Jaeger UI is published through the ingress gateway',
        from: { namespace: ISTIO_NAMESPACE },
        to: { namespace },
      },
      prometheusScrapes(namespace),
    ],
  };
}
