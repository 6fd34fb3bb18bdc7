import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Construct } from 'constructs';
import { prefixLength, subnet } from '../cidr';
import type { NetworkPlan } from '../plan';

export interface AzureNetworkProps {
  /** Cluster name, the prefix of every network resource. */
  readonly clusterName: string;
  /** Resource group and location of the network. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Availability zones of the cluster; the NAT address is redundant across them. */
  readonly zones: readonly string[];
  /** Address ranges. */
  readonly network: NetworkPlan;
}

/**
 * A VNet with dedicated subnets: nodes (egress through a zone-redundant NAT
 * gateway), PostgreSQL (delegated to Flexible Server) and private endpoints
 * (Redis, Storage, Key Vault, ACR). Pods use an overlay from the fleet's pod
 * range, so they take no VNet addresses.
 */
export class AzureNetwork extends Construct {
  readonly vnet: VirtualNetwork;
  readonly nodes: Subnet;
  readonly database: Subnet;
  readonly endpoints: Subnet;
  /** NAT association the cluster must wait for (AKS checks outbound on create). */
  readonly natAssociation: SubnetNatGatewayAssociation;

  constructor(scope: Construct, id: string, props: AzureNetworkProps) {
    super(scope, id);
    const { network, clusterName, resourceGroupName, location } = props;
    this.vnet = new VirtualNetwork(this, 'vnet', {
      name: clusterName,
      resourceGroupName,
      location,
      addressSpace: [network.cidr],
    });
    // Subnets are regional on Azure: the first zone's private range holds the nodes of every zone.
    this.nodes = new Subnet(this, 'nodes', {
      name: 'nodes',
      resourceGroupName,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [network.zones[0].privateCidr],
    });
    const services = network.managedServicesCidr;
    const half = prefixLength(services) + 1;
    this.database = new Subnet(this, 'database', {
      name: 'database',
      resourceGroupName,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [subnet(services, half, 0)],
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
    this.endpoints = new Subnet(this, 'endpoints', {
      name: 'private-endpoints',
      resourceGroupName,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [subnet(services, half, 1)],
    });
    const egressIp = new PublicIp(this, 'nat-address', {
      name: `${clusterName}-nat`,
      resourceGroupName,
      location,
      allocationMethod: 'Static',
      sku: 'Standard',
      zones: [...props.zones],
    });
    const nat = new NatGateway(this, 'nat', {
      name: clusterName,
      resourceGroupName,
      location,
      skuName: 'Standard',
      idleTimeoutInMinutes: 10,
    });
    new NatGatewayPublicIpAssociation(this, 'nat-address-association', {
      natGatewayId: nat.id,
      publicIpAddressId: egressIp.id,
    });
    this.natAssociation = new SubnetNatGatewayAssociation(this, 'nodes-nat', {
      subnetId: this.nodes.id,
      natGatewayId: nat.id,
    });
  }
}
