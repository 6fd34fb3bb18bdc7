import { DataAwsSecretsmanagerRandomPassword } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
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
  /**
   * The Secrets Manager secret clients read the AUTH token from (`redis-auth-token`): the stack
   * writes the token it gives the replication group there, once.
   */
  readonly authTokenSecret: SecretsmanagerSecret;
}

/**
 * ElastiCache Redis: a replication group with a replica per zone, automatic
 * Multi-AZ failover, TLS in transit, an AUTH token, encryption at rest, daily snapshots
 * and a final one.
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
    // Every client sends the token from the secret store (apps/gateway, apps/model-serving). Secrets
    // Manager generates it at the first apply; the group and the secret get the same value, and both
    // ignore later reads of the data source (a new random value each plan): rotating the token is a
    // deliberate operation (auth_token_update_strategy ROTATE), not a side effect of a plan. The token
    // is in the Terraform state, as every value the provider is given is: the state bucket is private.
    const token = new DataAwsSecretsmanagerRandomPassword(this, 'auth-token', {
      passwordLength: 64,
      // ElastiCache refuses "/", "\"" and "@" in a token; letters and digits only keeps URLs simple too.
      excludePunctuation: true,
      includeSpace: false,
    });
    new SecretsmanagerSecretVersion(this, 'auth-token-value', {
      secretId: props.authTokenSecret.id,
      secretString: token.randomPassword,
      lifecycle: { ignoreChanges: ['secret_string'] },
    });
    this.replicationGroup = new ElasticacheReplicationGroup(this, 'replication-group', {
      authToken: token.randomPassword,
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
      // Deleting the group keeps a last snapshot to restore from.
      finalSnapshotIdentifier: `${cache.name}-final`,
      lifecycle: { ignoreChanges: ['auth_token'] },
    });
  }
}
