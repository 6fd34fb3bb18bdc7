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
