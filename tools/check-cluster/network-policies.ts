/**
 * What a cluster's NetworkPolicies allow, evaluated from the rendered objects with Kubernetes'
 * semantics: a pod selected by no policy of a direction is open in that direction; a selected pod
 * accepts exactly the union of the rules of the policies selecting it; a rule without peers or
 * ports matches all. A refused connection names the policies that decide it.
 */
import ipaddr from 'ipaddr.js';
import { selectorMatches } from '../policy/kube';
import type { ClusterObject, Json, Labels } from './tree';

/** A pod: its namespace and labels. */
export interface PodEnd {
  readonly namespace: string;
  readonly labels?: Labels;
  /** What the pods are, for reports (`Deployment ml-platform/gateway`); the labels otherwise. */
  readonly name?: string;
}

/**
 * An address outside the pod network. `cidr` is the range it may come from; the Kubernetes API
 * server's address is not in the tree, so it is `anywhere`: only a rule open to every address
 * (no peers, or 0.0.0.0/0) is sure to let it through.
 */
export interface AddressEnd {
  readonly cidr: string;
  readonly what: string;
}

/** Where traffic goes: a pod and the port it listens on (number, name or both). */
export interface Destination extends PodEnd {
  readonly port?: number;
  readonly portName?: string;
  /** TCP unless said. */
  readonly protocol?: 'TCP' | 'UDP';
}

/** The answer for one connection: allowed, or refused by the policies of one end. */
export type Verdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly side: 'egress' | 'ingress';
      /** The policies selecting that end, none of which allows the connection. */
      readonly policies: readonly string[];
    };

export const ANYWHERE: AddressEnd = { cidr: '0.0.0.0/0', what: 'anywhere' };

/** Whether the range `inner` lies wholly in the ipBlock (and in none of its exceptions). */
function blockCovers(block: Json, inner: string): boolean {
  const [innerAddress, innerBits] = ipaddr.parseCIDR(inner);
  const covers = (cidr: string) => {
    const [address, bits] = ipaddr.parseCIDR(cidr);
    return address.kind() === innerAddress.kind() && bits <= innerBits && innerAddress.match(address, bits);
  };
  const overlaps = (cidr: string) => {
    const [address, bits] = ipaddr.parseCIDR(cidr);
    if (address.kind() !== innerAddress.kind()) return false;
    return bits <= innerBits ? innerAddress.match(address, bits) : address.match(innerAddress, innerBits);
  };
  return covers(block.cidr) && !(block.except ?? []).some(overlaps);
}

export class NetworkPolicies {
  private readonly byNamespace = new Map<string, Json[]>();
  private readonly namespaceLabels = new Map<string, Labels>();

  constructor(objects: readonly ClusterObject[]) {
    for (const object of objects) {
      if (object.kind === 'NetworkPolicy' && object.namespace) {
        const list = this.byNamespace.get(object.namespace) ?? [];
        list.push(object.body);
        this.byNamespace.set(object.namespace, list);
      }
      if (object.kind === 'Namespace')
        this.namespaceLabels.set(object.name, (object.body.metadata?.labels ?? {}) as Labels);
    }
  }

  /** The labels of a namespace, with the one the API server sets on every namespace. */
  private labelsOf(namespace: string): Labels {
    return { ...(this.namespaceLabels.get(namespace) ?? {}), 'kubernetes.io/metadata.name': namespace };
  }

  private selecting(pod: PodEnd, type: 'Ingress' | 'Egress'): Json[] {
    return (this.byNamespace.get(pod.namespace) ?? [])
      .filter((p) => (p.spec?.policyTypes ?? ['Ingress']).includes(type))
      .filter((p) => selectorMatches(p.spec?.podSelector ?? {}, pod.labels ?? {}));
  }

  private peerMatches(peer: Json, other: PodEnd | AddressEnd, policyNamespace: string): boolean {
    if ('cidr' in other) return peer.ipBlock ? blockCovers(peer.ipBlock, other.cidr) : false;
    if (peer.ipBlock) return false;
    const namespaceOk = peer.namespaceSelector
      ? selectorMatches(peer.namespaceSelector, this.labelsOf(other.namespace))
      : other.namespace === policyNamespace;
    return namespaceOk && selectorMatches(peer.podSelector ?? {}, other.labels ?? {});
  }

  private static portMatches(ports: Json[] | undefined, destination: Destination): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== (destination.protocol ?? 'TCP')) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'string') return p.port === destination.portName;
      if (destination.port === undefined) return false;
      return p.endPort !== undefined
        ? destination.port >= p.port && destination.port <= p.endPort
        : destination.port === p.port;
    });
  }

  private static names(policies: Json[]): string[] {
    return policies.map((p) => `NetworkPolicy ${p.metadata?.namespace}/${p.metadata?.name}`);
  }

  /** Whether the destination pod's ingress policies let the source in on the port. */
  ingress(source: PodEnd | AddressEnd, destination: Destination): Verdict {
    const policies = this.selecting(destination, 'Ingress');
    if (policies.length === 0) return { allowed: true };
    const allowed = policies.some((p) =>
      (p.spec.ingress ?? []).some(
        (rule: Json) =>
          (!rule.from ||
            rule.from.some((peer: Json) => this.peerMatches(peer, source, destination.namespace))) &&
          NetworkPolicies.portMatches(rule.ports, destination),
      ),
    );
    return allowed ? { allowed } : { allowed, side: 'ingress', policies: NetworkPolicies.names(policies) };
  }

  /** Whether the source pod's egress policies let it reach the destination (a pod or an address) on the port. */
  egress(source: PodEnd, destination: Destination | (AddressEnd & { port?: number })): Verdict {
    const policies = this.selecting(source, 'Egress');
    if (policies.length === 0) return { allowed: true };
    const allowed = policies.some((p) =>
      (p.spec.egress ?? []).some(
        (rule: Json) =>
          (!rule.to || rule.to.some((peer: Json) => this.peerMatches(peer, destination, source.namespace))) &&
          NetworkPolicies.portMatches(rule.ports, destination as Destination),
      ),
    );
    return allowed ? { allowed } : { allowed, side: 'egress', policies: NetworkPolicies.names(policies) };
  }

  /** A connection at both ends: the source's egress, then the destination's ingress. */
  connection(source: PodEnd | AddressEnd, destination: Destination): Verdict {
    if (!('cidr' in source)) {
      const out = this.egress(source, destination);
      if (!out.allowed) return out;
    }
    return this.ingress(source, destination);
  }
}
