import ipaddr from 'ipaddr.js';
import type { RenderedResource } from '../../tools/synth/render';

/**
 * What a cluster's NetworkPolicies allow, evaluated from the rendered objects
 * with Kubernetes' semantics: a pod selected by no policy of a direction is
 * open in that direction; a selected pod accepts exactly the union of the
 * rules of the policies selecting it; a rule without peers or ports matches all.
 */

type Json = Record<string, any>;
type Labels = Readonly<Record<string, string>>;

/** A pod: its namespace and labels. */
export interface PodEnd {
  readonly namespace: string;
  readonly labels?: Labels;
}

/** An address outside the pod network (the API server, a client). */
export interface AddressEnd {
  readonly ip: string;
}

/** Where traffic goes: a pod and the port it listens on (number, name or both). */
export interface Destination extends PodEnd {
  readonly port?: number;
  readonly portName?: string;
}

function selects(selector: Json | undefined, labels: Labels): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((e: Json) => {
    switch (e.operator) {
      case 'In':
        return e.values.includes(labels[e.key]);
      case 'NotIn':
        return !e.values.includes(labels[e.key]);
      case 'Exists':
        return e.key in labels;
      case 'DoesNotExist':
        return !(e.key in labels);
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
  return byLabels && byExpressions;
}

function inBlock(ip: string, block: Json): boolean {
  const address = ipaddr.parse(ip);
  const within = (cidr: string) => {
    const range = ipaddr.parseCIDR(cidr);
    return address.kind() === range[0].kind() && address.match(range);
  };
  return within(block.cidr) && !(block.except ?? []).some(within);
}

export class NetworkPolicies {
  private readonly policies: readonly RenderedResource[];
  private readonly namespaceLabels: Map<string, Labels>;

  constructor(resources: readonly RenderedResource[]) {
    this.policies = resources.filter((r) => r.kind === 'NetworkPolicy');
    this.namespaceLabels = new Map(
      resources
        .filter((r) => r.kind === 'Namespace')
        .map((r) => [r.name, ((r.object as Json).metadata.labels ?? {}) as Labels]),
    );
  }

  /** The labels of a namespace, with the one the API server sets on every namespace. */
  private labelsOf(namespace: string): Labels {
    return { ...(this.namespaceLabels.get(namespace) ?? {}), 'kubernetes.io/metadata.name': namespace };
  }

  private selecting(pod: PodEnd, type: 'Ingress' | 'Egress'): Json[] {
    return this.policies
      .filter((p) => p.namespace === pod.namespace)
      .map((p) => p.object as Json)
      .filter((p) => (p.spec.policyTypes ?? ['Ingress']).includes(type))
      .filter((p) => selects(p.spec.podSelector, pod.labels ?? {}));
  }

  private peerMatches(peer: Json, other: PodEnd | AddressEnd, policyNamespace: string): boolean {
    if ('ip' in other) return peer.ipBlock ? inBlock(other.ip, peer.ipBlock) : false;
    if (peer.ipBlock) return false;
    const namespaceOk = peer.namespaceSelector
      ? selects(peer.namespaceSelector, this.labelsOf(other.namespace))
      : other.namespace === policyNamespace;
    return namespaceOk && selects(peer.podSelector, other.labels ?? {});
  }

  private static portMatches(ports: Json[] | undefined, destination: Destination): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== 'TCP') return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'string') return p.port === destination.portName;
      if (destination.port === undefined) return false;
      return p.endPort !== undefined
        ? destination.port >= p.port && destination.port <= p.endPort
        : destination.port === p.port;
    });
  }

  /** Whether the destination pod's ingress policies let the source in on the port. */
  ingressAllows(source: PodEnd | AddressEnd, destination: Destination): boolean {
    const policies = this.selecting(destination, 'Ingress');
    if (policies.length === 0) return true;
    return policies.some((p) =>
      (p.spec.ingress ?? []).some(
        (rule: Json) =>
          (!rule.from ||
            rule.from.some((peer: Json) => this.peerMatches(peer, source, destination.namespace))) &&
          NetworkPolicies.portMatches(rule.ports, destination),
      ),
    );
  }

  /** Whether the source pod's egress policies let it reach the destination on the port. */
  egressAllows(source: PodEnd, destination: Destination): boolean {
    const policies = this.selecting(source, 'Egress');
    if (policies.length === 0) return true;
    return policies.some((p) =>
      (p.spec.egress ?? []).some(
        (rule: Json) =>
          (!rule.to || rule.to.some((peer: Json) => this.peerMatches(peer, destination, source.namespace))) &&
          NetworkPolicies.portMatches(rule.ports, destination),
      ),
    );
  }

  /** Whether a connection is allowed at both ends. */
  allows(source: PodEnd | AddressEnd, destination: Destination): boolean {
    return (
      ('ip' in source || this.egressAllows(source, destination)) && this.ingressAllows(source, destination)
    );
  }
}
