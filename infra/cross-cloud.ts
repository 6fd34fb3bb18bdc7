import type { ClusterOutputs } from '../clusters/outputs';
import type { ClusterSpec, Fleet } from '../clusters/types';
import { hostAddress, prefixLength, subnet } from './cidr';
import { CONNECTIVITY_LAYOUT, CROSS_CLOUD_NETWORK } from './defaults';
import { infraProfileOf } from './profiles';

/**
 * The cross-cloud network, described once from the fleet and read by every
 * cloud's VPN construct (infra/aws/vpn.ts, infra/gcp/vpn.ts,
 * infra/azure/vpn.ts): one site-to-site IPsec link with BGP between every pair
 * of clusters on different clouds, its tunnels, their inside addresses, the
 * ASNs, and the name of the Terraform variable holding the link's pre-shared
 * key. Both ends of a link compute the same description, so they agree
 * without reading each other's state; the only values that cross stacks are
 * the public addresses of each end's VPN gateway, which exist after apply and
 * come through the peers' outputs files (`vpnEndpoints`).
 */

/** One IPsec tunnel of a link, seen from the cluster whose stack builds it. */
export interface TunnelPlan {
  /** Tunnel number within the link, 0-based; the same on both ends. */
  readonly index: number;
  /** The /30 inside the tunnel, where the two BGP speakers sit. */
  readonly insideCidr: string;
  /** This end's BGP address (first or second host of the /30). */
  readonly localInsideAddress: string;
  /** The peer's BGP address. */
  readonly peerInsideAddress: string;
  /**
   * This end's tunnel endpoint: on AWS the tunnel's endpoint number in the link (0-3: connection
   * `index >> 1`, tunnel `index & 1`), on GCP the HA VPN interface, on Azure the gateway instance.
   */
  readonly localInterface: number;
  /** The peer's endpoint, numbered the same way: an index into the peer's recorded `vpnEndpoints`. */
  readonly peerInterface: number;
}

/** A link from this cluster to one peer on another cloud. */
export interface VpnLinkPlan {
  /** `<first>--<second>` in the fleet's order: the same on both ends. */
  readonly id: string;
  /** The peer cluster. */
  readonly peer: ClusterSpec;
  /** This cluster's BGP ASN. */
  readonly localAsn: number;
  /** The peer's BGP ASN. */
  readonly peerAsn: number;
  /** The peer's ranges this cluster accepts traffic from and routes to: its VPC and pod ranges. */
  readonly peerRanges: readonly string[];
  /** Terraform variable (sensitive, supplied at apply, never committed) holding the link's pre-shared key. */
  readonly sharedSecretVariable: string;
  /** Tunnels of the link, with both ends' endpoints and inside addresses. */
  readonly tunnels: readonly TunnelPlan[];
  /**
   * Public addresses of the peer's tunnel endpoints towards this cluster, from the peer's outputs
   * file; absent until the peer's stack has been applied and its outputs recorded, and then the
   * link's tunnels are not rendered yet (see docs/infrastructure.md, apply order).
   */
  readonly peerEndpoints?: readonly string[];
  /** The peer's private DNS zone of its API server and the resolver answering for it, where the peer has one (AKS). */
  readonly peerDns?: PrivateDnsPlan;
}

/** A private DNS zone other clusters must forward to, to resolve a private API server's name. */
export interface PrivateDnsPlan {
  /** Domain to forward, without trailing dot. */
  readonly domain: string;
  /** Address of the resolver's inbound endpoint in the owning cluster's network. */
  readonly resolverAddress: string;
}

