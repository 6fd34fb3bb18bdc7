import * as ipaddr from 'ipaddr.js';
import { loadClusterOutputs } from '../../clusters/outputs';
import type { AwsClusterSpec, AzureClusterSpec, ClusterSpec, GcpClusterSpec } from '../../clusters/types';
import { crossCloudPlan, SHARED_SECRET_PATTERN } from '../../infra/cross-cloud';
import { outputsFromTerraform, placeholderOutputs } from '../../infra/outputs';
import { planFor } from '../../infra/plan';
import { clusterOf, fleet, only, resources, synthesized, type TerraformJson } from './helpers';

const aws = clusterOf<AwsClusterSpec>('aws');
const gcp = clusterOf<GcpClusterSpec>('gcp');
const azure = clusterOf<AzureClusterSpec>('azure');
const stacks = new Map(fleet.clusters.map((c) => [c.name, synthesized(c).json] as const));
const json = (cluster: ClusterSpec) => stacks.get(cluster.name) as TerraformJson;
const planOf = (cluster: ClusterSpec) => crossCloudPlan(fleet, cluster, loadClusterOutputs);
const linkOf = (from: ClusterSpec, to: ClusterSpec) => {
  const link = planOf(from).links.find((l) => l.peer.name === to.name);
  if (!link) throw new Error(`no link ${from.name} -> ${to.name}`);
  return link;
};
const inRange = (address: string, range: string) =>
  ipaddr.IPv4.parse(address.split('/')[0]).match(ipaddr.IPv4.parseCIDR(range));
const ref = (name: string) => `\${var.${name}}`;

