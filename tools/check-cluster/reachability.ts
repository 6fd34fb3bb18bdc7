/**
 * Check 4, reachability: the flows the cluster needs, and whether its NetworkPolicies (and the
 * mesh's AuthorizationPolicies) let each through. Required flows come from the objects where they
 * say so (webhooks and APIServices, ServiceMonitors and PodMonitors, in-cluster URLs in pod
 * templates and chart values, the sidecars' connection to istiod, DNS) and from the flows the
 * components declare in contributions.json. Besides, where the cloud hands out workload identity
 * credentials at an address of its own (GKE's metadata server), every pod whose ServiceAccount
 * carries the identity annotation must reach it.
 */
import type { WorkloadIdentityEndpoint } from '../../platform/clouds/profile';
import type { Flow, FlowPeer } from '../../platform/kernel/contribution';
import { mapSelects, selectorMatches } from '../policy/kube';
import { chartScrapesItself } from './chart-monitors';
import { ClusterModel, describeObject, type Pods } from './model';
import {
  type AddressEnd,
  ANYWHERE,
  type Destination,
  NetworkPolicies,
  type PodEnd,
  type Verdict,
} from './network-policies';
import type { ClusterProblem } from './problem';
import { podConfigRefs } from './references';
import type { ClusterObject, Json, Labels } from './tree';

/** A flow to check and where it was found. */
export interface RequiredFlow {
  readonly from: PodEnd | AddressEnd;
  /** Mesh identity of the source (`ns/sa`), for AuthorizationPolicies. */
  readonly principal?: string;
  /** A pod and port, or an address range outside the pod network (only the source's egress decides). */
  readonly to: Destination | (AddressEnd & { readonly port?: number });
  readonly reason: string;
  /** The object that needs the flow (reported), or contributions.json. */
  readonly at: { kind: string; namespace?: string; name: string; file: string };
}

/** Where the Pods the Prometheus operator runs are found: it labels every one so. */
const PROMETHEUS_POD_LABEL = { 'app.kubernetes.io/name': 'prometheus' };
/** The cluster DNS, as EKS, GKE and AKS all label it. */
const DNS: Destination = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, port: 53 };
/** istiod's xDS and certificate port, which every sidecar dials. */
const ISTIOD_XDS_PORT = 15012;
/** An in-cluster DNS name: `service.namespace.svc[.cluster.local][:port]`. */
const SERVICE_URL =
  /(?:(https?|grpc):\/\/)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?(?::(\d+))?/g;

