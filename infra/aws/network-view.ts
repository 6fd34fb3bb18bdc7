import { CROSS_CLOUD_NETWORK } from '../defaults';
import { addTunnel, all, type Json, type NetworkView, referenced, tag } from '../network-view';

/** What the stack builds of the cross-cloud network. */
export function awsNetworkView(stack: string, json: Json): NetworkView {
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
