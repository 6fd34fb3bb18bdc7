import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageManagementPolicy } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { Construct } from 'constructs';
import { BUCKETS } from '../defaults';
import type { BucketPlan } from '../plan';
import { AzurePrivateEndpoint } from './private-endpoint';

export interface AzureStorageProps {
  /** Storage account name (`azureStorageAccountName`). */
  readonly accountName: string;
  /** Containers to create, one per bucket of the plan (`modelBucketName`, `dataLakeBucketName`). */
  readonly buckets: readonly BucketPlan[];
  /** Resource group and location of the account. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Subnet of the private endpoint. */
  readonly endpointSubnetId: string;
  /** VNet the private DNS zone is linked to. */
  readonly virtualNetworkId: string;
}

/**
 * The plan's tiers as lifecycle actions. The archive tier is not offered on zone-redundant accounts
 * (ZRS, GZRS, RA-GZRS), and the account is GZRS: the plan's archive step lands in the cold tier, the
 * coldest online tier those accounts have.
 */
/** The storage services the platform's clients reach, each through its own private endpoint. */
const STORAGE_SERVICES = ['blob', 'dfs'] as const;

const TIER_ACTION = {
  infrequent: 'tierToCoolAfterDaysSinceModificationGreaterThan',
  archive: 'tierToColdAfterDaysSinceModificationGreaterThan',
} as const;

/**
 * One geo-zone-redundant StorageV2 account with a hierarchical namespace
 * (Data Lake Gen2) holding a private container per bucket. Public blob access,
 * shared keys and public network access are off (Entra ID only, through a
 * private endpoint); soft delete protects blobs and containers (blob versioning
 * is not available with a hierarchical namespace); lifecycle rules tier the
 * data lake and expire old snapshots. `prevent_destroy` guards account and
 * containers.
 */
export class AzureStorage extends Construct {
  readonly account: StorageAccount;
  readonly containers: StorageContainer[];

  constructor(scope: Construct, id: string, props: AzureStorageProps) {
    super(scope, id);
    this.account = new StorageAccount(this, 'account', {
      name: props.accountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: 'GZRS',
      isHnsEnabled: true,
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      publicNetworkAccessEnabled: false,
      infrastructureEncryptionEnabled: true,
      networkRules: { defaultAction: 'Deny', bypass: ['AzureServices'] },
      blobProperties: {
        deleteRetentionPolicy: { days: BUCKETS.softDeleteDays },
        containerDeleteRetentionPolicy: { days: BUCKETS.softDeleteDays },
      },
      lifecycle: { preventDestroy: true },
    });
    this.containers = props.buckets.map(
      (bucket) =>
        new StorageContainer(this, `container-${bucket.role}`, {
          name: bucket.name,
          storageAccountId: this.account.id,
          containerAccessType: 'private',
          lifecycle: { preventDestroy: true },
        }),
    );
    new StorageManagementPolicy(this, 'lifecycle', {
      storageAccountId: this.account.id,
      rule: props.buckets.map((bucket) => ({
        name: bucket.role,
        enabled: true,
        filters: { blobTypes: ['blockBlob'], prefixMatch: [`${bucket.name}/`] },
        actions: {
          // An empty base blob action is rejected; buckets without tier moves leave it out.
          ...(bucket.transitions.length > 0
            ? {
                baseBlob: Object.fromEntries(
                  bucket.transitions.map((t) => [TIER_ACTION[t.tier], t.afterDays]),
                ),
              }
            : {}),
          snapshot: { deleteAfterDaysSinceCreationGreaterThan: bucket.noncurrentVersionDays },
        },
      })),
    });
    // One endpoint (and DNS zone) per service clients use: Blob CSI volumes and rclone speak blob;
    // the feature store's registry and batch predictions read abfss:// URIs, which are dfs.
    for (const service of STORAGE_SERVICES) {
      new AzurePrivateEndpoint(
        this,
        service === 'blob' ? 'private-endpoint' : `private-endpoint-${service}`,
        {
          name: `${props.accountName}-${service}`,
          resourceGroupName: props.resourceGroupName,
          location: props.location,
          subnetId: props.endpointSubnetId,
          virtualNetworkId: props.virtualNetworkId,
          resourceId: this.account.id,
          subresource: service,
          dnsZone: `privatelink.${service}.core.windows.net`,
        },
      );
    }
  }

  /** Resource id of a container, the scope of role assignments on it. */
  containerScope(name: string): string {
    return `${this.account.id}/blobServices/default/containers/${name}`;
  }
}