const endName = (end: PodEnd | AddressEnd) => {
  if ('cidr' in end) return end.what;
  if (end.name) return end.name;
  const labels = Object.entries(end.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return labels.length > 0 ? `${end.namespace}{${labels.join(',')}}` : `namespace ${end.namespace}`;
};

/**
 * Ports Envoy serves itself (stats, health, merged metrics): iptables does not send them through
 * the inbound chain, so no AuthorizationPolicy applies to them.
 */
const PROXY_OWN_PORTS = new Set([15020, 15021, 15090]);

export function checkReachability(
  model: ClusterModel,
  identityEndpoint?: WorkloadIdentityEndpoint,
): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const policies = new NetworkPolicies(model.tree.objects);
  if (identityEndpoint) problems.push(...credentialProblems(model, policies, identityEndpoint));
  const flows = requiredFlows(model, problems);
  problems.push(...unscrapedOpenings(model, flows));
  const seen = new Set<string>();
  for (const flow of flows) {
    const to = flow.to;
    let denied: Verdict | undefined;
    if ('cidr' in to) denied = 'cidr' in flow.from ? undefined : policies.egress(flow.from, to);
    else {
      const verdict = policies.connection(flow.from, to);
      // A flow without a port (a declared flow to "every port") is a NetworkPolicy question only:
      // an AuthorizationPolicy admits requests by port and path, which such a flow does not name.
      const portKnown = to.port !== undefined || ('portName' in to && to.portName !== undefined);
      denied =
        verdict.allowed && portKnown ? authorizationDenies(model, flow.from, flow.principal, to) : verdict;
    }
    if (!denied || denied.allowed) continue;
    const port = to.port ?? ('portName' in to ? to.portName : undefined) ?? 'any';
    const udp = 'protocol' in to && to.protocol === 'UDP' ? '/UDP' : '';
    const line = `${endName(flow.from)} → ${endName(to)}:${port}${udp} blocked (${flow.reason}): denied at ${denied.side} by ${denied.policies.join(', ')}`;
    const key = `${flow.at.file}\0${line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({
      cluster: model.tree.cluster,
      check: 'reachability',
      object: describeObject(flow.at),
      file: flow.at.file,
      message: line,
    });
  }
  return problems;
}

/** A ServiceAccount carrying the workload identity annotation: rendered, or given in a chart's values. */
interface IdentityAccount {
  readonly namespace: string;
  readonly name: string;
  /** Where it is written: the ServiceAccount, or the Application whose values give it. */
  readonly at: ClusterObject;
  /** For a chart's: the release, whose pods stand for it when none of them names its ServiceAccount. */
  readonly release?: string;
}

/** Objects in a chart's values carrying `annotation` under `annotations`, with their path (`serviceAccount.server`). */
function annotatedInValues(values: Json, annotation: string, path = ''): { path: string; node: Json }[] {
  if (values === null || typeof values !== 'object') return [];
  const here =
    !Array.isArray(values) && typeof values.annotations?.[annotation] === 'string'
      ? [{ path, node: values }]
      : [];
  return [
    ...here,
    ...Object.entries(values).flatMap(([key, value]) =>
      annotatedInValues(value as Json, annotation, path ? `${path}.${key}` : key),
    ),
  ];
}

/**
 * Every pod whose ServiceAccount carries the cloud's workload identity annotation must reach the
 * endpoint where that identity's credentials come from, on each of its ports: otherwise every
 * call the workload makes to the cloud fails for want of a token.
 */
function credentialProblems(
  model: ClusterModel,
  policies: NetworkPolicies,
  endpoint: WorkloadIdentityEndpoint,
): ClusterProblem[] {
  const { tree } = model;
  const problems: ClusterProblem[] = [];
  const report = (at: ClusterObject, message: string) =>
    problems.push({
      cluster: tree.cluster,
      check: 'reachability',
      object: describeObject(at),
      file: at.file,
      message,
    });
  const annotation = endpoint.serviceAccountAnnotation;
  const accounts: IdentityAccount[] = tree
    .ofKind('ServiceAccount')
    .filter(
      (account) => account.namespace && typeof account.body.metadata?.annotations?.[annotation] === 'string',
    )
    .map((account) => ({ namespace: account.namespace as string, name: account.name, at: account }));
  for (const app of tree.applications.filter((a) => a.chart && a.namespace)) {
    for (const { path, node } of annotatedInValues(app.chart?.values ?? {}, annotation)) {
      if (typeof node.name !== 'string') {
        report(
          app.object,
          `values ${path}: gives the ServiceAccount annotation ${annotation} without the ServiceAccount's name, so which pods act as the identity cannot be checked`,
        );
        continue;
      }
      accounts.push({
        namespace: app.namespace as string,
        name: node.name,
        at: app.object,
        release: app.name,
      });
    }
  }
  const reported = new Set<string>();
  for (const account of accounts) {
    const named = model.pods.filter(
      (p) => p.namespace === account.namespace && p.serviceAccount === account.name,
    );
    // A chart's pods seldom declare their ServiceAccount: then the release's pods stand for it.
    const pods =
      named.length > 0
        ? named
        : model.pods.filter(
            (p) => p.namespace === account.namespace && p.release === account.release && !p.serviceAccount,
          );
    for (const source of pods) {
      for (const port of endpoint.ports) {
        const verdict = policies.egress(
          { namespace: source.namespace, labels: source.labels, name: source.what },
          { cidr: endpoint.cidr, what: endpoint.what, port },
        );
        // A release's pod sets all stand for its ServiceAccount: one line for them.
        const key = `${source.what}\0${account.namespace}/${account.name}\0${port}`;
        if (verdict.allowed || reported.has(key)) continue;
        reported.add(key);
        report(
          source.object ?? account.at,
          `${source.what} → ${endpoint.what} (${endpoint.cidr}):${port} blocked: ServiceAccount ` +
            `${account.namespace}/${account.name} carries ${annotation}, so its pods fetch their credentials there; ` +
            `denied at egress by ${verdict.policies.join(', ')}`,
        );
      }
    }
  }
  return problems;
}

