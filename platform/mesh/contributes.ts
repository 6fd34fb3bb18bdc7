/**
 * What the mesh contributes: the istio-system namespace, the gateways and istiod that clients,
 * other clusters and every sidecar reach, the gateways' routes to every mesh workload and to the
 * other clusters, istiod's watch on the API server, the spans the gateways export, and the
 * monitors of istiod and of every Envoy. Plain data: no cdk8s.
 */

import { maxNodes } from '../kernel/capacity';
import type { DeclarationProps } from '../kernel/chart';
import type { Contribution, Flow, ScrapeTarget, Team } from '../kernel/contribution';
import { ANYWHERE, apiServerFlow } from '../kernel/flows';
import { prometheusScrapes } from '../monitoring/contributes';
import { spanExport } from '../tracing/contributes';
import { EASTWEST_GATEWAY, ISTIO_NAMESPACE } from './workloads';

/**
 * The ports istio-system accepts from anywhere: the ingress gateway (8080, 8443), istiod's xDS and
 * CA (15012) and injection webhook (15017), the gateways' health (15021) and the east-west
 * gateway's mTLS passthrough (15443).
 */
export const ISTIO_PORTS = [8080, 8443, 15012, 15017, 15021, EASTWEST_GATEWAY.tlsPort] as const;

/** A mesh namespace's sidecars fetch configuration and certificates from istiod and reach the gateways. */
export function meshSidecars(namespace: string): Flow {
  return {
    reason: 'Istio sidecars reach istiod and the gateways',
    from: { namespace },
    to: { namespace: ISTIO_NAMESPACE },
    ports: ISTIO_PORTS,
  };
}

const REACHES_ISTIO = 'clients, other clusters (east-west) and sidecars (xDS) reach the gateways and istiod';

/** istiod's own metrics. */
const ISTIOD_TARGET: ScrapeTarget = {
  name: 'istiod',
  via: 'service',
  namespaces: [ISTIO_NAMESPACE],
  selector: { app: 'istiod' },
  port: { name: 'http-monitoring', number: 15014 },
  interval: '30s',
};

/** Every pod with an Istio sidecar, in any namespace; Envoy's stats port is outside mTLS. */
const ENVOY_TARGET: ScrapeTarget = {
  name: 'envoy-stats',
  via: 'pod',
  selector: {},
  selectorExists: ['security.istio.io/tlsMode'],
  jobLabel: 'envoy-stats',
  port: { name: 'http-envoy-prom', number: 15090 },
  path: '/stats/prometheus',
  interval: '15s',
};

/** The team that owns the mesh: its pods' `team` label. */
export const MESH_TEAM: Team = 'platform';

export function meshContribution({ cluster }: DeclarationProps): Contribution {
  const namespace = ISTIO_NAMESPACE;
  return {
    team: MESH_TEAM,
    namespaces: [
      {
        name: namespace,
        podSecurity: 'privileged',
        podSecurityReason: 'the Istio CNI node agent configures pod networking on each host',
        mesh: false,
        // istiod puts an endpoint on the network of its pod's label, else on this label of its own
        // namespace: without it every endpoint is on network "" and the east-west gateways go unused.
        labels: { 'topology.istio.io/network': cluster.network.meshNetwork },
        criticalPods: {
          priorityClass: 'system-node-critical',
          pods: maxNodes(cluster),
          reason:
            "the Istio CNI node agent DaemonSet (one pod per node; the chart fixes its class) sets up every pod's network",
        },
      },
    ],
    flows: [
      {
        reason: REACHES_ISTIO,
        from: { cidr: ANYWHERE, what: 'clients and the other clusters' },
        to: { namespace },
        ports: ISTIO_PORTS,
      },
      { reason: REACHES_ISTIO, from: { anyNamespace: true }, to: { namespace }, ports: ISTIO_PORTS },
      prometheusScrapes(namespace),
      { reason: 'gateways route to every mesh workload', from: { namespace }, to: { anyNamespace: true } },
      {
        reason: 'the east-west gateway reaches the other clusters',
        from: { namespace },
        to: { cidr: ANYWHERE, what: "the other clusters' east-west gateways" },
        ports: [EASTWEST_GATEWAY.tlsPort],
      },
      apiServerFlow(namespace),
      spanExport(namespace),
    ],
    scrapeTargets: [ISTIOD_TARGET, ENVOY_TARGET],
  };
}
