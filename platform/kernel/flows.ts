/**
 * From the components' declarations to each namespace's allow rules. Plain data in, plain data
 * out: the base component renders the rules as NetworkPolicies, and a check that reads
 * `dist/<cluster>/contributions.json` can derive the same rules without loading cdk8s.
 *
 * Every Flow gives two ends: the egress rule in its source's namespace and the ingress rule in its
 * destination's namespace. An end that is not a namespace of the cluster (any namespace, the API
 * server, an address range) gives no rule: the other end is the one the cluster can enforce, and a
 * flow `to: { anyNamespace: true }` opens its source towards every namespace, each of which admits
 * what its own flows say.
 */
import type {
  CloudWorkloadDeclaration,
  ClusterDeclarations,
  Contribution,
  CredentialEndpoint,
  Flow,
  FlowPeer,
  Labels,
  NamespaceDeclaration,
  ScrapeTarget,
} from './contribution';

/** The whole IPv4 space: how a rule names a peer whose addresses the platform cannot know (the API server). */
export const ANYWHERE = '0.0.0.0/0';

/** A peer of one rule, as a NetworkPolicy names it. */
export type RulePeer =
  | { readonly namespace: string; readonly pods?: Labels }
  | { readonly anyNamespace: true }
  | { readonly cidr: string };

/** One allow rule of a namespace's ingress or egress policy. */
export interface PolicyRule {
  /** Why the traffic is needed; rendered in the policy's annotation for reviewers. */
  readonly reason: string;
  readonly peers: readonly RulePeer[];
  /** TCP ports; every port when omitted. */
  readonly ports?: readonly number[];
}

