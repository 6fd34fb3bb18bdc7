/** Declarations the apps share: the managed Redis their pods use. Plain data: no cdk8s. */
import type { DeclarationProps } from '../../platform/kernel/chart';
import type { Flow } from '../../platform/kernel/contribution';

/**
 * A namespace's pods reach the cluster's managed Redis. The port it listens on differs by cloud
 * and offering (ElastiCache 6379, Memorystore with TLS 6378, Azure Managed Redis 10000): the
 * recorded endpoint says which; without one (no cache recorded yet) there is no flow.
 */
export function managedRedis(namespace: string, { cluster, outputs }: DeclarationProps): Flow[] {
  if (!outputs.cache) return [];
  return [
    {
      reason: 'managed Redis (gateway rate limits, feature store) lives in the cluster network',
      from: { namespace },
      to: { cidr: cluster.network.vpcCidr, what: 'the managed Redis' },
      ports: [outputs.cache.port],
    },
  ];
}
