import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { Construct } from 'constructs';
import { REGISTRY } from '../defaults';

export interface AzureRegistryProps {
  /** Registry name (`azureRegistryName`); its host is `<name>.azurecr.io`. */
  readonly name: string;
  /** Resource group and location of the registry. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Region the registry is geo-replicated to. */
  readonly replicaLocation: string;
  /** Whether that region has availability zones: zone redundancy is refused in a region without them. */
  readonly replicaZoneRedundant: boolean;
}

/**
 * ACR Premium: zone redundant, geo-replicated to the paired region (zone redundant
 * there too when that region has zones), no admin
 * user and no anonymous pull (Entra ID only, like ECR and Artifact Registry
 * use IAM), untagged manifests purged. Repositories are created on first
 * push, with the names `CloudProfile.imageRepository` uses.
 */
export class AzureRegistry extends Construct {
  readonly registry: ContainerRegistry;

  constructor(scope: Construct, id: string, props: AzureRegistryProps) {
    super(scope, id);
    this.registry = new ContainerRegistry(this, 'registry', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: 'Premium',
      adminEnabled: false,
      anonymousPullEnabled: false,
      zoneRedundancyEnabled: true,
      retentionPolicyInDays: REGISTRY.untaggedImageDays,
      // Running pods reference these images by digest; deleting the registry deletes them.
      lifecycle: { preventDestroy: true },
      georeplications: [
        { location: props.replicaLocation, zoneRedundancyEnabled: props.replicaZoneRedundant },
      ],
    });
  }
}
