import { PostgresqlFlexibleServer } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server';
import { PostgresqlFlexibleServerActiveDirectoryAdministrator } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server-active-directory-administrator';
import { PostgresqlFlexibleServerDatabase } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server-database';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { EntraPrincipal } from '../../clusters/types';
import { DATABASE } from '../defaults';
import type { DatabasePlan } from '../plan';

export interface AzureDatabaseProps {
  /** Names, version, storage and backups. */
  readonly database: DatabasePlan;
  /** Resource group and location of the server. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Zones: the primary runs in the first, the standby in the second. */
  readonly zones: readonly string[];
  /** Subnet delegated to Flexible Server. */
  readonly subnetId: string;
  /** VNet the server's private DNS zone is linked to. */
  readonly virtualNetworkId: string;
  /** Entra tenant of the administrator. */
  readonly tenantId: string;
  /** The Entra principal that administers the server, from the cluster file (`database.administrator`). */
  readonly administrator: EntraPrincipal;
}

/**
 * PostgreSQL Flexible Server inside the VNet: zone-redundant high
 * availability, geo-redundant backups (restorable in the paired region),
 * Entra ID authentication only (no password exists to leak), deletion guarded
 * by `prevent_destroy`. Storage is always encrypted at rest.
 */
export class AzureDatabase extends Construct {
  readonly server: PostgresqlFlexibleServer;
  /** The server's private DNS zone; a replica registers in it too. */
  readonly dnsZone: PrivateDnsZone;

  constructor(scope: Construct, id: string, props: AzureDatabaseProps) {
    super(scope, id);
    const { database, resourceGroupName } = props;
    const zone = new PrivateDnsZone(this, 'dns-zone', {
      name: `${database.instanceName}.private.postgres.database.azure.com`,
      resourceGroupName,
    });
    const link = new PrivateDnsZoneVirtualNetworkLink(this, 'dns-zone-link', {
      name: database.instanceName,
      resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: props.virtualNetworkId,
    });
    this.dnsZone = zone;
    this.server = new PostgresqlFlexibleServer(this, 'server', {
      name: database.instanceName,
      resourceGroupName,
      location: props.location,
      version: database.engineVersion,
      skuName: DATABASE.instanceClass.azure,
      storageMb: database.storageGb * 1024,
      autoGrowEnabled: true,
      delegatedSubnetId: props.subnetId,
      privateDnsZoneId: zone.id,
      publicNetworkAccessEnabled: false,
      zone: props.zones[0],
      highAvailability: { mode: 'ZoneRedundant', standbyAvailabilityZone: props.zones[1] },
      backupRetentionDays: database.backupRetentionDays,
      geoRedundantBackupEnabled: true,
      authentication: {
        activeDirectoryAuthEnabled: true,
        passwordAuthEnabled: false,
        tenantId: props.tenantId,
      },
      maintenanceWindow: { dayOfWeek: 0, startHour: 4, startMinute: 30 },
      lifecycle: {
        preventDestroy: true,
        ignoreChanges: ['zone', 'high_availability[0].standby_availability_zone'],
      },
      dependsOn: [link],
    });
    new PostgresqlFlexibleServerActiveDirectoryAdministrator(this, 'administrator', {
      serverName: this.server.name,
      resourceGroupName,
      tenantId: props.tenantId,
      objectId: props.administrator.objectId,
      principalName: props.administrator.principalName,
      principalType: props.administrator.principalType,
    });
    new PostgresqlFlexibleServerDatabase(this, 'database', {
      name: database.databaseName,
      serverId: this.server.id,
      charset: 'UTF8',
      collation: 'en_US.utf8',
      lifecycle: { preventDestroy: true },
    });
  }
}

export interface AzureDatabaseReplicaProps {
  /** Names, version and storage of the primary, which the replica matches. */
  readonly database: DatabasePlan;
  /** The primary server. */
  readonly primary: AzureDatabase;
  /** Resource group of the cluster. */
  readonly resourceGroupName: string;
  /** The paired region the replica runs in. */
  readonly location: string;
  /** The replica's delegated subnet in the paired region. */
  readonly subnetId: string;
  /** The paired region's VNet, linked to the primary's private DNS zone. */
  readonly virtualNetworkId: string;
  /** Entra tenant of the administrator, as on the primary. */
  readonly tenantId: string;
  /** What must exist before the replica: the peerings between the two VNets. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * A read replica of the primary in the paired region (geo-replication): a
 * Flexible Server created with `create_mode = "Replica"` from the primary,
 * streaming its changes asynchronously. It is promoted by hand
 * (`az postgres flexible-server replica promote`) when the primary region is
 * lost. Azure gives replicas no high availability of their own and takes no
 * backups of them; the primary's geo-redundant backups stay the restore path.
 * Same size and storage as the primary, so it can take the primary's load;
 * Entra ID authentication only, private access through the paired VNet, and
 * the same private DNS zone, linked to that VNet too.
 */
export class AzureDatabaseReplica extends Construct {
  readonly server: PostgresqlFlexibleServer;

  constructor(scope: Construct, id: string, props: AzureDatabaseReplicaProps) {
    super(scope, id);
    const { database, resourceGroupName, primary } = props;
    const link = new PrivateDnsZoneVirtualNetworkLink(this, 'dns-zone-link', {
      name: `${database.instanceName}-${props.location}`,
      resourceGroupName,
      privateDnsZoneName: primary.dnsZone.name,
      virtualNetworkId: props.virtualNetworkId,
    });
    this.server = new PostgresqlFlexibleServer(this, 'server', {
      name: `${database.instanceName}-replica`,
      resourceGroupName,
      location: props.location,
      createMode: 'Replica',
      sourceServerId: primary.server.id,
      version: database.engineVersion,
      skuName: DATABASE.instanceClass.azure,
      // A replica's storage may not be smaller than its primary's: both start equal and both grow.
      storageMb: database.storageGb * 1024,
      autoGrowEnabled: true,
      delegatedSubnetId: props.subnetId,
      privateDnsZoneId: primary.dnsZone.id,
      publicNetworkAccessEnabled: false,
      authentication: {
        activeDirectoryAuthEnabled: true,
        passwordAuthEnabled: false,
        tenantId: props.tenantId,
      },
      // Azure picks the replica's zone in the paired region.
      lifecycle: { preventDestroy: true, ignoreChanges: ['zone'] },
      dependsOn: [link, ...props.dependsOn],
    });
  }
}
