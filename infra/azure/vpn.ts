import { LocalNetworkGateway } from '@cdktf/provider-azurerm/lib/local-network-gateway';
import { PrivateDnsResolver } from '@cdktf/provider-azurerm/lib/private-dns-resolver';
import { PrivateDnsResolverInboundEndpoint } from '@cdktf/provider-azurerm/lib/private-dns-resolver-inbound-endpoint';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import type { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { VirtualNetworkGateway } from '@cdktf/provider-azurerm/lib/virtual-network-gateway';
import { VirtualNetworkGatewayConnection } from '@cdktf/provider-azurerm/lib/virtual-network-gateway-connection';
import { Construct } from 'constructs';
import type { CrossCloudPlan, TunnelPlan, VpnLinkPlan } from '../cross-cloud';
import { CROSS_CLOUD_NETWORK } from '../defaults';
import { linkSharedSecret } from '../vpn-secret';

export interface AzureCrossCloudVpnProps {
  /** Cluster name, the prefix of every resource. */
  readonly clusterName: string;
  /** Resource group and location of the gateway. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Zones the gateway's public addresses span (the AZ gateway SKU needs zonal or zone-redundant addresses). */
  readonly zones: readonly string[];
  /** The links, ASNs and tunnel addresses (infra/cross-cloud.ts). */
  readonly plan: CrossCloudPlan;
  /** The cluster's VNet, which holds the gateway and resolver subnets. */
  readonly vnet: VirtualNetwork;
}

/** The gateway's two instances, as its IP configurations are named. */
const INSTANCES = ['instance-0', 'instance-1'] as const;

/**
 * The Azure end of the cross-cloud network: an active-active, zone-redundant
 * VPN gateway in the VNet's GatewaySubnet speaking BGP as the cluster's ASN
 * (it advertises the VNet range) with APIPA BGP addresses per instance from
 * the shared plan; per peer tunnel a local network gateway (the peer's
 * address and BGP speaker) and an IKEv2 connection choosing the instances'
 * BGP addresses; and a DNS Private Resolver whose inbound endpoint, at an
 * address fixed by the plan, answers the peers' forwarded queries for the AKS
 * private API zone (linked to this VNet by AKS).
 *
 * Nothing else is opened: AKS's network security group admits the
 * VirtualNetwork service tag, which includes the prefixes the gateway learns
 * over BGP, and the private API endpoint sits in the node subnet.
 */
export class AzureCrossCloudVpn extends Construct {
  readonly gateway: VirtualNetworkGateway;
  readonly addresses: PublicIp[];
  /** Connections by peer cluster; none for a peer whose outputs are not recorded yet. */
  readonly connections = new Map<string, VirtualNetworkGatewayConnection[]>();

  constructor(scope: Construct, id: string, props: AzureCrossCloudVpnProps) {
    super(scope, id);
    const { clusterName, plan, resourceGroupName, location, vnet } = props;
    const where = { resourceGroupName, location };
    // Azure requires this exact name for the gateway's subnet.
    const gatewaySubnet = new Subnet(this, 'gateway-subnet', {
      name: 'GatewaySubnet',
      resourceGroupName,
      virtualNetworkName: vnet.name,
      addressPrefixes: [plan.gatewaySubnetCidr],
    });
    this.addresses = INSTANCES.map(
      (instance) =>
        new PublicIp(this, `address-${instance}`, {
          ...where,
          name: `${clusterName}-vpn-${instance}`,
          allocationMethod: 'Static',
          sku: 'Standard',
          zones: [...props.zones],
        }),
    );
    const tunnels = plan.links.flatMap((link) => link.tunnels);
    this.gateway = new VirtualNetworkGateway(this, 'gateway', {
      ...where,
      name: `${clusterName}-vpn`,
      type: 'Vpn',
      vpnType: 'RouteBased',
      sku: CROSS_CLOUD_NETWORK.azureGatewaySku,
      generation: 'Generation1',
      activeActive: true,
      enableBgp: true,
      ipConfiguration: INSTANCES.map((name, i) => ({
        name,
        publicIpAddressId: this.addresses[i].id,
        privateIpAddressAllocation: 'Dynamic',
        subnetId: gatewaySubnet.id,
      })),
      bgpSettings: {
        asn: plan.asn,
        // Every planned tunnel's address, recorded or not, so a peer's first apply does not change the gateway.
        peeringAddresses: INSTANCES.map((ipConfigurationName, i) => ({
          ipConfigurationName,
          apipaAddresses: tunnels.filter((t) => t.localInterface === i).map((t) => t.localInsideAddress),
        })),
      },
    });

    for (const link of plan.links) {
      const secret = linkSharedSecret(this, link);
      if (link.peerEndpoints) this.connections.set(link.peer.name, this.connect(props, link, secret));
    }

    if (plan.privateDns) {
      const resolverSubnet = new Subnet(this, 'dns-resolver-subnet', {
        name: 'dns-resolver-inbound',
        resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefixes: [plan.dnsResolverSubnetCidr],
        delegation: [
          {
            name: 'dns-resolver',
            serviceDelegation: {
              name: 'Microsoft.Network/dnsResolvers',
              actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'],
            },
          },
        ],
      });
      const resolver = new PrivateDnsResolver(this, 'dns-resolver', {
        ...where,
        name: `${clusterName}-resolver`,
        virtualNetworkId: vnet.id,
      });
      new PrivateDnsResolverInboundEndpoint(this, 'dns-inbound', {
        name: 'inbound',
        location,
        privateDnsResolverId: resolver.id,
        ipConfigurations: {
          subnetId: resolverSubnet.id,
          privateIpAllocationMethod: 'Static',
          privateIpAddress: plan.privateDns.resolverAddress,
        },
      });
    }
  }

  /**
   * One local network gateway and connection per tunnel. Both instances of an active-active gateway
   * dial every connection, but each peer endpoint accepts only the instance the plan pairs it with;
   * the other instance's attempt stays down, as in Microsoft's AWS and GCP interoperability guides.
   */
  private connect(
    props: AzureCrossCloudVpnProps,
    link: VpnLinkPlan,
    secret: string,
  ): VirtualNetworkGatewayConnection[] {
    const endpoints = link.peerEndpoints ?? [];
    const peer = link.peer.name;
    const where = { resourceGroupName: props.resourceGroupName, location: props.location };
    const addressOf = (instance: number, tunnel: TunnelPlan) =>
      tunnel.localInterface === instance
        ? tunnel.localInsideAddress
        : (link.tunnels.find((t) => t.localInterface === instance) as TunnelPlan).localInsideAddress;
    return link.tunnels.map((tunnel) => {
      const name = `${props.clusterName}-${peer}-${tunnel.index}`;
      const local = new LocalNetworkGateway(this, `${peer}-local-gateway-${tunnel.index}`, {
        ...where,
        name,
        gatewayAddress: endpoints[tunnel.peerInterface],
        bgpSettings: { asn: link.peerAsn, bgpPeeringAddress: tunnel.peerInsideAddress },
      });
      return new VirtualNetworkGatewayConnection(this, `${peer}-connection-${tunnel.index}`, {
        ...where,
        name,
        type: 'IPsec',
        virtualNetworkGatewayId: this.gateway.id,
        localNetworkGatewayId: local.id,
        sharedKey: secret,
        connectionProtocol: 'IKEv2',
        enableBgp: true,
        customBgpAddresses: { primary: addressOf(0, tunnel), secondary: addressOf(1, tunnel) },
        tags: { vpn_peer: peer },
      });
    });
  }

  /** The gateway instances' public addresses, the same for every peer (`vpn_endpoints` output). */
  endpoints(plan: CrossCloudPlan): Record<string, string[]> {
    const addresses = this.addresses.map((address) => address.ipAddress);
    return Object.fromEntries(plan.links.map((link) => [link.peer.name, addresses]));
  }
}
