import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { ClusterSpec, Fleet } from '../../clusters/types';

/** The `trafficPolicy` block of an Istio DestinationRule, as the typed model declares it. */
export type MeshTrafficPolicy = NonNullable<NonNullable<IDestinationRule['spec']>['trafficPolicy']>;

/** One `failover` entry of `loadBalancer.localityLbSetting`. */
export type LocalityFailover = NonNullable<
  NonNullable<NonNullable<MeshTrafficPolicy['loadBalancer']>['localityLbSetting']>['failover']
>[number];

/**
 * Limits every mesh destination of the platform gets. They protect a model
 * server (or the gateway) from a burst it cannot absorb: requests beyond the
 * pool queue briefly in the client's sidecar and then fail fast with 503,
 * which the gateway counts and fails over on, instead of piling up latency.
 */
export const MESH_TRAFFIC_LIMITS = {
  /** Concurrent TCP connections per destination host, from each client sidecar. */
  maxConnections: 1024,
  /** A cross-cloud connect over the east-west gateway takes a few round trips; more than this is a dead peer. */
  connectTimeout: '2s',
  /** Requests waiting for a connection; beyond this the sidecar answers 503 at once. */
  http1MaxPendingRequests: 256,
  /** Concurrent requests per destination (HTTP/2 and gRPC multiplex on few connections). */
  http2MaxRequests: 2048,
  /** Idle upstream connections are closed so scaled-in pods are not kept busy. */
  idleTimeout: '300s',
  /**
   * The gateway owns retries (it has a retry budget and fails over across
   * clouds); sidecar retries on top would multiply load during an outage.
   */
  maxRetries: 0,
  /** Consecutive 502/503/504 or connect failures before an endpoint is ejected. */
  consecutiveGatewayErrors: 5,
  /** Consecutive 5xx of any kind before an endpoint is ejected. */
  consecutive5xxErrors: 7,
  /** How often the ejection analysis runs. */
  outlierInterval: '10s',
  /** First ejection lasts this long; repeated ejections last multiples of it. */
  baseEjectionTime: '30s',
  /** At most this share of a service's endpoints is ejected, so a bad rollout cannot empty a cluster. */
  maxEjectionPercent: 50,
} as const;

/**
 * The region a cluster's traffic fails over to when no healthy endpoint is
 * left in its own region: another region of the same cloud first (private
 * backbone, same egress pricing), then the next other cluster's region in
 * fleet order. Istio allows one `to` per `from`; endpoints in every other
 * region still follow at the lowest priority, so the whole fleet stays
 * reachable.
 */
export function failoverRegion(cluster: ClusterSpec, fleet: Fleet): string | undefined {
  const others = fleet.clusters.filter(
    (peer) => peer.name !== cluster.name && peer.region !== cluster.region,
  );
  const sameCloud = others.find((peer) => peer.cloud === cluster.cloud);
  return (sameCloud ?? others[0])?.region;
}

/**
 * The traffic policy for DestinationRules of the platform's mesh services, as
 * seen from clients in `cluster`: connection-pool limits, outlier detection
 * (which locality failover needs to notice an unhealthy locality) and
 * locality-aware load balancing that keeps requests in the cluster's own
 * region, then fails over to `failoverRegion`, then to the rest of the fleet.
 */
export function meshTrafficPolicy(cluster: ClusterSpec, fleet: Fleet): MeshTrafficPolicy {
  const limits = MESH_TRAFFIC_LIMITS;
  const to = failoverRegion(cluster, fleet);
  const failover: LocalityFailover[] = to === undefined ? [] : [{ from: cluster.region, to }];
  return {
    connectionPool: {
      tcp: { maxConnections: limits.maxConnections, connectTimeout: limits.connectTimeout },
      http: {
        http1MaxPendingRequests: limits.http1MaxPendingRequests,
        http2MaxRequests: limits.http2MaxRequests,
        idleTimeout: limits.idleTimeout,
        maxRetries: limits.maxRetries,
      },
    },
    outlierDetection: {
      consecutiveGatewayErrors: limits.consecutiveGatewayErrors,
      consecutive5xxErrors: limits.consecutive5xxErrors,
      interval: limits.outlierInterval,
      baseEjectionTime: limits.baseEjectionTime,
      maxEjectionPercent: limits.maxEjectionPercent,
    },
    loadBalancer: {
      simple: 'LEAST_REQUEST',
      localityLbSetting: { enabled: true, ...(failover.length > 0 ? { failover } : {}) },
    },
  };
}
