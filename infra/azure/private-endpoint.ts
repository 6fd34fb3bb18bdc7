import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Construct } from 'constructs';

export interface AzurePrivateEndpointProps {
  /** Name of the endpoint and its connection. */
  readonly name: string;
  /** Resource group and location of the endpoint and its DNS zone. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Subnet the endpoint's private address comes from. */
  readonly subnetId: string;
  /** VNet whose resolvers answer the private name. */
  readonly virtualNetworkId: string;
  /** The resource reached through the endpoint. */
  readonly resourceId: string;
  /** Sub-resource of the target, e.g. `blob`, `vault`, `redisCache`, `registry`. */
  readonly subresource: string;
  /** Private DNS zone of that sub-resource, e.g. `privatelink.blob.core.windows.net`. */
  readonly dnsZone: string;
}

/**
 * A private endpoint with its private DNS zone linked to the VNet, so the
 * service's public name resolves to a private address inside the cluster's
 * network, and the service can keep public network access off.
 */
export class AzurePrivateEndpoint extends Construct {
  readonly endpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: AzurePrivateEndpointProps) {
    super(scope, id);
    const zone = new PrivateDnsZone(this, 'zone', {
      name: props.dnsZone,
      resourceGroupName: props.resourceGroupName,
    });
    new PrivateDnsZoneVirtualNetworkLink(this, 'zone-link', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: props.virtualNetworkId,
      registrationEnabled: false,
    });
    this.endpoint = new PrivateEndpoint(this, 'endpoint', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.subnetId,
      privateServiceConnection: {
        name: props.name,
        privateConnectionResourceId: props.resourceId,
        subresourceNames: [props.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: 'default', privateDnsZoneIds: [zone.id] },
    });
  }
}