/** The cross-cloud network as one cluster's stack builds it. */
export interface CrossCloudPlan {
  /** This cluster's BGP ASN. */
  readonly asn: number;
  /** The ranges this cluster advertises to its peers: VPC and pod range. */
  readonly advertisedRanges: readonly string[];
  /** Subnet of the VPN gateway where the cloud puts it in the VPC (Azure: GatewaySubnet). */
  readonly gatewaySubnetCidr: string;
  /** Subnet of the operator bastion (AWS). */
  readonly bastionSubnetCidr: string;
  /** Subnet of the inbound DNS resolver (Azure). */
  readonly dnsResolverSubnetCidr: string;
  /** This cluster's own private API DNS zone, when peers must forward to it. */
  readonly privateDns?: PrivateDnsPlan;
  /** One link per cluster of another cloud, in the fleet's order. */
  readonly links: readonly VpnLinkPlan[];
  /** Every range of every other cluster: sources allowed to reach this API server and east-west gateway. */
  readonly peerRanges: readonly string[];
}

/** The address of the Azure DNS resolver's inbound endpoint: fixed, so peers can forward to it before it exists. */
const RESOLVER_HOST = 4;

/** The private zone of the cluster's API server name (AKS), answered by the resolver in its network. */
function privateDnsOf(cluster: ClusterSpec): PrivateDnsPlan | undefined {
  const domain = infraProfileOf(cluster).privateApiZone(cluster);
  if (domain === undefined) return undefined;
  return {
    domain,
    resolverAddress: hostAddress(connectivitySubnet(cluster, CONNECTIVITY_LAYOUT.dnsResolver), RESOLVER_HOST),
  };
}

/** One of the connectivity /24s of a cluster's VPC range (infra/defaults.ts `CONNECTIVITY_LAYOUT`). */
function connectivitySubnet(cluster: ClusterSpec, offset: number): string {
  const { vpcCidr } = cluster.network;
  return subnet(
    vpcCidr,
    prefixLength(vpcCidr) + CONNECTIVITY_LAYOUT.extraBits,
    CONNECTIVITY_LAYOUT.firstIndex + offset,
  );
}

/** Ranges a cluster's traffic comes from and goes to across the VPN. */
function rangesOf(cluster: ClusterSpec): string[] {
  return [cluster.network.vpcCidr, cluster.network.podCidr];
}

/**
 * Number of the link between the i-th and j-th cluster (i < j) of the fleet:
 * j(j-1)/2 + i, so appending a cluster to the fleet adds links after the
 * existing ones and renumbers none (their tunnels keep their addresses).
 */
function linkNumber(i: number, j: number): number {
  return (j * (j - 1)) / 2 + i;
}

/**
 * The cross-cloud network of one cluster. Throws, naming the clusters, when
 * two clusters share a cloud (native peering between them is not built) or
 * the fleet outgrows the tunnel address range.
 */
