/**
 * The drill's network: one Linux network namespace per node (each cluster, and monitoring), each
 * joined by a veth link to a bridge in a hub namespace (the "WAN"). Every address is in
 * 198.18.0.0/24, part of the benchmarking range (RFC 2544) that no real network routes, and no
 * namespace has a route or a link to the machine's own network: nothing the drill starts can
 * send a packet outside the namespaces it created. Every name starts with PREFIX, so a cleanup
 * finds what a crashed earlier run left behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every namespace, /etc/netns folder and work directory of the drill starts with it. */
export const PREFIX = 'mlpdrill-';
export const WAN_SUBNET = '198.18.0.0/24';
const HUB = `${PREFIX}wan`;
const BRIDGE = 'wan';
/** The interface in each node's namespace that leads to the hub. */
const NODE_LINK = 'wan0';
const NETNS_ETC = '/etc/netns';

/** One namespace of the box and its address on the WAN. */
export interface BoxNode {
  /** The node's short name: a cluster name, or "monitoring". */
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
  /** The hub's end of the node's link; cutting the node sets it down. */
  readonly hubLink: string;
}

export class NetworkError extends Error {
  override name = 'NetworkError';
}

function ip(args: readonly string[]): string {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.error) throw new NetworkError(`ip ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new NetworkError(`ip ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/** Held by the running drill: the namespaces' names are fixed, so two drills at once would collide. */
const LOCK_FILE = `/run/${PREFIX}lock`;

/**
 * Takes the drill's lock, or says which live process holds it. A lock left by a process that no
 * longer exists (a crashed run) is taken over; the caller then removes that run's leftovers.
 */
export function takeLock(): { ok: true; release: () => void } | { ok: false; holder: number } {
  for (;;) {
    try {
      writeFileSync(LOCK_FILE, String(process.pid), { flag: 'wx' });
      return { ok: true, release: () => rmSync(LOCK_FILE, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(LOCK_FILE, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return { ok: false, holder };
    rmSync(LOCK_FILE, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether this process may create namespaces (root with iproute2). */
export function canCreateNamespaces(): { ok: true } | { ok: false; why: string } {
  if (process.getuid?.() !== 0)
    return { ok: false, why: 'the drill needs root to create network namespaces' };
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    return { ok: false, why: 'iproute2 (`ip netns`) is not usable here' };
  return { ok: true };
}

/** The drill's namespaces that exist now (this run's or a crashed one's). */
export function drillNamespaces(): string[] {
  return ip(['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((name) => name.startsWith(PREFIX));
}

/**
 * Removes every trace of a drill: kills the processes inside its namespaces (SIGKILL: they are
 * all the drill's own, and a cleanup must not wait on a hung one), deletes the namespaces (their
 * links go with them) and the /etc/netns folders. Safe to call twice.
 */
export function removeAll(): string[] {
  const removed: string[] = [];
  for (const namespace of drillNamespaces()) {
    const pids = spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' }).stdout ?? '';
    for (const pid of pids.split('\n').filter((p) => /^[0-9]+$/.test(p))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    spawnSync('ip', ['netns', 'delete', namespace]);
    removed.push(namespace);
  }
  if (existsSync(NETNS_ETC)) {
    for (const entry of readdirSync(NETNS_ETC)) {
      if (entry.startsWith(PREFIX)) rmSync(join(NETNS_ETC, entry), { recursive: true, force: true });
    }
  }
  return removed;
}

/**
 * Creates the hub and one namespace per node name, in order (node i gets 198.18.0.(i+1)).
 * `hosts` are extra /etc/hosts lines per node (name → address), which `ip netns exec` mounts
 * over /etc/hosts for processes run in that namespace, so a rendered in-cluster DNS name
 * (the Pushgateway's) resolves to the in-box address without rewriting the command.
 */
export function createNetwork(names: readonly string[]): BoxNode[] {
  ip(['netns', 'add', HUB]);
  // The hub only bridges: no address, no route (checked like the nodes).
  ip(['-n', HUB, 'link', 'set', 'lo', 'up']);
  ip(['-n', HUB, 'link', 'add', BRIDGE, 'type', 'bridge']);
  ip(['-n', HUB, 'link', 'set', BRIDGE, 'up']);
  const hubOut = waysOut(HUB);
  if (hubOut.length > 0) throw new NetworkError(`${HUB} has a way out of the box: ${hubOut.join('; ')}`);
  return names.map((name, i) => {
    const namespace = `${PREFIX}${name}`;
    const hubLink = `n${i}`;
    const address = `198.18.0.${i + 1}`;
    ip(['netns', 'add', namespace]);
    ip(['-n', namespace, 'link', 'set', 'lo', 'up']);
    // Both ends are created inside namespaces: the link never exists in the machine's own.
    ip(['-n', HUB, 'link', 'add', hubLink, 'type', 'veth', 'peer', 'name', NODE_LINK, 'netns', namespace]);
    ip(['-n', HUB, 'link', 'set', hubLink, 'master', BRIDGE]);
    ip(['-n', HUB, 'link', 'set', hubLink, 'up']);
    ip(['-n', namespace, 'addr', 'add', `${address}/24`, 'dev', NODE_LINK]);
    ip(['-n', namespace, 'link', 'set', NODE_LINK, 'up']);
    const out = waysOut(namespace);
    if (out.length > 0) throw new NetworkError(`${namespace} has a way out of the box: ${out.join('; ')}`);
    return { name, namespace, address, hubLink };
  });
}

/** Writes /etc/netns/<namespace>/hosts: localhost plus the given names. */
export function writeHosts(node: BoxNode, entries: ReadonlyArray<readonly [string, string]>): void {
  const dir = join(NETNS_ETC, node.namespace);
  mkdirSync(dir, { recursive: true });
  const lines = ['127.0.0.1 localhost', ...entries.map(([host, address]) => `${address} ${host}`)];
  writeFileSync(join(dir, 'hosts'), `${lines.join('\n')}\n`);
}

/** Cuts a node off the WAN: its hub link goes down, as if its cloud's interconnect failed. */
export function cut(node: BoxNode): void {
  ip(['-n', HUB, 'link', 'set', node.hubLink, 'down']);
}

export function restore(node: BoxNode): void {
  ip(['-n', HUB, 'link', 'set', node.hubLink, 'up']);
}

/** The command line that runs `argv` inside the node's namespace. */
export function inNamespace(node: BoxNode, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', node.namespace, ...argv];
}

/**
 * What in a node's namespace could reach beyond the box: an IPv4 address outside the WAN subnet
 * and loopback, a route other than the WAN subnet's own, any global IPv6 address. Empty for a
 * namespace built by createNetwork; checked after building, so a change that adds a way out fails
 * the drill instead of leaking traffic.
 */
export function waysOut(namespace: string): string[] {
  const run = (args: string[]) => execFileSync('ip', ['-n', namespace, ...args], { encoding: 'utf8' });
  const found: string[] = [];
  for (const line of run(['-o', '-4', 'addr', 'show']).split('\n')) {
    const address = /inet ([0-9.]+)\//.exec(line)?.[1];
    if (address && address !== '127.0.0.1' && !address.startsWith('198.18.0.'))
      found.push(`address ${address}`);
  }
  for (const line of run(['-4', 'route', 'show']).split('\n').filter(Boolean)) {
    if (!line.startsWith(`${WAN_SUBNET} `)) found.push(`route ${line.trim()}`);
  }
  for (const line of run(['-o', '-6', 'addr', 'show', 'scope', 'global']).split('\n').filter(Boolean)) {
    found.push(`IPv6 ${line.trim()}`);
  }
  return found;
}
