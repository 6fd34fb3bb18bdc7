import { CustomerGateway } from '@cdktf/provider-aws/lib/customer-gateway';
import type { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route53ResolverEndpoint } from '@cdktf/provider-aws/lib/route53-resolver-endpoint';
import { Route53ResolverRule } from '@cdktf/provider-aws/lib/route53-resolver-rule';
import { Route53ResolverRuleAssociation } from '@cdktf/provider-aws/lib/route53-resolver-rule-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpnConnection } from '@cdktf/provider-aws/lib/vpn-connection';
import { VpnGateway } from '@cdktf/provider-aws/lib/vpn-gateway';
import { VpnGatewayRoutePropagation } from '@cdktf/provider-aws/lib/vpn-gateway-route-propagation';
import { Construct } from 'constructs';
import type { CrossCloudPlan, VpnLinkPlan } from '../cross-cloud';
import { CROSS_CLOUD_NETWORK } from '../defaults';
import { linkSharedSecret } from '../vpn-secret';

export interface AwsCrossCloudVpnProps {
  /** Cluster name, the prefix of every resource's Name tag. */
  readonly clusterName: string;
  /** The links, ASNs and tunnel addresses (infra/cross-cloud.ts). */
  readonly plan: CrossCloudPlan;
  /** The cluster's VPC, which the virtual private gateway attaches to. */
  readonly vpc: Vpc;
  /** Route tables of the private subnets: BGP-learned peer ranges are propagated into them. */
  readonly privateRouteTables: readonly RouteTable[];
  /** Private subnets, one per zone, for the DNS resolver's outbound endpoint. */
  readonly privateSubnets: readonly Subnet[];
  /** The EKS cluster security group, in front of the private API endpoint. */
  readonly clusterSecurityGroupId: string;
}

/**
 * The AWS end of the cross-cloud network: a virtual private gateway on the
 * cluster's VPC speaking BGP as the cluster's ASN (it advertises the VPC
 * range), two VPN connections per peer (one per peer gateway address, two
 * tunnels each, IKEv2, inside addresses from the shared plan), learned routes
 * propagated into the private route tables, the EKS cluster security group
 * opened on 443 to the peers' ranges, and a Route 53 Resolver forwarding rule
 * per peer private DNS zone (AKS) to the peer's inbound resolver.
 *
 * A virtual private gateway rather than a transit gateway: one VPC per
 * cluster needs no hub, and the transit gateway's attachment hours and
 * per-GB processing would be paid for nothing.
 */
export class AwsCrossCloudVpn extends Construct {
  readonly gateway: VpnGateway;
  /** Connections by peer cluster, two each; empty for a peer whose outputs are not recorded yet. */
  readonly connections = new Map<string, VpnConnection[]>();

  constructor(scope: Construct, id: string, props: AwsCrossCloudVpnProps) {
    super(scope, id);
    const { clusterName, plan } = props;
    this.gateway = new VpnGateway(this, 'gateway', {
      vpcId: props.vpc.id,
      amazonSideAsn: String(plan.asn),
      tags: { Name: clusterName },
    });
    props.privateRouteTables.forEach((table, i) => {
      new VpnGatewayRoutePropagation(this, `propagation-${i}`, {
        vpnGatewayId: this.gateway.id,
        routeTableId: table.id,
      });
    });

    for (const link of plan.links) {
      const secret = linkSharedSecret(this, link);
      // Peers' istiod (and the operators' bastion, inside this VPC's range) reach the private API endpoint.
      for (const range of link.peerRanges) {
        new VpcSecurityGroupIngressRule(this, `api-from-${link.peer.name}-${range.replace(/[./]/g, '-')}`, {
          securityGroupId: props.clusterSecurityGroupId,
          ipProtocol: 'tcp',
          fromPort: CROSS_CLOUD_NETWORK.apiServerPort,
          toPort: CROSS_CLOUD_NETWORK.apiServerPort,
          cidrIpv4: range,
          description: `Kubernetes API from ${link.peer.name} over the VPN`,
        });
      }
      if (link.peerEndpoints) this.connections.set(link.peer.name, this.connect(clusterName, link, secret));
    }

    const forwarded = plan.links.flatMap((link) => (link.peerDns ? [link] : []));
    if (forwarded.length > 0) this.forwardDns(clusterName, props, forwarded);
  }

