import * as ipaddr from 'ipaddr.js';
import type { ClusterSpec, Fleet } from '../clusters/types';
import { contains } from './cidr';
import { CROSS_CLOUD_NETWORK } from './defaults';

/**
 * The network half of the cross-layer contract: multi-primary istiod in each
 * cluster watches every peer's API server, and sidecars reach every peer's
 * east-west gateway. Read from the rendered Terraform JSON of all stacks (not
 * from the plan that produced it), this checks for every ordered pair of
 * clusters that the client's traffic has a way there and is let in:
 * tunnels on both ends of the link with the same inside addresses, each end
 * expecting the other's ASN; the server advertising a range that holds its
 * API endpoint and east-west gateway; the server admitting the client's ranges
 * on the API port and the east-west port; and, where the API name is in a
 * private zone (AKS), the client forwarding that zone to the server's resolver.
 */

type Resources = Record<string, Record<string, Record<string, unknown>>>;
type Json = Record<string, unknown>;

/** What one stack builds of the cross-cloud network, as the check needs it. */
export interface NetworkView {
  readonly stack: string;
  /** The ASN the stack's VPN gateway speaks. */
  readonly asn?: number;
  /** Ranges the stack advertises to its peers over BGP. */
  readonly advertised: readonly string[];
  /** Where the API server's private endpoint is, and who may reach it (`any-routed`: no filter beyond routing). */
  readonly apiServer: { readonly location: string; readonly admits: readonly string[] | 'any-routed' };
  /** Where the east-west gateway's load balancer is, and who may reach its port. */
  readonly eastWest: { readonly location: string; readonly admits: readonly string[] | 'any-routed' };
  /** Per peer: the inside /30s of the tunnels to it and the ASN expected on the far end. */
  readonly tunnels: ReadonlyMap<
    string,
    { readonly insideCidrs: ReadonlySet<string>; readonly peerAsns: ReadonlySet<number> }
  >;
  /** DNS zones forwarded elsewhere: domain (no trailing dot) to target address. */
  readonly dnsForwards: ReadonlyMap<string, string>;
  /** The private zone of this stack's API server name and the resolver answering peers, if any. */
  readonly privateZone?: { readonly domain: string; readonly resolver: string };
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/;

function all(json: Json, type: string): Record<string, unknown>[] {
  return Object.values((json.resource as Resources | undefined)?.[type] ?? {});
}

function referenced(json: Json, value: unknown): Record<string, unknown> | undefined {
  const match = typeof value === 'string' ? REFERENCE.exec(value) : null;
  return match ? (json.resource as Resources)[match[1]]?.[match[2]] : undefined;
}

function slash30(address: string): string {
  const [a, b, c, d] = ipaddr.IPv4.parse(address.split('/')[0]).octets;
  return `${a}.${b}.${c}.${d & 0xfc}/30`;
}

function addTunnel(
  tunnels: Map<string, { insideCidrs: Set<string>; peerAsns: Set<number> }>,
  peer: unknown,
  insideCidr: string,
  peerAsn: unknown,
): void {
  const key = String(peer);
  const entry = tunnels.get(key) ?? { insideCidrs: new Set<string>(), peerAsns: new Set<number>() };
  entry.insideCidrs.add(insideCidr);
  entry.peerAsns.add(Number(peerAsn));
  tunnels.set(key, entry);
}

const tag = (r: Record<string, unknown>, field: 'tags' | 'labels') =>
  (r[field] as Record<string, string> | undefined)?.vpn_peer;

function awsView(stack: string, json: Json): NetworkView {
  const vpc = all(json, 'aws_vpc')[0];
  const tunnels = new Map<string, { insideCidrs: Set<string>; peerAsns: Set<number> }>();
  for (const connection of all(json, 'aws_vpn_connection')) {
    const customer = referenced(json, connection.customer_gateway_id);
    for (const field of ['tunnel1_inside_cidr', 'tunnel2_inside_cidr']) {
      addTunnel(tunnels, tag(connection, 'tags'), String(connection[field]), customer?.bgp_asn);
    }
  }
  const gateway = all(json, 'aws_vpn_gateway')[0];
  const propagates = all(json, 'aws_vpn_gateway_route_propagation').length > 0;
  const apiPort = CROSS_CLOUD_NETWORK.apiServerPort;
  return {
    stack,
    asn: gateway ? Number(gateway.amazon_side_asn) : undefined,
    // A virtual private gateway advertises the VPC range; learned routes need propagating back.
    advertised: gateway && propagates ? [String(vpc.cidr_block)] : [],
    apiServer: {
      location: String(vpc.cidr_block),
      admits: all(json, 'aws_vpc_security_group_ingress_rule')
        .filter((r) => /cluster_security_group_id/.test(String(r.security_group_id)))
        .filter((r) => Number(r.from_port) <= apiPort && apiPort <= Number(r.to_port))
        .map((r) => String(r.cidr_ipv4)),
    },
    // The load balancer controller's NLB security group admits every source when the Service sets no
    // loadBalancerSourceRanges (the east-west gateway sets none): routing alone decides.
    eastWest: { location: String(vpc.cidr_block), admits: 'any-routed' },
    tunnels,
    dnsForwards: new Map(
      all(json, 'aws_route53_resolver_rule')
        .filter((r) => r.rule_type === 'FORWARD')
        .map((r) => [
          String(r.domain_name).replace(/\.$/, ''),
          String((r.target_ip as { ip: string }[])[0]?.ip),
        ]),
    ),
  };
}

function gcpView(stack: string, json: Json): NetworkView {
  const cluster = all(json, 'google_container_cluster')[0] as {
    private_cluster_config: { master_ipv4_cidr_block: string };
    master_authorized_networks_config?: { cidr_blocks: { cidr_block: string }[] };
  };
  const nodes = all(json, 'google_compute_subnetwork')[0];
  const router = all(json, 'google_compute_router').find((r) => r.bgp) as
    | { bgp: { asn: number; advertised_ip_ranges?: { range: string }[] } }
    | undefined;
  const tunnels = new Map<string, { insideCidrs: Set<string>; peerAsns: Set<number> }>();
  const peers = all(json, 'google_compute_router_peer');
  for (const routerInterface of all(json, 'google_compute_router_interface')) {
    const tunnel = referenced(json, routerInterface.vpn_tunnel);
    const bgp = peers.find((p) => referenced(json, p.interface) === routerInterface);
    if (tunnel)
      addTunnel(tunnels, tag(tunnel, 'labels'), slash30(String(routerInterface.ip_range)), bgp?.peer_asn);
  }
  // The control plane sits in Google's peered VPC: it answers peers only if the peering exports learned routes.
  const exported = all(json, 'google_compute_network_peering_routes_config').some(
    (p) => p.export_custom_routes,
  );
  const eastWestPort = CROSS_CLOUD_NETWORK.eastWestPorts[0];
  return {
    stack,
    asn: router?.bgp.asn,
    advertised: (router?.bgp.advertised_ip_ranges ?? []).map((r) => r.range),
    apiServer: {
      location: exported
        ? cluster.private_cluster_config.master_ipv4_cidr_block
        : '(not exported to the VPN)',
      admits: (cluster.master_authorized_networks_config?.cidr_blocks ?? []).map((b) => b.cidr_block),
    },
    eastWest: {
      location: String(nodes.ip_cidr_range),
      admits: all(json, 'google_compute_firewall')
        .filter((f) => (f.direction ?? 'INGRESS') === 'INGRESS')
        .filter((f) =>
          ((f.allow ?? []) as { protocol: string; ports?: string[] }[]).some(
            (a) => a.protocol === 'tcp' && (a.ports ?? []).includes(String(eastWestPort)),
          ),
        )
        .flatMap((f) => (f.source_ranges ?? []) as string[]),
    },
    tunnels,
    dnsForwards: new Map(
      all(json, 'google_dns_managed_zone')
        .filter((z) => z.forwarding_config)
        .map((z) => [
          String(z.dns_name).replace(/\.$/, ''),
          String(
            (z.forwarding_config as { target_name_servers: { ipv4_address: string }[] })
              .target_name_servers[0]?.ipv4_address,
          ),
        ]),
    ),
  };
}

function azureView(stack: string, json: Json, cluster: ClusterSpec): NetworkView {
  const vnet = all(json, 'azurerm_virtual_network').find((v) => v.name === cluster.name);
  const gateway = all(json, 'azurerm_virtual_network_gateway')[0] as
    | { enable_bgp?: boolean; bgp_settings?: { asn: number } }
    | undefined;
  const tunnels = new Map<string, { insideCidrs: Set<string>; peerAsns: Set<number> }>();
  for (const connection of all(json, 'azurerm_virtual_network_gateway_connection')) {
    const local = referenced(json, connection.local_network_gateway_id) as
      | { bgp_settings?: { asn: number; bgp_peering_address: string } }
      | undefined;
    if (connection.enable_bgp && local?.bgp_settings) {
      addTunnel(
        tunnels,
        tag(connection, 'tags'),
        slash30(local.bgp_settings.bgp_peering_address),
        local.bgp_settings.asn,
      );
    }
  }
  const kubernetes = all(json, 'azurerm_kubernetes_cluster')[0];
  const nodes = all(json, 'azurerm_subnet').find((s) => s.name === 'nodes');
  const inbound = all(json, 'azurerm_private_dns_resolver_inbound_endpoint')[0] as
    | { ip_configurations: { private_ip_address: string } }
    | undefined;
  const location = String((nodes?.address_prefixes as string[] | undefined)?.[0]);
  return {
    stack,
    asn: gateway?.enable_bgp ? gateway.bgp_settings?.asn : undefined,
    advertised: gateway ? ((vnet?.address_space as string[] | undefined) ?? []) : [],
    // AKS's network security group admits the VirtualNetwork tag, which includes BGP-learned prefixes.
    apiServer: { location, admits: 'any-routed' },
    eastWest: { location, admits: 'any-routed' },
    tunnels,
    dnsForwards: new Map(),
    // A private AKS API server's name lives in the region's privatelink zone, linked to this VNet only.
    ...(kubernetes?.private_cluster_enabled
      ? {
          privateZone: {
            domain: `privatelink.${cluster.region}.azmk8s.io`,
            resolver: inbound?.ip_configurations.private_ip_address ?? '(no inbound resolver)',
          },
        }
      : {}),
  };
}

/** Reads a stack's part of the cross-cloud network from its Terraform JSON. */
export function networkView(cluster: ClusterSpec, json: Json): NetworkView {
  switch (cluster.cloud) {
    case 'aws':
      return awsView(cluster.name, json);
    case 'gcp':
      return gcpView(cluster.name, json);
    case 'azure':
      return azureView(cluster.name, json, cluster);
  }
}

const covers = (ranges: readonly string[], target: string) =>
  ranges.some((range) => {
    try {
      return contains(range, target);
    } catch {
      return false;
    }
  });

/**
 * Every way a cluster's istiod could not reach a peer's API server, or its
 * sidecars a peer's east-west gateway, in the rendered stacks of the fleet.
 * `jsonOf` gives a stack's Terraform JSON by cluster name.
 */
export function reachabilityProblems(fleet: Fleet, jsonOf: (cluster: ClusterSpec) => Json): string[] {
  const views = new Map(fleet.clusters.map((c) => [c.name, networkView(c, jsonOf(c))]));
  const problems: string[] = [];
  for (const client of fleet.clusters) {
    for (const server of fleet.clusters) {
      if (client === server) continue;
      const from = views.get(client.name) as NetworkView;
      const to = views.get(server.name) as NetworkView;
      const where = `${client.name} -> ${server.name}`;
      const out = from.tunnels.get(server.name);
      const back = to.tunnels.get(client.name);
      if (!out || !back) {
        problems.push(
          `${where}: ${!out ? client.name : server.name} has no VPN tunnel to ${!out ? server.name : client.name}`,
        );
        continue;
      }
      const outCidrs = [...out.insideCidrs].sort();
      const backCidrs = [...back.insideCidrs].sort();
      if (outCidrs.join() !== backCidrs.join()) {
        problems.push(
          `${where}: the ends disagree on the tunnels' inside ranges (${client.name}: ${outCidrs.join(', ')}; ` +
            `${server.name}: ${backCidrs.join(', ')})`,
        );
      }
      if (to.asn === undefined || ![...out.peerAsns].every((asn) => asn === to.asn)) {
        problems.push(
          `${where}: ${client.name} expects BGP ASN ${[...out.peerAsns].join(', ')} of ${server.name}, which speaks ${to.asn ?? 'no BGP'}`,
        );
      }
      const sources = [client.network.vpcCidr, client.network.podCidr];
      for (const [what, target, port] of [
        ['API server', to.apiServer, CROSS_CLOUD_NETWORK.apiServerPort],
        ['east-west gateway', to.eastWest, CROSS_CLOUD_NETWORK.eastWestPorts[0]],
      ] as const) {
        if (!covers(to.advertised, target.location)) {
          problems.push(
            `${where}: ${server.name}'s ${what} (${target.location}) is in no range it advertises over BGP (${to.advertised.join(', ') || 'none'})`,
          );
        }
        // Return traffic: the server must learn the client's ranges, i.e. the client must advertise them.
        for (const source of [client.network.vpcCidr]) {
          if (!covers(from.advertised, source)) {
            problems.push(
              `${where}: ${client.name} does not advertise ${source}, so ${server.name}'s ${what} cannot answer`,
            );
          }
        }
        const admits = target.admits;
        if (admits !== 'any-routed') {
          const refused = sources.filter((s) => !covers(admits, s));
          if (refused.length > 0) {
            problems.push(
              `${where}: ${server.name}'s ${what} does not admit ${refused.join(', ')} on port ${port} ` +
                `(it admits ${admits.join(', ') || 'nothing'})`,
            );
          }
        }
      }
      if (to.privateZone) {
        const target = from.dnsForwards.get(to.privateZone.domain);
        if (target !== to.privateZone.resolver) {
          problems.push(
            `${where}: ${server.name}'s API server name is in the private zone ${to.privateZone.domain}; ${client.name} ` +
              (target
                ? `forwards it to ${target}, not to ${server.name}'s resolver ${to.privateZone.resolver}`
                : 'does not forward it'),
          );
        }
      }
    }
  }
  // Dedupe: the return-route check repeats per target.
  return [...new Set(problems)];
}
