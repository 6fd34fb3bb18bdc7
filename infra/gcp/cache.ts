import { RedisInstance } from '@cdktf/provider-google/lib/redis-instance';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CACHE } from '../defaults';
import type { CachePlan } from '../plan';

export interface GcpCacheProps {
  /** Instance name. */
  readonly cache: CachePlan;
  /** Region of the instance; replicas spread over its zones. */
  readonly region: string;
  /** Id of the VPC the instance is reachable from. */
  readonly networkId: string;
  /** The private services peering the instance is addressed through. */
  readonly privateServices: ITerraformDependable;
  /** Labels for the instance. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Memorystore for Redis, Standard tier (automatic failover) with read
 * replicas, AUTH and TLS in transit, reachable over private service access.
 */
export class GcpCache extends Construct {
  readonly instance: RedisInstance;

  constructor(scope: Construct, id: string, props: GcpCacheProps) {
    super(scope, id);
    this.instance = new RedisInstance(this, 'instance', {
      name: props.cache.name,
      region: props.region,
      tier: 'STANDARD_HA',
      memorySizeGb: CACHE.memoryGb,
      redisVersion: CACHE.engineVersion.gcp,
      replicaCount: CACHE.nodes - 1,
      readReplicasMode: 'READ_REPLICAS_ENABLED',
      authorizedNetwork: props.networkId,
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      labels: { ...props.labels },
      maintenancePolicy: {
        weeklyMaintenanceWindow: [{ day: 'SUNDAY', startTime: { hours: 5, minutes: 30 } }],
      },
      dependsOn: [props.privateServices],
    });
  }

  /**
   * Every CA certificate Memorystore currently signs with, concatenated PEM: with in-transit
   * encryption the server presents a certificate from Google's per-instance CA, which no system
   * trust store holds; during a CA rotation two are valid, so clients are given all of them.
   */
  get serverCaCertificates(): string {
    return `\${join("\\n", ${this.instance.terraformResourceType}.${this.instance.friendlyUniqueId}.server_ca_certs[*].cert)}`;
  }
}
