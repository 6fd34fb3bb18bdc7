import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DATABASE } from '../defaults';
import type { DatabasePlan } from '../plan';

export interface GcpDatabaseProps {
  /** Names, version, storage and backups. */
  readonly database: DatabasePlan;
  /** Region of the instance; the standby is in another zone of it. */
  readonly region: string;
  /** Self link / id of the VPC the instance gets a private address in. */
  readonly networkId: string;
  /** The private services peering, which must exist before a private instance. */
  readonly privateServices: ITerraformDependable;
  /** Labels for the instance. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Cloud SQL PostgreSQL, highly available (regional), private IP only, TLS
 * required, automated backups with point-in-time recovery, IAM database
 * authentication, deletion protection and `prevent_destroy`. Data at rest is
 * always encrypted by Cloud SQL.
 */
export class GcpDatabase extends Construct {
  readonly instance: SqlDatabaseInstance;

  constructor(scope: Construct, id: string, props: GcpDatabaseProps) {
    super(scope, id);
    const { database } = props;
    this.instance = new SqlDatabaseInstance(this, 'instance', {
      name: database.instanceName,
      region: props.region,
      databaseVersion: `POSTGRES_${database.engineVersion}`,
      deletionProtection: true,
      settings: {
        tier: DATABASE.instanceClass.gcp,
        edition: 'ENTERPRISE',
        availabilityType: 'REGIONAL',
        diskType: 'PD_SSD',
        diskSize: database.storageGb,
        diskAutoresize: true,
        diskAutoresizeLimit: database.maxStorageGb,
        deletionProtectionEnabled: true,
        userLabels: { ...props.labels },
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: props.networkId,
          sslMode: 'ENCRYPTED_ONLY',
        },
        backupConfiguration: {
          enabled: true,
          startTime: '03:00',
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: 7,
          backupRetentionSettings: { retainedBackups: database.backupRetentionDays, retentionUnit: 'COUNT' },
        },
        maintenanceWindow: { day: 7, hour: 4, updateTrack: 'stable' },
        databaseFlags: [{ name: 'cloudsql.iam_authentication', value: 'on' }],
        insightsConfig: { queryInsightsEnabled: true },
      },
      lifecycle: { preventDestroy: true },
      dependsOn: [props.privateServices],
    });
    new SqlDatabase(this, 'database', {
      name: database.databaseName,
      instance: this.instance.name,
      deletionPolicy: 'ABANDON',
    });
  }
}
