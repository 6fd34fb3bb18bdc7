import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { VirtualNetworkPeering } from '@cdktf/provider-azurerm/lib/virtual-network-peering';
import { Construct } from 'constructs';
import type { DatabaseReplicaPlan } from '../plan';

export interface AzurePairedNetworkProps {
  /** Cluster name, the prefix of the network's resources. */
  readonly clusterName: string;
  /** Resource group of the cluster; Azure keeps resources of other regions in it as well. */
  readonly resourceGroupName: string;
  /** The paired region of the cluster's region. */
  readonly location: string;
  /** Address space and delegated subnet, disjoint from every range of the fleet. */
  readonly addresses: DatabaseReplicaPlan;
  /** The cluster's own VNet, peered with this one. */
  readonly clusterVnet: VirtualNetwork;
}

/**
 * A VNet in the paired region holding only a subnet delegated to PostgreSQL
 * Flexible Server, for the database's geo-replica, and peered both ways with
 * the cluster's VNet: the cluster's workloads reach the replica at its
 * private address, and the replica stays reachable for a promotion when the
 * primary region is gone.
 */
export class AzurePairedNetwork extends Construct {
  readonly vnet: VirtualNetwork;
  readonly database: Subnet;
  /** Both directions of the peering; the replica waits for them. */
  readonly peerings: VirtualNetworkPeering[];

  constructor(scope: Construct, id: string, props: AzurePairedNetworkProps) {
    super(scope, id);
    const { resourceGroupName, clusterVnet } = props;
    this.vnet = new VirtualNetwork(this, 'vnet', {
      name: `${props.clusterName}-${props.location}`,
      resourceGroupName,
      location: props.location,
      addressSpace: [props.addresses.networkCidr],
    });
    this.database = new Subnet(this, 'database', {
      name: 'database',
      resourceGroupName,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [props.addresses.subnetCidr],
      delegation: [
        {
          name: 'postgresql',
          serviceDelegation: {
            name: 'Microsoft.DBforPostgreSQL/flexibleServers',
            actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'],
          },
        },
      ],
    });
    // A peering is one-way on Azure: traffic flows only once each side has one to the other.
    const peering = (from: VirtualNetwork, to: VirtualNetwork, name: string) =>
      new VirtualNetworkPeering(this, `peering-${name}`, {
        name,
        resourceGroupName,
        virtualNetworkName: from.name,
        remoteVirtualNetworkId: to.id,
        allowVirtualNetworkAccess: true,
        // Neither side routes for third networks.
        allowForwardedTraffic: false,
        allowGatewayTransit: false,
      });
    this.peerings = [
      peering(clusterVnet, this.vnet, `to-${props.location}`),
      peering(this.vnet, clusterVnet, `to-${props.clusterName}`),
    ];
  }
}
