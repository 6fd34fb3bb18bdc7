import { RedisCache } from '@cdktf/provider-azurerm/lib/redis-cache';
import { Construct } from 'constructs';
import { CACHE } from '../defaults';
import type { CachePlan } from '../plan';
import { AzurePrivateEndpoint } from './private-endpoint';

export interface AzureCacheProps {
  /** Cache name (globally unique host name prefix). */
  readonly cache: CachePlan;
  /** Resource group and location of the cache. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Zones the primary and replicas spread over. */
  readonly zones: readonly string[];
  /** Subnet of the private endpoint. */
  readonly endpointSubnetId: string;
  /** VNet the private DNS zone is linked to. */
  readonly virtualNetworkId: string;
}

/**
 * Azure Cache for Redis, Premium (zone redundancy, persistence), TLS 1.2 only
 * on port 6380, no public network access: clients reach it through a private
 * endpoint in the VNet.
 */
export class AzureCache extends Construct {
  readonly cache: RedisCache;

  constructor(scope: Construct, id: string, props: AzureCacheProps) {
    super(scope, id);
    this.cache = new RedisCache(this, 'cache', {
      name: props.cache.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: 'Premium',
      family: 'P',
      capacity: CACHE.azureCapacity,
      redisVersion: CACHE.engineVersion.azure,
      replicasPerPrimary: CACHE.nodes - 1,
      zones: [...props.zones],
      minimumTlsVersion: '1.2',
      nonSslPortEnabled: false,
      publicNetworkAccessEnabled: false,
      redisConfiguration: { maxmemoryPolicy: 'allkeys-lru' },
      patchSchedule: [{ dayOfWeek: 'Sunday', startHourUtc: 5 }],
    });
    new AzurePrivateEndpoint(this, 'private-endpoint', {
      name: `${props.cache.name}-endpoint`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.endpointSubnetId,
      virtualNetworkId: props.virtualNetworkId,
      resourceId: this.cache.id,
      subresource: 'redisCache',
      dnsZone: 'privatelink.redis.cache.windows.net',
    });
  }
}