/** Pods a destination resolves to: the pods behind a Service port, with the container port. */
function behindService(model: ClusterModel, namespace: string, name: string, port?: number): Destination[] {
  const service = model.services.find((s) => s.namespace === namespace && s.name === name);
  if (!service) return [];
  const servicePorts = service.ports.filter((p) => port === undefined || p.port === port);
  const pods = model.podsSelectedBy(namespace, service.selector);
  const labels = pods[0]?.labels ?? service.selector;
  return servicePorts.map((p) => ({
    namespace,
    labels,
    name: service.what,
    ...ClusterModel.targetPortOn(p, pods[0]),
  }));
}

/** Every flow the cluster needs, with where it was found; problems that stop the search go to `problems`. */
export function requiredFlows(model: ClusterModel, problems: ClusterProblem[] = []): RequiredFlow[] {
  const flows: RequiredFlow[] = [];
  const { tree } = model;
  const contributionsAt = { kind: 'contributions', name: 'contributions.json', file: tree.contributionsPath };

  // The API server calls every webhook and APIService backend.
  for (const backend of model.apiBackends) {
    const at = backend.object ?? { kind: backend.kind, name: backend.name, file: tree.contributionsPath };
    for (const to of behindService(
      model,
      backend.service.namespace,
      backend.service.name,
      backend.service.port,
    ))
      flows.push({
        from: { ...ANYWHERE, what: 'API server' },
        to,
        reason: `${backend.kind} ${backend.name}`,
        at,
      });
  }

  // Prometheus scrapes every monitor's targets.
  const prometheus = model.pods.find((p) => selectorMatches({ matchLabels: PROMETHEUS_POD_LABEL }, p.labels));
  const monitors = [...tree.ofKind('ServiceMonitor'), ...tree.ofKind('PodMonitor')];
  if (monitors.length > 0 && !prometheus) {
    problems.push({
      cluster: tree.cluster,
      check: 'reachability',
      object: describeObject(monitors[0]),
      file: monitors[0].file,
      message:
        'monitors are rendered but no Prometheus pods are declared (app.kubernetes.io/name=prometheus): scrapes cannot be checked',
    });
  }
  if (prometheus) {
    const source = {
      from: { namespace: prometheus.namespace, labels: prometheus.labels, name: 'Prometheus' },
      ...principalOf(prometheus),
    };
    for (const monitor of monitors) {
      for (const to of scrapeTargets(model, monitor))
        flows.push({
          ...source,
          to,
          reason: `scrape by ${monitor.kind} ${monitor.namespace}/${monitor.name}`,
          at: monitor,
        });
    }
  }

  // Sidecars dial istiod; every pod resolves names.
  const istiodNamespace = model.istiod?.namespace;
  for (const pods of model.pods.filter((p) => p.object)) {
    const from = { namespace: pods.namespace, labels: pods.labels, name: pods.what };
    const at = pods.object as ClusterObject;
    if (pods.meshed && istiodNamespace) {
      for (const to of behindService(model, istiodNamespace, 'istiod', ISTIOD_XDS_PORT))
        flows.push({ from, to, reason: 'sidecar to istiod (xDS, certificates)', at });
      // The mesh's OpenTelemetry tracing providers: every sidecar sends its spans there.
      for (const provider of meshTracingProviders(model)) {
        for (const to of serviceAt(model, provider.service, provider.port))
          flows.push({
            from,
            ...principalOf(pods),
            to,
            reason: `sidecar spans to ${provider.service}:${provider.port}`,
            at,
          });
      }
    }
    flows.push({ from, to: { ...DNS, protocol: 'UDP' }, reason: 'DNS', at });
    flows.push({ from, to: DNS, reason: 'DNS', at });
    // Clients to the Services their configuration names: commands, arguments, environment, and
    // the ConfigMaps they mount or read.
    const configMaps = configMapsOf(pods.original?.spec as Json | undefined).flatMap((name) =>
      model.tree.ofKind('ConfigMap').filter((c) => c.namespace === pods.namespace && c.name === name),
    );
    const strings = [
      ...ClusterModel.strings(pods.original?.spec.containers, 'containers'),
      ...configMaps.flatMap((c) => ClusterModel.strings(c.body.data, 'data')),
    ];
    for (const to of urlTargets(
      model,
      strings.map((s) => s.text),
    ))
      flows.push({ from, ...principalOf(pods), to: to.destination, reason: `calls ${to.url}`, at });
  }
  // Charts to the Services their values name, from the pods the chart runs (or its namespace).
  for (const app of tree.applications.filter((a) => a.chart && a.namespace)) {
    const namespace = app.namespace as string;
    const release = tree.chartObjects.find(({ objects }) => objects.releases.includes(app.name));
    const sources: { from: PodEnd; principal?: string }[] = (release?.objects.pods ?? [])
      .filter((p) => p.namespace === namespace && (p.release ?? release?.objects.releases[0]) === app.name)
      .map((p) => ({
        from: { namespace, labels: p.labels, name: `pods of ${app.name}` },
        ...(p.serviceAccount ? { principal: `${namespace}/${p.serviceAccount}` } : {}),
      }));
    const strings = ClusterModel.strings(app.chart?.values, 'values').map((s) => s.text);
    for (const to of urlTargets(model, strings)) {
      for (const source of sources.length > 0 ? sources : [{ from: { namespace } }])
        flows.push({
          ...source,
          to: to.destination,
          reason: `chart ${app.name} calls ${to.url}`,
          at: app.object,
        });
    }
  }

  // What the components declare they need.
  for (const [component, contribution] of Object.entries(tree.contributions ?? {})) {
    for (const flow of contribution.flows ?? [])
      flows.push(...declaredFlow(model, component, flow, contributionsAt));
  }
  return flows;
}

