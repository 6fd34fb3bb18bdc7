import { ManagedRedis } from '@cdktf/provider-azurerm/lib/managed-redis';
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
  /** Subnet of the private endpoint. */
  readonly endpointSubnetId: string;
  /** VNet the private DNS zone is linked to. */
  readonly virtualNetworkId: string;
}

/**
 * Azure Managed Redis. Azure Cache for Redis (Basic, Standard, Premium) takes
 * no new instances since 2026-10-01 and retires on 2028-09-30; Managed Redis is
 * its successor. High availability (a replica in another zone where the region
 * has zones), TLS only, no public network access: clients reach it through a
 * private endpoint in the VNet, on port 10000. Clients send a password (the
 * platform's `redis-auth-token` secret), so access-key authentication is on and
 * the stack writes the primary key into that Key Vault secret (`authToken`).
 * The clustering policy is `EnterpriseCluster`: one endpoint that routes keys
 * itself, so the gateway and the feature store connect as to a single Redis.
 */
export class AzureCache extends Construct {
  readonly cache: ManagedRedis;

  constructor(scope: Construct, id: string, props: AzureCacheProps) {
    super(scope, id);
    this.cache = new ManagedRedis(this, 'cache', {
      name: props.cache.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: CACHE.azureSku,
      highAvailabilityEnabled: true,
      publicNetworkAccess: 'Disabled',
      defaultDatabase: {
        accessKeysAuthenticationEnabled: true,
        clientProtocol: 'Encrypted',
        clusteringPolicy: 'EnterpriseCluster',
        evictionPolicy: 'AllKeysLRU',
      },
    });
    new AzurePrivateEndpoint(this, 'private-endpoint', {
      name: `${props.cache.name}-endpoint`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.endpointSubnetId,
      virtualNetworkId: props.virtualNetworkId,
      resourceId: this.cache.id,
      subresource: 'redisEnterprise',
      dnsZone: 'privatelink.redis.azure.net',
    });
  }

  /** The password clients send: the database's primary access key. */
  get authToken(): string {
    return this.cache.defaultDatabase.primaryAccessKey;
  }

  /** The TLS port of the database endpoint. */
  get port(): number {
    return this.cache.defaultDatabase.port;
  }
}
