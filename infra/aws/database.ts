import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { DATABASE } from '../defaults';
import type { DatabasePlan } from '../plan';

export interface AwsDatabaseProps {
  /** Names, version, storage and backups. */
  readonly database: DatabasePlan;
  /** The cluster's VPC. */
  readonly vpc: Vpc;
  /** Private subnets, one per zone: the standby lives in another zone than the primary. */
  readonly subnets: readonly Subnet[];
  /** Address range allowed to connect (the VPC, where nodes and pods live). */
  readonly clientCidr: string;
}

/**
 * RDS PostgreSQL, Multi-AZ, encrypted, private, with automated backups, a
 * final snapshot, deletion protection and `prevent_destroy`. The master
 * password is generated and rotated by RDS in Secrets Manager, so it is never
 * in Terraform state or git.
 */
export class AwsDatabase extends Construct {
  readonly instance: DbInstance;

  constructor(scope: Construct, id: string, props: AwsDatabaseProps) {
    super(scope, id);
    const { database } = props;
    const subnetGroup = new DbSubnetGroup(this, 'subnets', {
      name: database.instanceName,
      subnetIds: props.subnets.map((s) => s.id),
    });
    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${database.instanceName}-clients`,
      description: `PostgreSQL clients of ${database.instanceName}`,
      vpcId: props.vpc.id,
      ingress: [
        {
          description: 'PostgreSQL from the cluster network',
          protocol: 'tcp',
          fromPort: 5432,
          toPort: 5432,
          cidrBlocks: [props.clientCidr],
        },
      ],
    });
    this.instance = new DbInstance(this, 'instance', {
      identifier: database.instanceName,
      engine: 'postgres',
      engineVersion: database.engineVersion,
      instanceClass: DATABASE.instanceClass.aws,
      dbName: database.databaseName,
      username: database.adminUser,
      manageMasterUserPassword: true,
      multiAz: true,
      storageType: 'gp3',
      allocatedStorage: database.storageGb,
      maxAllocatedStorage: database.maxStorageGb,
      storageEncrypted: true,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [securityGroup.id],
      publiclyAccessible: false,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: database.backupRetentionDays,
      backupWindow: '03:00-04:00',
      maintenanceWindow: 'sun:04:30-sun:05:30',
      copyTagsToSnapshot: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${database.instanceName}-final`,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: true,
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
      lifecycle: { preventDestroy: true },
    });
  }
}