function principalOf(pods: Pods): { principal?: string } {
  return pods.serviceAccount ? { principal: `${pods.namespace}/${pods.serviceAccount}` } : {};
}

/** The destinations a monitor scrapes: each selected Service's endpoint port (or pod port), on its pods. */
export function scrapeTargets(model: ClusterModel, monitor: ClusterObject): Destination[] {
  const spec = monitor.body.spec ?? {};
  const namespaces: string[] =
    spec.namespaceSelector?.any === true
      ? [...new Set(model.pods.map((p) => p.namespace))]
      : (spec.namespaceSelector?.matchNames ?? [monitor.namespace]);
  const selector = spec.selector ?? {};
  if (monitor.kind === 'ServiceMonitor') {
    return model.services
      .filter((s) => namespaces.includes(s.namespace) && selectorMatches(selector, s.labels))
      .flatMap((service) =>
        ((spec.endpoints ?? []) as Json[]).flatMap((endpoint) => {
          const port = service.ports.find((p) => p.name === endpoint.port);
          if (!port) return [];
          const pods = model.podsSelectedBy(service.namespace, service.selector);
          return [
            {
              namespace: service.namespace,
              labels: pods[0]?.labels ?? service.selector,
              name: service.what,
              ...ClusterModel.targetPortOn(port, pods[0]),
            },
          ];
        }),
      );
  }
  return model.pods
    .filter((p) => namespaces.includes(p.namespace) && selectorMatches(selector, p.labels))
    .flatMap((pods) =>
      ((spec.podMetricsEndpoints ?? []) as Json[]).flatMap((endpoint) => {
        const port = pods.ports.find((p) => p.name === endpoint.port);
        return port
          ? [
              {
                namespace: pods.namespace,
                labels: pods.labels,
                name: pods.what,
                port: port.port,
                portName: endpoint.port,
              },
            ]
          : [];
      }),
    );
}

/** The Services named by in-cluster URLs in some strings, resolved to their pods and ports. */
function urlTargets(
  model: ClusterModel,
  strings: readonly string[],
): { url: string; destination: Destination }[] {
  const found: { url: string; destination: Destination }[] = [];
  for (const text of strings) {
    for (const match of text.matchAll(SERVICE_URL)) {
      const [url, scheme, name, , namespace, , port] = match;
      const explicit = port ? Number(port) : scheme === 'http' ? 80 : scheme === 'https' ? 443 : undefined;
      const service = model.services.find((s) => s.namespace === namespace && s.name === name);
      if (!service) continue; // A name the references check does not own (another cluster, a cloud endpoint).
      const ports =
        explicit !== undefined
          ? service.ports.filter((p) => p.port === explicit)
          : service.ports.length === 1
            ? service.ports
            : [];
      const pods = model.podsSelectedBy(namespace, service.selector);
      for (const p of ports)
        found.push({
          url,
          destination: {
            namespace,
            labels: pods[0]?.labels ?? service.selector,
            name: service.what,
            ...ClusterModel.targetPortOn(p, pods[0]),
          },
        });
    }
  }
  return found;
}

/** A namespace no policy selects, standing for "any namespace" at a declared flow's end. */
const ANY_NAMESPACE = '(any namespace)';