/** A declared namespace with the component that owns it and the rules its flows give it. */
export interface NamespacePolicy {
  readonly namespace: NamespaceDeclaration;
  /** The component that declares the namespace. */
  readonly owner: string;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

/** A flow with the component that declared it (or whose scrape target implies it). */
export interface DeclaredFlow {
  readonly component: string;
  readonly flow: Flow;
  /** Set for the flow a scrape target implies: the target's name. */
  readonly scrapeTarget?: string;
  /** Set for the flow a cloud workload implies (`credentialFlow`): the workload's name. */
  readonly cloudWorkload?: string;
}

/**
 * The flows a scrape target implies: from Prometheus to each namespace it looks in, on its port
 * (every port when it names no number); to any namespace when it looks everywhere.
 */
export function scrapeFlows(target: ScrapeTarget, prometheus: FlowPeer): Flow[] {
  const ports = target.port.number === undefined ? {} : { ports: [target.port.number] };
  const reason = `Prometheus scrapes ${target.name}`;
  if (!target.namespaces) return [{ reason, from: prometheus, to: { anyNamespace: true }, ...ports }];
  return target.namespaces.map((namespace) => ({ reason, from: prometheus, to: { namespace }, ...ports }));
}

/** Who scrapes the cluster's scrape targets: the `scraper` the monitoring component declares, if any. */
export function scraperOf(declarations: ClusterDeclarations): FlowPeer | undefined {
  return [...declarations.values()].find((contribution) => contribution.scraper)?.scraper;
}

/**
 * The flow a cloud workload implies where the cluster's cloud hands out credentials at an address
 * of its own (GKE's metadata server): from the workload's namespace to it. One reason for every
 * workload, so the workloads of one namespace share one rule.
 */
export function credentialFlow(workload: CloudWorkloadDeclaration, endpoint: CredentialEndpoint): Flow {
  return {
    reason: `pods with a cloud identity fetch their credentials from ${endpoint.what}`,
    from: { namespace: workload.namespace },
    to: { cidr: endpoint.cidr, what: endpoint.what },
    ports: endpoint.ports,
  };
}

/** Where the cluster's cloud workloads fetch their credentials: the `credentialEndpoint` a component declares, if any. */
export function credentialEndpointOf(declarations: ClusterDeclarations): CredentialEndpoint | undefined {
  return [...declarations.values()].find((contribution) => contribution.credentialEndpoint)
    ?.credentialEndpoint;
}

/**
 * Every flow of the cluster in component order: each component's declared flows, then those its
 * scrape targets imply (none where no component scrapes), then those its cloud workloads imply
 * (none where the cloud names no credential endpoint; none for a workload in a namespace no
 * component declares, such as kube-system, whose policies the platform does not render).
 */
export function clusterFlows(declarations: ClusterDeclarations): DeclaredFlow[] {
  const scraper = scraperOf(declarations);
  const implied = (target: ScrapeTarget) => (scraper ? scrapeFlows(target, scraper) : []);
  const endpoint = credentialEndpointOf(declarations);
  const namespaces = declaredNamespaces(declarations);
  const credentialFlows = (component: string, contribution: Contribution): DeclaredFlow[] =>
    endpoint
      ? (contribution.cloudWorkloads ?? [])
          .filter((workload) => namespaces.has(workload.namespace))
          .map((workload) => ({
            component,
            flow: credentialFlow(workload, endpoint),
            cloudWorkload: workload.name,
          }))
      : [];
  return [...declarations].flatMap(([component, contribution]) => [
    ...(contribution.flows ?? []).map((flow) => ({ component, flow })),
    ...(contribution.scrapeTargets ?? []).flatMap((target) =>
      implied(target).map((flow) => ({
        component,
        flow,
        scrapeTarget: target.name,
      })),
    ),
    ...credentialFlows(component, contribution),
  ]);
}

/** A peer as people read it in messages: `namespace ml-serving`, `the API server`, `10.0.0.0/16 (what)`. */
export function describePeer(peer: FlowPeer): string {
  if ('namespace' in peer)
    return `namespace ${peer.namespace}${peer.pods ? ` ${JSON.stringify(peer.pods)}` : ''}`;
  if ('anyNamespace' in peer) return 'any namespace';
  if ('apiServer' in peer) return 'the API server';
  return `${peer.cidr} (${peer.what})`;
}

/** The declared namespaces with their owners; the first declaration wins (`declarationProblems` reports the others). */
function declaredNamespaces(
  declarations: ClusterDeclarations,
): Map<string, { owner: string; declaration: NamespaceDeclaration }> {
  const namespaces = new Map<string, { owner: string; declaration: NamespaceDeclaration }>();
  for (const [owner, contribution] of declarations) {
    for (const declaration of contribution.namespaces ?? []) {
      if (!namespaces.has(declaration.name)) namespaces.set(declaration.name, { owner, declaration });
    }
  }
  return namespaces;
}

/**
 * What is wrong with a cluster's declarations, each problem naming the component and the
 * declaration: a namespace two components declare, a flow declared twice (by its caller and its
 * callee, say), a flow or scrape target naming a namespace no component of the cluster declares
 * (its policy end would be nowhere).
 */
export function declarationProblems(declarations: ClusterDeclarations): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  let scraper: string | undefined;
  for (const [component, contribution] of declarations) {
    if (contribution.scraper && scraper)
      problems.push(`${component}: declares the scraper, which ${scraper} already does`);
    if (contribution.scraper) scraper ??= component;
    for (const { name } of contribution.namespaces ?? []) {
      const owner = owners.get(name);
      if (owner) problems.push(`${component}: namespace "${name}" is already declared by ${owner}`);
      else owners.set(name, component);
    }
  }
  const declaredBy = new Map<string, string>();
  for (const { component, flow, scrapeTarget, cloudWorkload } of clusterFlows(declarations)) {
    const key = JSON.stringify([flow.from, flow.to, flow.ports]);
    const earlier = declaredBy.get(key);
    // Implied flows repeat one another by design (two scrape targets, two workloads in a namespace).
    if (!scrapeTarget && !cloudWorkload && earlier) {
      problems.push(
        `${component}: flow "${flow.reason}" (${describePeer(flow.from)} → ${describePeer(flow.to)}) is already declared by ${earlier}`,
      );
    }
    if (!scrapeTarget && !cloudWorkload) declaredBy.set(key, earlier ?? component);
    const what = scrapeTarget
      ? `scrape target "${scrapeTarget}"`
      : `flow "${flow.reason}" (${describePeer(flow.from)} → ${describePeer(flow.to)})`;
    for (const [end, peer] of [
      ['source', flow.from],
      ['destination', flow.to],
    ] as const) {
      if ('namespace' in peer && !owners.has(peer.namespace)) {
        problems.push(
          `${component}: ${what}: its ${end} namespace "${peer.namespace}" is declared by no component of the cluster`,
        );
      }
    }
  }
  return problems;
}

/** The rule peer a flow's other end becomes. */
function rulePeer(peer: FlowPeer): RulePeer {
  if ('namespace' in peer)
    return peer.pods ? { namespace: peer.namespace, pods: peer.pods } : { namespace: peer.namespace };
  if ('anyNamespace' in peer) return { anyNamespace: true };
  // The API server's addresses differ per cloud and are not known when rendering.
  if ('apiServer' in peer) return { cidr: ANYWHERE };
  return { cidr: peer.cidr };
}

