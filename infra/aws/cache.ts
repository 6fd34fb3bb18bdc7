import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { CACHE } from '../defaults';
import type { CachePlan } from '../plan';

export interface AwsCacheProps {
  /** Replication group name. */
  readonly cache: CachePlan;
  /** The cluster's VPC. */
  readonly vpc: Vpc;
  /** Private subnets, one per zone: one node per zone. */
  readonly subnets: readonly Subnet[];
  /** Address range allowed to connect (the VPC). */
  readonly clientCidr: string;
}

/**
 * ElastiCache Redis: a replication group with a replica per zone, automatic
 * Multi-AZ failover, TLS in transit and encryption at rest, daily snapshots.
 */
export class AwsCache extends Construct {
  readonly replicationGroup: ElasticacheReplicationGroup;

  constructor(scope: Construct, id: string, props: AwsCacheProps) {
    super(scope, id);
    const { cache } = props;
    const subnetGroup = new ElasticacheSubnetGroup(this, 'subnets', {
      name: cache.name,
      subnetIds: props.subnets.map((s) => s.id),
    });
    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${cache.name}-clients`,
      description: `Redis clients of ${cache.name}`,
      vpcId: props.vpc.id,
      ingress: [
        {
          description: 'Redis (TLS) from the cluster network',
          protocol: 'tcp',
          fromPort: CACHE.port.aws,
          toPort: CACHE.port.aws,
          cidrBlocks: [props.clientCidr],
        },
      ],
    });
    this.replicationGroup = new ElasticacheReplicationGroup(this, 'replication-group', {
      replicationGroupId: cache.name,
      description: `Rate limits and shared gateway state of ${cache.name}`,
      engine: 'redis',
      engineVersion: CACHE.engineVersion.aws,
      nodeType: CACHE.awsNodeType,
      port: CACHE.port.aws,
      numCacheClusters: CACHE.nodes,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: 'true',
      transitEncryptionEnabled: true,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [securityGroup.id],
      snapshotRetentionLimit: CACHE.snapshotRetentionDays,
      snapshotWindow: '02:00-03:00',
      maintenanceWindow: 'sun:05:30-sun:06:30',
      autoMinorVersionUpgrade: 'true',
      applyImmediately: false,
    });
  }
}