  /** Two connections to the peer, connection r to the peer's address r, tunnels 2r and 2r+1. */
  private connect(clusterName: string, link: VpnLinkPlan, secret: string): VpnConnection[] {
    const endpoints = link.peerEndpoints ?? [];
    return [0, 1].map((r) => {
      const [first, second] = [2 * r, 2 * r + 1].map((endpoint) => {
        const tunnel = link.tunnels.find((t) => t.localInterface === endpoint);
        if (!tunnel) throw new Error(`${link.id}: no tunnel uses AWS endpoint ${endpoint}`);
        return tunnel;
      });
      const name = `${clusterName}-${link.peer.name}-${r}`;
      const customer = new CustomerGateway(this, `${link.peer.name}-customer-gateway-${r}`, {
        bgpAsn: String(link.peerAsn),
        ipAddress: endpoints[first.peerInterface],
        type: 'ipsec.1',
        tags: { Name: name, vpn_peer: link.peer.name },
      });
      return new VpnConnection(this, `${link.peer.name}-connection-${r}`, {
        vpnGatewayId: this.gateway.id,
        customerGatewayId: customer.id,
        type: 'ipsec.1',
        staticRoutesOnly: false,
        tunnel1InsideCidr: first.insideCidr,
        tunnel2InsideCidr: second.insideCidr,
        tunnel1PresharedKey: secret,
        tunnel2PresharedKey: secret,
        tunnel1IkeVersions: ['ikev2'],
        tunnel2IkeVersions: ['ikev2'],
        tags: { Name: name, vpn_peer: link.peer.name },
      });
    });
  }

  /** Outbound resolver endpoint in two zones and one forwarding rule per peer private zone, for this VPC. */
  private forwardDns(clusterName: string, props: AwsCrossCloudVpnProps, links: VpnLinkPlan[]): void {
    const resolvers = links.map((link) => link.peerDns?.resolverAddress as string);
    const group = new SecurityGroup(this, 'dns-forwarder', {
      name: `${clusterName}-dns-forwarder`,
      description: 'Route 53 Resolver outbound endpoint: DNS to the peers resolvers over the VPN',
      vpcId: props.vpc.id,
      egress: ['udp', 'tcp'].map((protocol) => ({
        protocol,
        fromPort: 53,
        toPort: 53,
        cidrBlocks: resolvers.map((address) => `${address}/32`),
        description: 'DNS to peer resolvers',
      })),
      tags: { Name: `${clusterName}-dns-forwarder` },
    });
    const endpoint = new Route53ResolverEndpoint(this, 'dns-outbound', {
      name: `${clusterName}-outbound`,
      direction: 'OUTBOUND',
      securityGroupIds: [group.id],
      // The service wants addresses in at least two zones.
      ipAddress: props.privateSubnets.slice(0, 2).map((s) => ({ subnetId: s.id })),
    });
    for (const link of links) {
      const dns = link.peerDns;
      if (!dns) continue;
      const rule = new Route53ResolverRule(this, `dns-${link.peer.name}`, {
        name: `${clusterName}-${link.peer.name}`,
        domainName: dns.domain,
        ruleType: 'FORWARD',
        resolverEndpointId: endpoint.id,
        targetIp: [{ ip: dns.resolverAddress, port: 53 }],
        tags: { vpn_peer: link.peer.name },
      });
      new Route53ResolverRuleAssociation(this, `dns-${link.peer.name}-association`, {
        resolverRuleId: rule.id,
        vpcId: props.vpc.id,
      });
    }
  }

  /** Public addresses of the tunnel endpoints per peer, in endpoint order (`vpn_endpoints` output). */
  endpoints(): Record<string, string[]> {
    return Object.fromEntries(
      [...this.connections].map(([peer, [c0, c1]]) => [
        peer,
        [c0.tunnel1Address, c0.tunnel2Address, c1.tunnel1Address, c1.tunnel2Address],
      ]),
    );
  }
}