describe('the cross-cloud network plan', () => {
  it('links every pair of clusters once, both ends agreeing on id, ASNs, tunnels and inside addresses', () => {
    for (const a of fleet.clusters) {
      const plan = planOf(a);
      expect(plan.links.map((l) => l.peer.name).sort()).toEqual(
        fleet.clusters
          .filter((c) => c !== a)
          .map((c) => c.name)
          .sort(),
      );
      for (const link of plan.links) {
        const back = linkOf(link.peer, a);
        expect(back.id).toBe(link.id);
        expect(back.sharedSecretVariable).toBe(link.sharedSecretVariable);
        expect([back.localAsn, back.peerAsn]).toEqual([link.peerAsn, link.localAsn]);
        expect(back.tunnels.map((t) => [t.insideCidr, t.peerInsideAddress, t.peerInterface])).toEqual(
          link.tunnels.map((t) => [t.insideCidr, t.localInsideAddress, t.localInterface]),
        );
      }
    }
  });

  it('gives each cluster its own private ASN and every tunnel its own /30 inside Azure APIPA range', () => {
    const asns = fleet.clusters.map((c) => planOf(c).asn);
    expect(new Set(asns).size).toBe(asns.length);
    for (const asn of asns)
      expect(asn >= 64512 && asn <= 65534 && ![65515, 65517, 65518, 65519, 65520].includes(asn)).toBe(true);
    const cidrs = fleet.clusters.flatMap((c) =>
      planOf(c).links.flatMap((l) => l.tunnels.map((t) => t.insideCidr)),
    );
    expect(new Set(cidrs).size).toBe(cidrs.length / 2); // each /30 seen from both ends
    for (const cidr of cidrs) {
      expect(cidr).toMatch(/\/30$/);
      expect(inRange(cidr, '169.254.21.0/23')).toBe(true);
    }
  });

  it('has four tunnels where AWS is an end (AWS taking the first address), two between GCP and Azure', () => {
    const awsGcp = linkOf(aws, gcp);
    expect(awsGcp.tunnels.map((t) => [t.localInterface, t.peerInterface])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 1],
    ]);
    for (const t of awsGcp.tunnels)
      expect(t.localInsideAddress.split('.')[3]).toBe(
        String(Number(t.insideCidr.split('.')[3].split('/')[0]) + 1),
      );
    expect(linkOf(aws, azure).tunnels).toHaveLength(4);
    expect(linkOf(gcp, azure).tunnels.map((t) => [t.localInterface, t.peerInterface])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('takes the peer endpoints from the outputs files only, and refuses a count the link cannot use', () => {
    const none = crossCloudPlan(fleet, aws, () => ({ workloadIdentityClientIds: {} }));
    expect(none.links.every((l) => l.peerEndpoints === undefined)).toBe(true);
    expect(() =>
      crossCloudPlan(fleet, aws, (c) => ({
        workloadIdentityClientIds: {},
        vpnEndpoints: c.name === gcp.name ? { [aws.name]: ['203.0.113.1'] } : {},
      })),
    ).toThrow(
      `clusters/${gcp.name}.outputs.json: vpnEndpoints.${aws.name} has 1 addresses, the link needs 2; ` +
        `record ${gcp.name}'s outputs again (npm run infra:outputs -- --stack ${gcp.name})`,
    );
  });

  it('refuses two clusters on one cloud, naming them', () => {
    const twin = { ...gcp, name: 'gke-staging', network: { ...gcp.network, vpcCidr: '10.40.0.0/16' } };
    const twoGcp = { ...fleet, clusters: [...fleet.clusters, twin] };
    expect(() => crossCloudPlan(twoGcp, twin, loadClusterOutputs)).toThrow(
      'gke-staging and gke-prod are both on gcp: the cross-cloud network (infra/cross-cloud.ts) links clusters ' +
        'of different clouds only; peering two clusters of one cloud is not built',
    );
  });

  it('puts the connectivity subnets inside the VPC range, clear of every planned subnet', () => {
    for (const cluster of fleet.clusters) {
      const { crossCloud, network } = planFor(fleet, cluster);
      const planned = [
        ...network.zones.flatMap((z) => [z.privateCidr, z.publicCidr]),
        network.managedServicesCidr,
        network.controlPlaneCidr,
      ];
      for (const cidr of [
        crossCloud.gatewaySubnetCidr,
        crossCloud.bastionSubnetCidr,
        crossCloud.dnsResolverSubnetCidr,
      ]) {
        expect(inRange(cidr, network.cidr)).toBe(true);
        for (const other of planned) {
          const [x, y] = [ipaddr.IPv4.parseCIDR(cidr), ipaddr.IPv4.parseCIDR(other)];
          expect(x[0].match(y) || y[0].match(x)).toBe(false);
        }
      }
    }
  });
});

describe('pre-shared keys', () => {
  it('are sensitive variables without default, named alike in both stacks of a link', () => {
    for (const a of fleet.clusters) {
      const variables = (json(a) as unknown as { variable: Record<string, Record<string, unknown>> })
        .variable;
      for (const link of planOf(a).links) {
        const variable = variables[link.sharedSecretVariable];
        expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
        expect(variable).not.toHaveProperty('default');
        expect(JSON.stringify(variable.validation)).toContain(SHARED_SECRET_PATTERN.replace(/\\/g, '\\\\'));
      }
    }
  });

  it('the pattern accepts a generated key and refuses what AWS refuses', () => {
    const pattern = new RegExp(SHARED_SECRET_PATTERN);
    expect(pattern.test(`k${'0a'.repeat(31)}`)).toBe(true);
    expect(pattern.test(`0${'a'.repeat(40)}`)).toBe(false);
    expect(pattern.test('short')).toBe(false);
    expect(pattern.test(`k${'a-'.repeat(20)}`)).toBe(false);
  });
});

describe(`AWS end (${aws.name})`, () => {
  const stack = json(aws);
  const plan = planOf(aws);

  it('attaches a virtual private gateway speaking the cluster ASN and propagates learned routes to every private route table', () => {
    expect(only(stack, 'aws_vpn_gateway')).toMatchObject({ amazon_side_asn: String(plan.asn) });
    expect(resources(stack, 'aws_vpn_gateway_route_propagation')).toHaveLength(aws.zones.length);
  });

  it('has two connections per peer with the planned inside ranges, the peer gateway addresses and the link key', () => {
    for (const link of plan.links) {
      const connections = resources(stack, 'aws_vpn_connection').filter(
        (c) => (c.tags as Record<string, string>).vpn_peer === link.peer.name,
      );
      expect(connections.map((c) => [c.tunnel1_inside_cidr, c.tunnel2_inside_cidr])).toEqual([
        [link.tunnels[0].insideCidr, link.tunnels[1].insideCidr],
        [link.tunnels[2].insideCidr, link.tunnels[3].insideCidr],
      ]);
      for (const c of connections) {
        expect(c).toMatchObject({
          type: 'ipsec.1',
          static_routes_only: false,
          tunnel1_preshared_key: ref(link.sharedSecretVariable),
          tunnel2_preshared_key: ref(link.sharedSecretVariable),
        });
      }
      const customers = resources(stack, 'aws_customer_gateway').filter(
        (c) => (c.tags as Record<string, string>).vpn_peer === link.peer.name,
      );
      expect(customers.map((c) => [c.ip_address, c.bgp_asn])).toEqual(
        (link.peerEndpoints ?? []).map((ip) => [ip, String(link.peerAsn)]),
      );
    }
  });

  it('opens the EKS cluster security group on 443 to every peer range and to the bastion subnet only', () => {
    const rules = resources(stack, 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => r.cidr_ipv4).sort()).toEqual([...plan.peerRanges, plan.bastionSubnetCidr].sort());
    for (const r of rules) {
      expect(r).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: 'tcp' });
      expect(r.security_group_id).toMatch(/vpc_config\[0\]\.cluster_security_group_id/);
    }
  });

  it('forwards the AKS private API zone to the Azure resolver', () => {
    const azurePlan = planOf(azure);
    expect(only(stack, 'aws_route53_resolver_rule')).toMatchObject({
      domain_name: azurePlan.privateDns?.domain,
      rule_type: 'FORWARD',
      target_ip: [{ ip: azurePlan.privateDns?.resolverAddress, port: 53 }],
    });
    expect(only(stack, 'aws_route53_resolver_endpoint')).toMatchObject({ direction: 'OUTBOUND' });
  });

  it('runs an SSM-only bastion: no public address, no inbound rule, IMDSv2, encrypted disk', () => {
    expect(only(stack, 'aws_instance')).toMatchObject({
      associate_public_ip_address: false,
      metadata_options: { http_tokens: 'required' },
      root_block_device: { encrypted: true },
    });
    const bastionGroup = resources(stack, 'aws_security_group').find((g) =>
      String(g.name).endsWith('-bastion'),
    );
    expect(bastionGroup).toBeDefined();
    expect(bastionGroup).not.toHaveProperty('ingress');
    expect(resources(stack, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain(
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
    expect(resources(stack, 'aws_subnet').map((s) => s.cidr_block)).toContain(plan.bastionSubnetCidr);
  });

  it('exports the four tunnel addresses per peer, in endpoint order', () => {
    const output = stack.output.vpn_endpoints.value as Record<string, string[]>;
    expect(Object.keys(output).sort()).toEqual([azure.name, gcp.name].sort());
    for (const addresses of Object.values(output)) {
      expect(addresses).toEqual([
        expect.stringMatching(/aws_vpn_connection\..*-connection-0.*\.tunnel1_address/),
        expect.stringMatching(/tunnel2_address/),
        expect.stringMatching(/aws_vpn_connection\..*-connection-1.*\.tunnel1_address/),
        expect.stringMatching(/tunnel2_address/),
      ]);
    }
  });
});

describe(`GCP end (${gcp.name})`, () => {
  const stack = json(gcp);
  const plan = planOf(gcp);
  const { network } = planFor(fleet, gcp);

  it('advertises the VPC range (holding the control plane /28), the pod range and Cloud DNS forwarding source over BGP', () => {
    const router = resources(stack, 'google_compute_router').find((r) => r.bgp);
    const bgp = router?.bgp as {
      asn: number;
      advertise_mode: string;
      advertised_ip_ranges: { range: string }[];
    };
    expect(bgp.asn).toBe(plan.asn);
    expect(bgp.advertise_mode).toBe('CUSTOM');
    const ranges = bgp.advertised_ip_ranges.map((r) => r.range);
    expect(ranges).toEqual([gcp.network.vpcCidr, gcp.network.podCidr, '35.199.192.0/19']);
    expect(ranges.some((r) => inRange(network.controlPlaneCidr, r))).toBe(true);
  });

  it('exports the learned routes into the control plane peering', () => {
    expect(only(stack, 'google_compute_network_peering_routes_config')).toMatchObject({
      export_custom_routes: true,
      peering: expect.stringMatching(/private_cluster_config\[0\]\.peering_name/),
    });
  });

  it('authorizes every peer range on the API server and the east-west ports on the nodes', () => {
    const cluster = only(stack, 'google_container_cluster') as {
      master_authorized_networks_config: { cidr_blocks: { cidr_block: string }[] };
    };
    const authorized = cluster.master_authorized_networks_config.cidr_blocks.map((b) => b.cidr_block);
    expect(authorized).toEqual(expect.arrayContaining([...plan.peerRanges]));
    expect(only(stack, 'google_compute_firewall')).toMatchObject({
      direction: 'INGRESS',
      source_ranges: [...plan.peerRanges],
      allow: [{ protocol: 'tcp', ports: ['15443', '15021'] }],
    });
  });

  it('builds a tunnel and BGP session per planned tunnel, four to AWS and two to Azure', () => {
    for (const link of plan.links) {
      const tunnels = resources(stack, 'google_compute_vpn_tunnel').filter(
        (t) => (t.labels as Record<string, string>).vpn_peer === link.peer.name,
      );
      expect(tunnels.map((t) => [t.vpn_gateway_interface, t.peer_external_gateway_interface])).toEqual(
        link.tunnels.map((t) => [t.localInterface, t.peerInterface]),
      );
      for (const t of tunnels)
        expect(t).toMatchObject({ shared_secret: ref(link.sharedSecretVariable), ike_version: 2 });
      const peers = resources(stack, 'google_compute_router_peer').filter((p) =>
        String(p.name).startsWith(`${gcp.name}-${link.peer.name}-`),
      );
      expect(peers.map((p) => [p.peer_ip_address, p.peer_asn])).toEqual(
        link.tunnels.map((t) => [t.peerInsideAddress, link.peerAsn]),
      );
      const interfaces = resources(stack, 'google_compute_router_interface').filter((i) =>
        String(i.name).startsWith(`${gcp.name}-${link.peer.name}-`),
      );
      expect(interfaces.map((i) => i.ip_range)).toEqual(
        link.tunnels.map((t) => `${t.localInsideAddress}/30`),
      );
    }
    const externals = resources(stack, 'google_compute_external_vpn_gateway');
    expect(externals.map((e) => e.redundancy_type).sort()).toEqual([
      'FOUR_IPS_REDUNDANCY',
      'TWO_IPS_REDUNDANCY',
    ]);
  });

  it('forwards the AKS private API zone to the Azure resolver from this VPC', () => {
    const azurePlan = planOf(azure);
    expect(only(stack, 'google_dns_managed_zone')).toMatchObject({
      dns_name: `${azurePlan.privateDns?.domain}.`,
      visibility: 'private',
      forwarding_config: {
        target_name_servers: [
          { ipv4_address: azurePlan.privateDns?.resolverAddress, forwarding_path: 'private' },
        ],
      },
    });
  });
});

describe(`Azure end (${azure.name})`, () => {
  const stack = json(azure);
  const plan = planOf(azure);

  it('runs an active-active zone-redundant gateway in GatewaySubnet with APIPA BGP addresses per instance', () => {
    const subnet = resources(stack, 'azurerm_subnet').find((s) => s.name === 'GatewaySubnet');
    expect(subnet?.address_prefixes).toEqual([plan.gatewaySubnetCidr]);
    const gateway = only(stack, 'azurerm_virtual_network_gateway') as {
      bgp_settings: {
        asn: number;
        peering_addresses: { ip_configuration_name: string; apipa_addresses: string[] }[];
      };
    } & Record<string, unknown>;
    expect(gateway).toMatchObject({
      type: 'Vpn',
      vpn_type: 'RouteBased',
      active_active: true,
      enable_bgp: true,
      sku: 'VpnGw1AZ',
    });
    expect(gateway.bgp_settings.asn).toBe(plan.asn);
    const all = plan.links.flatMap((l) => l.tunnels);
    gateway.bgp_settings.peering_addresses.forEach((p, i) => {
      expect(p.apipa_addresses).toEqual(
        all.filter((t) => t.localInterface === i).map((t) => t.localInsideAddress),
      );
      for (const a of p.apipa_addresses) expect(inRange(a, '169.254.21.0/23')).toBe(true);
    });
  });

  it('has a local gateway and IKEv2 BGP connection per tunnel, at the peer address and BGP speaker the plan names', () => {
    for (const link of plan.links) {
      const locals = resources(stack, 'azurerm_local_network_gateway').filter((g) =>
        String(g.name).startsWith(`${azure.name}-${link.peer.name}-`),
      );
      expect(
        locals.map((g) => [
          g.gateway_address,
          (g.bgp_settings as Record<string, unknown>).bgp_peering_address,
        ]),
      ).toEqual(link.tunnels.map((t) => [link.peerEndpoints?.[t.peerInterface], t.peerInsideAddress]));
      const connections = resources(stack, 'azurerm_virtual_network_gateway_connection').filter(
        (c) => (c.tags as Record<string, string>).vpn_peer === link.peer.name,
      );
      expect(connections).toHaveLength(link.tunnels.length);
      connections.forEach((c, i) => {
        const tunnel = link.tunnels[i];
        const custom = c.custom_bgp_addresses as { primary: string; secondary: string };
        expect([custom.primary, custom.secondary][tunnel.localInterface]).toBe(tunnel.localInsideAddress);
        expect(c).toMatchObject({
          type: 'IPsec',
          enable_bgp: true,
          connection_protocol: 'IKEv2',
          shared_key: ref(link.sharedSecretVariable),
        });
      });
    }
  });

  it('answers the peers for the AKS private zone at the resolver address they forward to', () => {
    expect(only(stack, 'azurerm_private_dns_resolver_inbound_endpoint')).toMatchObject({
      ip_configurations: {
        private_ip_address: plan.privateDns?.resolverAddress,
        private_ip_allocation_method: 'Static',
      },
    });
    const subnet = resources(stack, 'azurerm_subnet').find((s) => s.name === 'dns-resolver-inbound');
    expect(subnet?.address_prefixes).toEqual([plan.dnsResolverSubnetCidr]);
    expect(inRange(plan.privateDns?.resolverAddress as string, plan.dnsResolverSubnetCidr)).toBe(true);
  });
});

describe('VPN endpoints in the outputs files', () => {
  it('are read from terraform output -json and written as placeholders from the declared outputs', () => {
    const raw = {
      kubernetes_api_endpoint: { value: 'https://api.example.test' },
      oidc_issuer_url: { value: 'https://oidc.example.test' },
      database_host: { value: 'db' },
      database_port: { value: 5432 },
      cache_host: { value: 'cache' },
      cache_port: { value: 6379 },
      vpn_endpoints: { value: { 'gke-prod': ['198.51.100.1', '198.51.100.2'] } },
    };
    expect(outputsFromTerraform('aks-prod', raw).vpnEndpoints).toEqual({
      'gke-prod': ['198.51.100.1', '198.51.100.2'],
    });
    expect(() =>
      outputsFromTerraform('aks-prod', { ...raw, vpn_endpoints: { value: { 'gke-prod': ['not-an-ip'] } } }),
    ).toThrow(/vpnEndpoints\.gke-prod\.0/);
    const placeholder = placeholderOutputs('eks-prod', json(aws));
    expect(Object.keys(placeholder.vpnEndpoints ?? {}).sort()).toEqual([azure.name, gcp.name].sort());
    for (const addresses of Object.values(placeholder.vpnEndpoints ?? {})) {
      expect(addresses).toHaveLength(4);
      for (const a of addresses) expect(inRange(a, '203.0.113.0/24')).toBe(true);
    }
  });
});
