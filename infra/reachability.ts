import type { ClusterSpec, Fleet } from '../clusters/types';
import { contains } from './cidr';
import { CROSS_CLOUD_NETWORK } from './defaults';
import type { Json, NetworkView } from './network-view';
import { infraProfileOf } from './profiles';

export type { NetworkView } from './network-view';

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

/** Reads a stack's part of the cross-cloud network from its Terraform JSON, as its cloud reads it. */
export function networkView(cluster: ClusterSpec, json: Json): NetworkView {
  return infraProfileOf(cluster).networkView(cluster, json);
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
