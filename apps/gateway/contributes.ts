/**
 * What the prediction gateway contributes: the ml-platform namespace, the ingress gateway that
 * forwards prediction requests to it, its sidecars, spans, Redis and the other clusters' model
 * servers it reaches through their east-west gateways, and its monitor. Its calls to the model
 * servers are declared by model serving, which owns the port. Plain data: no cdk8s.
 */
import type { DeclarationProps } from '../../platform/kernel/chart';
import type { Contribution, ScrapeTarget, Team } from '../../platform/kernel/contribution';
import { ANYWHERE } from '../../platform/kernel/flows';
import { meshSidecars } from '../../platform/mesh/contributes';
import { EASTWEST_GATEWAY, GATEWAY, ISTIO_NAMESPACE } from '../../platform/mesh/workloads';
import { prometheusScrapes } from '../../platform/monitoring/contributes';
import { spanExport } from '../../platform/tracing/contributes';
import { managedRedis } from '../shared/contributes';
import { GATEWAY_WORKLOAD } from './cloud-workloads';

/** The gateway's own metrics, behind the mesh's STRICT mTLS. */
const GATEWAY_TARGET: ScrapeTarget = {
  name: 'gateway',
  via: 'service',
  namespaces: [GATEWAY.namespace],
  selector: GATEWAY.selector,
  port: { name: GATEWAY.portName, number: GATEWAY.port },
  path: GATEWAY.metricsPath,
  interval: '15s',
  meshTls: true,
};

/** The team that owns the gateway: its pods' `team` label. */
export const GATEWAY_TEAM: Team = 'ml-serving';

export function gatewayContribution(props: DeclarationProps): Contribution {
  const namespace = GATEWAY.namespace;
  return {
    team: GATEWAY_TEAM,
    namespaces: [
      {
        name: namespace,
        podSecurity: 'restricted',
        mesh: true,
        quota: {
          requestsCpu: '16',
          requestsMemory: '32Gi',
          limitsCpu: '32',
          limitsMemory: '64Gi',
          pods: 100,
        },
      },
    ],
    flows: [
      {
        reason: 'the Istio ingress gateway forwards prediction requests',
        from: { namespace: ISTIO_NAMESPACE },
        to: { namespace },
      },
      prometheusScrapes(namespace),
      meshSidecars(namespace),
      spanExport(namespace),
      {
        reason: "the gateway reaches the other clusters' model servers through their east-west gateways",
        from: { namespace },
        to: { cidr: ANYWHERE, what: "the other clusters' east-west gateways" },
        ports: [EASTWEST_GATEWAY.tlsPort],
      },
      ...managedRedis(namespace, props),
    ],
    scrapeTargets: [GATEWAY_TARGET],
    cloudWorkloads: [GATEWAY_WORKLOAD],
  };
}