/** The checks a declared flow stands for: one per source namespace, destination and port. */
function declaredFlow(
  model: ClusterModel,
  component: string,
  flow: Flow,
  at: RequiredFlow['at'],
): RequiredFlow[] {
  const ends = (peer: FlowPeer): (PodEnd | AddressEnd)[] => {
    if ('apiServer' in peer) return [{ ...ANYWHERE, what: 'API server' }];
    if ('cidr' in peer) return [{ cidr: peer.cidr, what: peer.what }];
    // "Any namespace" opens one side only (the synthesis gives that end no rule), so it stands for
    // a namespace with no policies of its own: the other end's policy alone decides.
    if ('anyNamespace' in peer) return [{ namespace: ANY_NAMESPACE }];
    return [{ namespace: peer.namespace, ...(peer.pods ? { labels: peer.pods as Labels } : {}) }];
  };
  const reason = `${component}: ${flow.reason}`;
  const ports = flow.ports && flow.ports.length > 0 ? flow.ports : [undefined];
  // The mesh identity of the source: its pods' ServiceAccount, where the model knows its pods.
  const principal = (from: PodEnd | AddressEnd) => {
    if ('cidr' in from) return {};
    const pods = model.pods.find(
      (p) => p.namespace === from.namespace && mapSelects(from.labels ?? {}, p.labels),
    );
    return pods ? principalOf(pods) : {};
  };
  return ends(flow.from).flatMap((from) =>
    ends(flow.to).flatMap((to): RequiredFlow[] => {
      if ('cidr' in to) {
        // Leaving the pod network: only the source's egress decides.
        return 'cidr' in from
          ? []
          : ports.map((port) => ({
              from,
              to: { ...to, ...(port !== undefined ? { port } : {}) },
              reason,
              at,
            }));
      }
      return ports.map((port) => ({
        from,
        ...principal(from),
        to: { ...to, ...(port !== undefined ? { port } : {}) },
        reason,
        at,
      }));
    }),
  );
}

/** Request properties (HTTP paths, methods, hosts, conditions) a connection-level check cannot decide. */
const REQUEST_FIELDS = ['paths', 'notPaths', 'methods', 'notMethods', 'hosts', 'notHosts'];

/**
 * Whether an AuthorizationPolicy rule matches a connection from `principal` in `sourceNamespace` to
 * `port`, by the fields a connection carries (principals, namespaces, ports and their `not`
 * forms); undefined when it depends on request properties this check cannot see.
 */
function ruleMatches(
  rule: Json,
  principal: string | undefined,
  sourceNamespace: string | undefined,
  port: number | undefined,
): boolean | undefined {
  const listed = (values: string[] | undefined, value: string | undefined) =>
    value !== undefined && (values ?? []).some((v) => v === '*' || v === value);
  const fromOk =
    !rule.from ||
    (rule.from as Json[]).some(
      ({ source: s = {} }) =>
        (!s.principals || listed(s.principals, principal)) &&
        (!s.notPrincipals || !listed(s.notPrincipals, principal)) &&
        (!s.namespaces || listed(s.namespaces, sourceNamespace)) &&
        (!s.notNamespaces || !listed(s.notNamespaces, sourceNamespace)),
    );
  const portText = port === undefined ? undefined : String(port);
  const operations = ((rule.to ?? []) as Json[]).map(({ operation: o = {} }) => o);
  const toOk =
    !rule.to ||
    operations.some(
      (o) => (!o.ports || listed(o.ports, portText)) && (!o.notPorts || !listed(o.notPorts, portText)),
    );
  if (!fromOk || !toOk) return false;
  const onRequest = rule.when || operations.some((o) => REQUEST_FIELDS.some((field) => o[field]));
  return onRequest ? undefined : true;
}

/**
 * The AuthorizationPolicies on the destination's pods that refuse the source: a DENY policy with
 * a rule the connection matches (evaluated first, as Istio does), or ALLOW policies none of whose
 * rules it matches (an ALLOW policy without rules allows nothing). Rules on request properties
 * count as matching for ALLOW (some requests pass) and as not matching for DENY (some requests
 * pass), so only what refuses every request is reported.
 */
