import { CROSS_CLOUD_NETWORK } from '../defaults';
import { addTunnel, all, type Json, type NetworkView, referenced, slash30, tag } from '../network-view';

/** What the stack builds of the cross-cloud network. */
export function gcpNetworkView(stack: string, json: Json): NetworkView {
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