/** One end of one flow, before ends that say the same thing are merged. */
interface Candidate {
  readonly reason: string;
  readonly peer: RulePeer;
  readonly ports?: readonly number[];
}

const samePeer = (a: RulePeer, b: RulePeer) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Whether a rule to `broad` already lets in whatever a rule to `narrow` does. Only pod peers cover
 * one another (any namespace covers a namespace, a namespace covers a selection of its pods): a
 * rule to an address range names what lives there, and stays even where a wider range is open.
 */
function peerCovers(broad: RulePeer, narrow: RulePeer): boolean {
  if ('cidr' in broad || 'cidr' in narrow) return false;
  if ('anyNamespace' in broad) return true;
  if ('anyNamespace' in narrow) return false;
  if (broad.namespace !== narrow.namespace) return false;
  return broad.pods === undefined || JSON.stringify(broad.pods) === JSON.stringify(narrow.pods);
}

function portsCover(broad: readonly number[] | undefined, narrow: readonly number[] | undefined): boolean {
  if (broad === undefined) return true;
  return narrow?.every((port) => broad.includes(port)) ?? false;
}

const covers = (broad: Candidate, narrow: Candidate) =>
  peerCovers(broad.peer, narrow.peer) && portsCover(broad.ports, narrow.ports);

/**
 * The rules of one end of a namespace, in declaration order: an end another end of the same
 * namespace already opens (Prometheus' egress to any namespace covers each scrape) adds nothing,
 * and ends with the same reason and ports share one rule.
 */
function rulesOf(candidates: readonly Candidate[]): PolicyRule[] {
  const kept = candidates.filter(
    (candidate, i) =>
      !candidates.some(
        (other, j) => j !== i && covers(other, candidate) && (!covers(candidate, other) || j < i),
      ),
  );
  const rules: { reason: string; peers: RulePeer[]; ports?: readonly number[] }[] = [];
  for (const { reason, peer, ports } of kept) {
    const same = rules.find(
      (rule) => rule.reason === reason && JSON.stringify(rule.ports) === JSON.stringify(ports),
    );
    if (!same) rules.push({ reason, peers: [peer], ...(ports ? { ports } : {}) });
    else if (!same.peers.some((known) => samePeer(known, peer))) same.peers.push(peer);
  }
  return rules;
}

/**
 * Each declared namespace, in declaration order, with the ingress and egress rules its flows give
 * it. Flows within one namespace give no rule: every namespace allows its own traffic.
 */
export function namespacePolicies(declarations: ClusterDeclarations): NamespacePolicy[] {
  const ingress = new Map<string, Candidate[]>();
  const egress = new Map<string, Candidate[]>();
  const add = (ends: Map<string, Candidate[]>, namespace: string, candidate: Candidate) =>
    ends.set(namespace, [...(ends.get(namespace) ?? []), candidate]);
  for (const { flow } of clusterFlows(declarations)) {
    const { from, to, reason, ports } = flow;
    if ('namespace' in from && 'namespace' in to && from.namespace === to.namespace) continue;
    const portsOf = ports ? { ports } : {};
    if ('namespace' in from) add(egress, from.namespace, { reason, peer: rulePeer(to), ...portsOf });
    if ('namespace' in to) add(ingress, to.namespace, { reason, peer: rulePeer(from), ...portsOf });
  }
  return [...declaredNamespaces(declarations)].map(([name, { owner, declaration }]) => ({
    namespace: declaration,
    owner,
    ingress: rulesOf(ingress.get(name) ?? []),
    egress: rulesOf(egress.get(name) ?? []),
  }));
}

/** Each component's declarations for one cluster, by name, in the order given (components without any declare nothing). */
export function declarationsOf<P>(
  components: readonly { readonly name: string; contributes?(props: P): Contribution }[],
  props: P,
): ClusterDeclarations {
  return new Map(components.map((component) => [component.name, component.contributes?.(props) ?? {}]));
}

/** The API server's ports: 443 behind the clouds' endpoints, 6443 where it listens on the nodes' network. */
export const API_SERVER_PORTS = [443, 6443] as const;

/** The flow every operator and controller of a namespace needs: to the Kubernetes API server. */
export function apiServerFlow(namespace: string): Flow {
  return {
    reason: 'Kubernetes API server (operators and controllers)',
    from: { namespace },
    to: { apiServer: true },
    ports: API_SERVER_PORTS,
  };
}

/** The namespaces the components declare, in declaration order. */
export function namespacesOf(declarations: ClusterDeclarations): NamespaceDeclaration[] {
  return [...declarations.values()].flatMap((contribution) => contribution.namespaces ?? []);
}
