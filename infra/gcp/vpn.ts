import { ComputeExternalVpnGateway } from '@cdktf/provider-google/lib/compute-external-vpn-gateway';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeHaVpnGateway } from '@cdktf/provider-google/lib/compute-ha-vpn-gateway';
import type { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeNetworkPeeringRoutesConfig } from '@cdktf/provider-google/lib/compute-network-peering-routes-config';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterInterface } from '@cdktf/provider-google/lib/compute-router-interface';
import { ComputeRouterPeer } from '@cdktf/provider-google/lib/compute-router-peer';
import { ComputeVpnTunnel } from '@cdktf/provider-google/lib/compute-vpn-tunnel';
import type { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { Construct } from 'constructs';
import type { CrossCloudPlan, VpnLinkPlan } from '../cross-cloud';
import { CROSS_CLOUD_NETWORK } from '../defaults';
import { linkSharedSecret } from '../vpn-secret';

/**
 * Where Cloud DNS sends forwarded queries from: the peer's resolver answers to
 * this range, so it must be routed back over the VPN (advertised by BGP).
 */
export const CLOUD_DNS_FORWARDING_SOURCE = '35.199.192.0/19';

/** The GKE master authorized networks the peers need: their ranges, named after them. */
export function peerAuthorizedNetworks(plan: CrossCloudPlan): { cidrBlock: string; displayName: string }[] {
  return plan.links.flatMap((link) =>
    link.peerRanges.map((range) => ({ cidrBlock: range, displayName: `${link.peer.name} over VPN` })),
  );
}

export interface GcpCrossCloudVpnProps {
  /** Cluster name, the prefix of every resource. */
  readonly clusterName: string;
  /** Region of the gateway, router and tunnels. */
  readonly region: string;
  /** The links, ASNs and tunnel addresses (infra/cross-cloud.ts). */
  readonly plan: CrossCloudPlan;
  /** The cluster's VPC. */
  readonly network: ComputeNetwork;
  /** The GKE cluster, whose control plane VPC peering must learn the routes to the peers. */
  readonly cluster: ContainerCluster;
}

/**
 * The GCP end of the cross-cloud network: an HA VPN gateway (two interfaces)
 * and a Cloud Router speaking BGP as the cluster's ASN, advertising the VPC
 * and pod ranges (the control plane /28 is inside the VPC range) and, when it
 * forwards DNS, Cloud DNS's forwarding source range; per peer an external VPN
 * gateway with the peer's recorded addresses, a tunnel per planned tunnel
 * (IKEv2) and its BGP session. The control plane's VPC peering exports the
 * learned routes, so the private endpoint answers the peers; a firewall rule
 * lets the peers' ranges reach the east-west gateway's ports on the nodes;
 * and a private forwarding zone per peer private DNS zone (AKS) sends those
 * names to the peer's inbound resolver.
 */
export class GcpCrossCloudVpn extends Construct {
  readonly gateway: ComputeHaVpnGateway;
  readonly router: ComputeRouter;
  /** Tunnels by peer cluster; none for a peer whose outputs are not recorded yet. */
  readonly tunnels = new Map<string, ComputeVpnTunnel[]>();

  constructor(scope: Construct, id: string, props: GcpCrossCloudVpnProps) {
    super(scope, id);
    const { clusterName, plan, region, network } = props;
    const forwardsDns = plan.links.some((link) => link.peerDns);
    this.gateway = new ComputeHaVpnGateway(this, 'gateway', {
      name: `${clusterName}-vpn`,
      region,
      network: network.id,
    });
    this.router = new ComputeRouter(this, 'router', {
      name: `${clusterName}-vpn`,
      region,
      network: network.id,
      bgp: {
        asn: plan.asn,
        advertiseMode: 'CUSTOM',
        advertisedIpRanges: [
          ...plan.advertisedRanges,
          ...(forwardsDns ? [CLOUD_DNS_FORWARDING_SOURCE] : []),
        ].map((range) => ({ range })),
      },
    });
    // The private endpoint lives in Google's VPC peered with this one: it answers the peers only
    // once the peering exports the routes this VPC learns over BGP.
    new ComputeNetworkPeeringRoutesConfig(this, 'control-plane-routes', {
      network: network.name,
      peering: props.cluster.privateClusterConfig.peeringName,
      exportCustomRoutes: true,
      importCustomRoutes: false,
    });
    new ComputeFirewall(this, 'east-west-from-peers', {
      name: `${clusterName}-east-west-from-peers`,
      network: network.id,
      direction: 'INGRESS',
      sourceRanges: [...plan.peerRanges],
      allow: [{ protocol: 'tcp', ports: CROSS_CLOUD_NETWORK.eastWestPorts.map(String) }],
      logConfig: { metadata: 'EXCLUDE_ALL_METADATA' },
    });

    for (const link of plan.links) {
      const secret = linkSharedSecret(this, link);
      if (link.peerEndpoints) this.tunnels.set(link.peer.name, this.connect(props, link, secret));
      if (link.peerDns) {
        new DnsManagedZone(this, `dns-${link.peer.name}`, {
          name: `${clusterName}-${link.peer.name}-api`,
          dnsName: `${link.peerDns.domain}.`,
          description: `Private API server names of ${link.peer.name}, answered by its resolver over the VPN`,
          visibility: 'private',
          privateVisibilityConfig: { networks: [{ networkUrl: network.id }] },
          forwardingConfig: {
            targetNameServers: [{ ipv4Address: link.peerDns.resolverAddress, forwardingPath: 'private' }],
          },
        });
      }
    }
  }

  /** The peer's addresses as an external gateway, and one tunnel with its BGP session per planned tunnel. */
  private connect(props: GcpCrossCloudVpnProps, link: VpnLinkPlan, secret: string): ComputeVpnTunnel[] {
    const endpoints = link.peerEndpoints ?? [];
    const peer = link.peer.name;
    const external = new ComputeExternalVpnGateway(this, `${peer}-gateway`, {
      name: `${props.clusterName}-${peer}`,
      redundancyType: endpoints.length === 4 ? 'FOUR_IPS_REDUNDANCY' : 'TWO_IPS_REDUNDANCY',
      interface: endpoints.map((ipAddress, id) => ({ id, ipAddress })),
    });
    return link.tunnels.map((tunnel) => {
      const name = `${props.clusterName}-${peer}-${tunnel.index}`;
      const vpnTunnel = new ComputeVpnTunnel(this, `${peer}-tunnel-${tunnel.index}`, {
        name,
        region: props.region,
        vpnGateway: this.gateway.id,
        vpnGatewayInterface: tunnel.localInterface,
        peerExternalGateway: external.id,
        peerExternalGatewayInterface: tunnel.peerInterface,
        sharedSecret: secret,
        router: this.router.id,
        ikeVersion: 2,
        labels: { vpn_peer: peer },
      });
      const routerInterface = new ComputeRouterInterface(this, `${peer}-interface-${tunnel.index}`, {
        name,
        region: props.region,
        router: this.router.name,
        ipRange: `${tunnel.localInsideAddress}/30`,
        vpnTunnel: vpnTunnel.name,
      });
      new ComputeRouterPeer(this, `${peer}-bgp-${tunnel.index}`, {
        name,
        region: props.region,
        router: this.router.name,
        interface: routerInterface.name,
        peerIpAddress: tunnel.peerInsideAddress,
        peerAsn: link.peerAsn,
      });
      return vpnTunnel;
    });
  }

  /** Public addresses of the two HA VPN interfaces, the same for every peer (`vpn_endpoints` output). */
  endpoints(plan: CrossCloudPlan): Record<string, string[]> {
    const addresses = [0, 1].map((i) => this.gateway.vpnInterfaces.get(i).ipAddress);
    return Object.fromEntries(plan.links.map((link) => [link.peer.name, addresses]));
  }
}