function authorizationDenies(
  model: ClusterModel,
  source: PodEnd | AddressEnd,
  sourcePrincipal: string | undefined,
  to: Destination,
): Verdict | undefined {
  const destination = model.pods.find(
    (p) =>
      p.namespace === to.namespace && Object.entries(to.labels ?? {}).every(([k, v]) => p.labels[k] === v),
  );
  if (!destination?.meshed || (to.port !== undefined && PROXY_OWN_PORTS.has(to.port))) return undefined;
  const onDestination = model.tree
    .ofKind('AuthorizationPolicy')
    .filter((p) => p.namespace === to.namespace || p.namespace === model.istiod?.namespace)
    .filter((p) => !p.body.spec?.selector || selectorMatches(p.body.spec.selector, destination.labels));
  const principal = sourcePrincipal ? `cluster.local/ns/${sourcePrincipal.replace('/', '/sa/')}` : undefined;
  const sourceNamespace = 'cidr' in source ? undefined : source.namespace;
  const matches = (policy: ClusterObject) =>
    ((policy.body.spec?.rules ?? []) as Json[]).map((rule) =>
      ruleMatches(rule, principal, sourceNamespace, to.port),
    );
  const denying = onDestination
    .filter((p) => p.body.spec?.action === 'DENY')
    .filter((p) => matches(p).some((m) => m === true));
  if (denying.length > 0)
    return {
      allowed: false,
      side: 'ingress',
      policies: denying.map((p) => `AuthorizationPolicy ${p.namespace}/${p.name} (DENY)`),
    };
  const allowing = onDestination.filter((p) => (p.body.spec?.action ?? 'ALLOW') === 'ALLOW');
  if (allowing.length === 0) return undefined;
  const allowed = allowing.some((policy) => matches(policy).some((m) => m !== false));
  return allowed
    ? undefined
    : {
        allowed: false,
        side: 'ingress',
        policies: allowing.map(
          (p) =>
            `AuthorizationPolicy ${p.namespace}/${p.name}${(p.body.spec?.rules ?? []).length === 0 ? ' (ALLOW without rules: allows nothing)' : ''}`,
        ),
      };
}

/**
 * Namespaces whose NetworkPolicies let Prometheus in although nothing scrapes them: an opening
 * nobody uses is either a scrape someone forgot to configure or a hole to close.
 */
function unscrapedOpenings(model: ClusterModel, flows: readonly RequiredFlow[]): ClusterProblem[] {
  const prometheus = model.pods.find((p) => selectorMatches({ matchLabels: PROMETHEUS_POD_LABEL }, p.labels));
  if (!prometheus) return [];
  const scraped = new Set(
    flows
      .filter((f) => f.reason.startsWith('scrape by ') && !('cidr' in f.to))
      .map((f) => (f.to as Destination).namespace),
  );
  // Charts that turn on a monitor of their own scrape their own namespace.
  for (const app of model.tree.applications)
    if (app.namespace && chartScrapesItself(app.chart?.values)) scraped.add(app.namespace);
  const admitsPrometheus = (policy: ClusterObject) =>
    ((policy.body.spec?.ingress ?? []) as Json[]).some((rule) =>
      ((rule.from ?? []) as Json[]).some(
        (peer) =>
          peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === prometheus.namespace,
      ),
    );
  return model.tree
    .ofKind('NetworkPolicy')
    .filter(
      (p) =>
        p.namespace &&
        p.namespace !== prometheus.namespace &&
        !scraped.has(p.namespace) &&
        admitsPrometheus(p),
    )
    .map((policy) => ({
      cluster: model.tree.cluster,
      check: 'reachability' as const,
      object: describeObject(policy),
      file: policy.file,
      message: `lets Prometheus (namespace ${prometheus.namespace}) into ${policy.namespace}, but no ServiceMonitor, PodMonitor or chart's own monitor scrapes anything there`,
    }));
}

/** The ConfigMaps a pod spec mounts or reads its environment from. */
function configMapsOf(spec: Json | undefined): string[] {
  if (!spec) return [];
  return [
    ...new Set(
      podConfigRefs(spec)
        .filter((ref) => ref.kind === 'ConfigMap')
        .map((ref) => ref.name),
    ),
  ];
}

/** istiod's `meshConfig.extensionProviders[].opentelemetry` (service host and port), from its values in the tree. */
function meshTracingProviders(model: ClusterModel): { service: string; port: number }[] {
  const providers = (model.istiod?.chart?.values.meshConfig?.extensionProviders ?? []) as Json[];
  return providers
    .map((p) => p.opentelemetry)
    .filter(
      (o): o is { service: string; port: number } =>
        typeof o?.service === 'string' && typeof o?.port === 'number',
    );
}

/** The pods behind a Service named by its DNS name, on one of its ports. */
function serviceAt(model: ClusterModel, host: string, port: number): Destination[] {
  const [name, namespace] = host.split('.');
  return namespace ? behindService(model, namespace, name, port) : [];
}