export function crossCloudPlan(
  fleet: Fleet,
  cluster: ClusterSpec,
  outputsOf: (cluster: ClusterSpec) => ClusterOutputs,
): CrossCloudPlan {
  const clusters = fleet.clusters;
  const self = clusters.findIndex((c) => c.name === cluster.name);
  if (self < 0) throw new Error(`${cluster.name}: not a cluster of the fleet`);
  const slots = 2 ** (32 - prefixLength(CROSS_CLOUD_NETWORK.tunnelInsideRange) - 2);
  const asnOf = (index: number) => CROSS_CLOUD_NETWORK.firstAsn + index;
  const links: VpnLinkPlan[] = [];
  clusters.forEach((peer, other) => {
    if (other === self) return;
    if (peer.cloud === cluster.cloud) {
      throw new Error(
        `${cluster.name} and ${peer.name} are both on ${peer.cloud}: the cross-cloud network (infra/cross-cloud.ts) ` +
          'links clusters of different clouds only; peering two clusters of one cloud is not built',
      );
    }
    const [i, j] = self < other ? [self, other] : [other, self];
    const number = linkNumber(i, j);
    if ((number + 1) * CROSS_CLOUD_NETWORK.tunnelsPerLink > slots) {
      throw new Error(
        `${clusters[i].name}--${clusters[j].name}: the fleet has more links than ${CROSS_CLOUD_NETWORK.tunnelInsideRange} ` +
          `has tunnel slots (${slots / CROSS_CLOUD_NETWORK.tunnelsPerLink} links)`,
      );
    }
    // The end whose cloud terminates first takes each /30's first address; its cloud says the tunnels.
    const selfFirst = infraProfileOf(cluster).vpn.order < infraProfileOf(peer).vpn.order;
    const first = infraProfileOf(selfFirst ? cluster : peer);
    const tunnels = first.vpn.tunnelsAsFirstEnd.map((ends, index) => {
      const insideCidr = subnet(
        CROSS_CLOUD_NETWORK.tunnelInsideRange,
        30,
        number * CROSS_CLOUD_NETWORK.tunnelsPerLink + index,
      );
      const [firstAddress, secondAddress] = [hostAddress(insideCidr, 1), hostAddress(insideCidr, 2)];
      return {
        index,
        insideCidr,
        localInsideAddress: selfFirst ? firstAddress : secondAddress,
        peerInsideAddress: selfFirst ? secondAddress : firstAddress,
        localInterface: selfFirst ? ends.first : ends.second,
        peerInterface: selfFirst ? ends.second : ends.first,
      };
    });
    const id = `${clusters[i].name}--${clusters[j].name}`;
    const peerEndpoints = outputsOf(peer).vpnEndpoints?.[cluster.name];
    links.push({
      id,
      peer,
      localAsn: asnOf(self),
      peerAsn: asnOf(other),
      peerRanges: rangesOf(peer),
      sharedSecretVariable: `vpn_shared_secret_${id.replace(/-/g, '_')}`,
      tunnels,
      ...(peerEndpoints ? { peerEndpoints: checkedEndpoints(cluster, peer, tunnels, peerEndpoints) } : {}),
      ...(privateDnsOf(peer) ? { peerDns: privateDnsOf(peer) } : {}),
    });
  });
  return {
    asn: asnOf(self),
    advertisedRanges: rangesOf(cluster),
    gatewaySubnetCidr: connectivitySubnet(cluster, CONNECTIVITY_LAYOUT.gateway),
    bastionSubnetCidr: connectivitySubnet(cluster, CONNECTIVITY_LAYOUT.bastion),
    dnsResolverSubnetCidr: connectivitySubnet(cluster, CONNECTIVITY_LAYOUT.dnsResolver),
    ...(privateDnsOf(cluster) ? { privateDns: privateDnsOf(cluster) } : {}),
    links,
    peerRanges: links.flatMap((link) => link.peerRanges),
  };
}

/** The peer's recorded endpoints, checked against the tunnels that use them. */
function checkedEndpoints(
  cluster: ClusterSpec,
  peer: ClusterSpec,
  tunnels: readonly TunnelPlan[],
  endpoints: readonly string[],
): readonly string[] {
  const needed = Math.max(...tunnels.map((t) => t.peerInterface)) + 1;
  if (endpoints.length !== needed) {
    throw new Error(
      `clusters/${peer.name}.outputs.json: vpnEndpoints.${cluster.name} has ${endpoints.length} addresses, ` +
        `the link needs ${needed}; record ${peer.name}'s outputs again (npm run infra:outputs -- --stack ${peer.name})`,
    );
  }
  return endpoints;
}

/**
 * Whether the cluster's stack runs the operator bastion (infra/aws/bastion.ts):
 * AWS stacks do, reached with SSM Session Manager; one bastion reaches every
 * cluster over the VPN. The cost estimate asks too.
 */
export function hostsOperatorBastion(cluster: Pick<ClusterSpec, 'cloud'>): boolean {
  return infraProfileOf(cluster).operatorBastion;
}

/** The Terraform variables of a cluster's links, as the apply steps in docs/infrastructure.md set them (TF_VAR_<name>). */
export function sharedSecretVariables(plan: CrossCloudPlan): string[] {
  return plan.links.map((link) => link.sharedSecretVariable);
}

/**
 * The pattern a link's pre-shared key must match on every cloud: AWS allows
 * 8-64 letters, digits, `.` and `_`, not starting with 0; at least 32 characters are asked here.
 */
export const SHARED_SECRET_PATTERN = '^[A-Za-z1-9][A-Za-z0-9._]{31,63}$';
