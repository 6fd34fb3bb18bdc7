import * as ipaddr from 'ipaddr.js';

/**
 * The `index`-th block of prefix length `prefix` inside `parent`, e.g.
 * `subnet('10.10.0.0/16', 19, 2)` is `10.10.64.0/19`. Throws when the block
 * does not fit, so a layout that outgrows a small VPC fails at synthesis.
 */
export function subnet(parent: string, prefix: number, index: number): string {
  const [address, parentPrefix] = ipaddr.IPv4.parseCIDR(parent);
  if (prefix > 32) throw new Error(`${parent} is too small for this layout: it would need /${prefix} blocks`);
  const available = prefix < parentPrefix ? 0 : 2 ** (prefix - parentPrefix);
  if (!Number.isInteger(index) || index < 0 || index >= available) {
    throw new Error(`${parent} has no /${prefix} block number ${index} (it holds ${available})`);
  }
  const base = (toNumber(address) & mask(parentPrefix)) >>> 0;
  return `${fromNumber(base + index * 2 ** (32 - prefix))}/${prefix}`;
}

/** The `offset`-th address of a range, e.g. the DNS service address of a service CIDR. */
export function hostAddress(cidr: string, offset: number): string {
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  if (offset < 0 || offset >= 2 ** (32 - prefix)) throw new Error(`${cidr} has no address number ${offset}`);
  return fromNumber(((toNumber(address) & mask(prefix)) >>> 0) + offset);
}

/** Whether two ranges share any address. */
export function overlaps(a: string, b: string): boolean {
  const [x, y] = [ipaddr.IPv4.parseCIDR(a), ipaddr.IPv4.parseCIDR(b)];
  return x[0].match(y) || y[0].match(x);
}

/** Whether every address of `inner` lies inside `outer`. */
export function contains(outer: string, inner: string): boolean {
  const [address, prefix] = ipaddr.IPv4.parseCIDR(inner);
  const range = ipaddr.IPv4.parseCIDR(outer);
  return prefix >= range[1] && address.match(range);
}

/** Size of the network a cluster keeps in its cloud's paired region: one /24 is enough for a delegated subnet. */
export const PAIRED_REGION_PREFIX = 24;

/**
 * The range of a cluster's network in its cloud's paired region (Azure: the
 * VNet of the database's geo-replica), derived from its VPC range: the same
 * address with the top bit of 10/8's second octet flipped (10.30.0.0/16 gives
 * 10.158.0.0/24). The flip is one-to-one, so clusters with disjoint VPC ranges
 * get disjoint paired ranges; whether one meets another range of the fleet is
 * checked where the fleet is planned (infra/plan.ts), since only the fleet knows.
 */
export function pairedRegionRange(vpcCidr: string): string {
  const [address, prefix] = ipaddr.IPv4.parseCIDR(vpcCidr);
  if (address.octets[0] !== 10 || prefix < 9 || prefix > PAIRED_REGION_PREFIX) {
    throw new Error(
      `${vpcCidr}: a paired-region range is derived from a VPC range inside 10.0.0.0/8 between /9 and /${PAIRED_REGION_PREFIX}`,
    );
  }
  const flipped = ((toNumber(address) & mask(prefix)) ^ (1 << 23)) >>> 0;
  return `${fromNumber(flipped)}/${PAIRED_REGION_PREFIX}`;
}

/** Prefix length of a CIDR. */
export function prefixLength(cidr: string): number {
  return ipaddr.IPv4.parseCIDR(cidr)[1];
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function toNumber(address: ipaddr.IPv4): number {
  return address.octets.reduce((value, octet) => value * 256 + octet, 0);
}

function fromNumber(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
