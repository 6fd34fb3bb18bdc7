import type { AzureClusterSpec } from '../../clusters/types';
import { addTunnel, all, type Json, type NetworkView, referenced, slash30, tag } from '../network-view';

/** What the stack builds of the cross-cloud network. */
export function azureNetworkView(stack: string, json: Json, cluster: AzureClusterSpec): NetworkView {
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
