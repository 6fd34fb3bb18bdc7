import * as ipaddr from 'ipaddr.js';

/**
 * What one stack builds of the cross-cloud network, read from its rendered Terraform JSON, and the
 * helpers each cloud's reader (infra/<cloud>/network-view.ts) shares; infra/reachability.ts checks
 * the views of every pair of clusters.
 */

export type Resources = Record<string, Record<string, Record<string, unknown>>>;
export type Json = Record<string, unknown>;

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

export function all(json: Json, type: string): Record<string, unknown>[] {
  return Object.values((json.resource as Resources | undefined)?.[type] ?? {});
}

export function referenced(json: Json, value: unknown): Record<string, unknown> | undefined {
  const match = typeof value === 'string' ? REFERENCE.exec(value) : null;
  return match ? (json.resource as Resources)[match[1]]?.[match[2]] : undefined;
}

export function slash30(address: string): string {
  const [a, b, c, d] = ipaddr.IPv4.parse(address.split('/')[0]).octets;
  return `${a}.${b}.${c}.${d & 0xfc}/30`;
}

export function addTunnel(
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

export const tag = (r: Record<string, unknown>, field: 'tags' | 'labels') =>
  (r[field] as Record<string, string> | undefined)?.vpn_peer;
