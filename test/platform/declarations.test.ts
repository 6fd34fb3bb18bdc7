import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadDeclaredFleet } from '../../clusters';
import { cloudWorkloadsFor } from '../../clusters/workloads';
import type { CloudProfile } from '../../platform/clouds/profile';
import { componentsFor } from '../../platform/components';
import type { Component } from '../../platform/kernel/chart';
import type { ClusterDeclarations, Contribution } from '../../platform/kernel/contribution';
import { declarationProblems, namespacePolicies } from '../../platform/kernel/flows';
import { MONITORING_NAMESPACE } from '../../platform/monitoring/services';
import { checkClusterTree } from '../../tools/check-cluster/check';
import { declaredClouds } from '../../tools/check-cluster/clouds';
import { NetworkPolicies } from '../../tools/check-cluster/network-policies';
import { formatProblem } from '../../tools/check-cluster/problem';
import { readClusterTree } from '../../tools/check-cluster/tree';
import {
  type RenderedResource,
  recordedContext,
  renderCluster,
  SynthesisError,
} from '../../tools/synth/render';
import { synthesize } from '../../tools/synth/synthesize';
import { readContributions } from '../../tools/tree/contributions';
import { declaredFor } from './declared';
import { flagsComponent } from './example-component';
import { FLAGS, FLAGS_TARGET, flagsContribution } from './example-component/contributes';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();

/** Prometheus' pods, as kube-prometheus-stack labels them. */
const PROMETHEUS_POD = {
  namespace: MONITORING_NAMESPACE,
  labels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'kube-prometheus-stack-prometheus' },
};

/** The NetworkPolicies of rendered objects, as check:cluster evaluates them. */
function clusterPolicies(resources: readonly RenderedResource[]): NetworkPolicies {
  return new NetworkPolicies(
    resources.map((r) => ({
      file: r.file,
      component: r.component,
      apiVersion: String(r.object.apiVersion),
      kind: r.kind,
      name: r.name,
      namespace: r.namespace,
      body: r.object,
    })),
  );
}

/** Whether both ends' policies let a pod reach another on a port. */
function allows(
  policies: NetworkPolicies,
  source: Parameters<NetworkPolicies['egress']>[0],
  destination: Parameters<NetworkPolicies['ingress']>[1],
): boolean {
  return policies.egress(source, destination).allowed && policies.ingress(source, destination).allowed;
}

/** The cluster's components with `extra` added just before Argo CD, which describes the others and comes last. */
function withComponent(extra: Component) {
  return (_cluster: (typeof fleet.clusters)[number], profile: CloudProfile): readonly Component[] => {
    const components = [...componentsFor(profile)];
    components.splice(components.length - 1, 0, extra);
    return components;
  };
}

describe('a component added to the registry, and nothing else', () => {
  let out: string;
  let resources: RenderedResource[];
  const cluster = fleet.clusters[0];

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'declarations-'));
    const result = synthesize({ outDir: out, components: withComponent(flagsComponent) });
    resources = result.resources
      .filter((entry) => entry.cluster === cluster.name)
      .map((entry) => ({ ...entry, object: parse(readFileSync(join(out, entry.file), 'utf8')) as Json }));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const find = (kind: string, name: string, namespace?: string) =>
    resources.find((r) => r.kind === kind && r.name === name && r.namespace === namespace)?.object as
      | Json
      | undefined;

  it('gets its namespace, with the Pod Security level it declares', () => {
    const namespace = find('Namespace', FLAGS.namespace);
    expect(namespace?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(resources.find((r) => r.kind === 'Namespace' && r.name === FLAGS.namespace)?.component).toBe(
      'base',
    );
    expect(find('NetworkPolicy', 'default-deny', FLAGS.namespace)).toBeDefined();
  });

  it('gets both ends of its flow, and nothing more', () => {
    const policies = clusterPolicies(resources);
    const flagd = { namespace: FLAGS.namespace, port: FLAGS.port };
    // The gateway's namespace may send (egress) and the component's may receive (ingress).
    expect(policies.egress({ namespace: 'ml-platform' }, flagd).allowed).toBe(true);
    expect(policies.ingress({ namespace: 'ml-platform' }, flagd).allowed).toBe(true);
    expect(allows(policies, { namespace: 'ml-platform' }, { ...flagd, port: 9999 })).toBe(false);
    expect(allows(policies, { namespace: 'ml-serving' }, flagd)).toBe(false);
    const ingress = find('NetworkPolicy', 'allow-ingress', FLAGS.namespace);
    expect(ingress?.metadata.annotations['ml-platform.io/rule-reasons']).toContain(
      'the gateway asks which model variant to route to',
    );
  });

  it('is scraped: its monitor is rendered and the scrape target alone lets Prometheus in on its port', () => {
    const monitor = find('ServiceMonitor', FLAGS_TARGET.name, MONITORING_NAMESPACE);
    expect(monitor?.spec).toEqual({
      namespaceSelector: { matchNames: [FLAGS.namespace] },
      selector: { matchLabels: { 'app.kubernetes.io/name': FLAGS.release } },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
    const policies = clusterPolicies(resources);
    expect(allows(policies, PROMETHEUS_POD, { namespace: FLAGS.namespace, port: FLAGS.metricsPort })).toBe(
      true,
    );
    // No flow opens another port to Prometheus.
    expect(allows(policies, PROMETHEUS_POD, { namespace: FLAGS.namespace, port: FLAGS.port })).toBe(false);
    const ingress = find('NetworkPolicy', 'allow-ingress', FLAGS.namespace);
    expect(ingress?.metadata.annotations['ml-platform.io/rule-reasons']).toContain(
      `Prometheus scrapes ${FLAGS_TARGET.name}`,
    );
  });

  it("has its chart's pods labelled with its team, as check:cluster reads the tree", () => {
    const application = find('Application', FLAGS.release, 'argocd');
    expect(application?.spec.source.helm.valuesObject.podLabels).toEqual({ team: 'ml-serving' });
    const teamProblems = checkClusterTree(readClusterTree(out, cluster.name), declaredClouds()(cluster.name))
      .filter((problem) => problem.check === 'team-labels')
      .map(formatProblem);
    expect(teamProblems).toEqual([]);
  });

  it('has its Helm release installed by Argo CD and its objects in its own folder', () => {
    const application = find('Application', FLAGS.release, 'argocd');
    expect(application?.spec.source).toMatchObject({ chart: 'flagd', targetRevision: '1.0.0' });
    expect(application?.spec.destination.namespace).toBe(FLAGS.namespace);
    expect(resources.find((r) => r.kind === 'ConfigMap' && r.name === 'flags')?.file).toBe(
      `${cluster.name}/feature-flags/ConfigMap.${FLAGS.namespace}.flags.yaml`,
    );
  });

  it("is listed in the cluster's contributions.json with what it declares", () => {
    const declared = readContributions(out, cluster.name);
    expect(declared?.get('feature-flags')).toEqual(flagsContribution());
    // Every component of the cluster is listed, each under its name.
    expect([...(declared?.keys() ?? [])].sort()).toEqual(
      withComponent(flagsComponent)(cluster, recordedContext(cluster).profile)
        .map((c) => c.name)
        .sort(),
    );
  });
});

describe('bad declarations are synthesis errors naming the component and the declaration', () => {
  const cluster = fleet.clusters[0];
  const stray: Component = {
    name: 'stray',
    project: 'platform',
    build: flagsComponent.build,
    contributes: (): Contribution => ({
      flows: [
        {
          reason: 'reports to a collector',
          from: { namespace: 'ml-platform' },
          to: { namespace: 'nowhere' },
        },
      ],
    }),
  };

  it('rejects a flow to a namespace no component declares', () => {
    let error: unknown;
    try {
      renderCluster(fleet, cluster, withComponent(stray)(cluster, recordedContext(cluster).profile));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as SynthesisError).problems).toEqual([
      `${cluster.name}: stray: flow "reports to a collector" (namespace ml-platform → namespace nowhere): ` +
        'its destination namespace "nowhere" is declared by no component of the cluster',
    ]);
  });

  it('rejects a namespace two components declare, a flow declared twice, and a scrape target looking in an undeclared namespace', () => {
    const declarations: ClusterDeclarations = new Map<string, Contribution>([
      [
        'one',
        {
          namespaces: [{ name: 'shared', podSecurity: 'restricted', mesh: false }],
          flows: [{ reason: 'calls out', from: { namespace: 'shared' }, to: { anyNamespace: true } }],
        },
      ],
      [
        'two',
        {
          namespaces: [{ name: 'shared', podSecurity: 'baseline', mesh: false }],
          flows: [{ reason: 'one calls two', from: { namespace: 'shared' }, to: { anyNamespace: true } }],
          scrapeTargets: [{ ...FLAGS_TARGET, namespaces: ['elsewhere'] }],
        },
      ],
      ['monitoring', { scraper: { namespace: 'shared' } }],
    ]);
    expect(declarationProblems(declarations)).toEqual([
      'two: namespace "shared" is already declared by one',
      'two: flow "one calls two" (namespace shared → any namespace) is already declared by one',
      `two: scrape target "${FLAGS_TARGET.name}": its destination namespace "elsewhere" is declared by no component of the cluster`,
    ]);
  });
});

describe('policies from flows', () => {
  const namespace = (name: string) => ({ name, podSecurity: 'restricted' as const, mesh: false });
  const rulesOf = (declarations: ClusterDeclarations, name: string) =>
    namespacePolicies(declarations).find((p) => p.namespace.name === name);

  it('give each flow its two ends, and only the ends inside the cluster', () => {
    const declarations: ClusterDeclarations = new Map<string, Contribution>([
      [
        'a',
        {
          namespaces: [namespace('a')],
          flows: [
            {
              reason: 'a calls b',
              from: { namespace: 'a' },
              to: { namespace: 'b', pods: { app: 'b' } },
              ports: [80],
            },
            { reason: 'a watches', from: { namespace: 'a' }, to: { apiServer: true }, ports: [443] },
            { reason: 'within a', from: { namespace: 'a' }, to: { namespace: 'a' } },
          ],
        },
      ],
      ['b', { namespaces: [namespace('b')] }],
    ]);
    expect(rulesOf(declarations, 'a')).toMatchObject({
      owner: 'a',
      ingress: [],
      egress: [
        { reason: 'a calls b', peers: [{ namespace: 'b', pods: { app: 'b' } }], ports: [80] },
        { reason: 'a watches', peers: [{ cidr: '0.0.0.0/0' }], ports: [443] },
      ],
    });
    expect(rulesOf(declarations, 'b')).toMatchObject({
      ingress: [{ reason: 'a calls b', peers: [{ namespace: 'a' }], ports: [80] }],
      egress: [],
    });
  });

  it('merge ends with one reason and one port list, and drop an end a broader rule of the namespace already opens', () => {
    const declarations: ClusterDeclarations = new Map<string, Contribution>([
      [
        'hub',
        {
          namespaces: [namespace('hub')],
          scraper: { namespace: 'hub' },
          flows: [{ reason: 'hub reaches everyone', from: { namespace: 'hub' }, to: { anyNamespace: true } }],
        },
      ],
      [
        'x',
        {
          namespaces: [namespace('x')],
          flows: [{ reason: 'spans', from: { namespace: 'x' }, to: { namespace: 'hub' }, ports: [4317] }],
          scrapeTargets: [{ ...FLAGS_TARGET, name: 'x', namespaces: ['x'] }],
        },
      ],
      [
        'y',
        {
          namespaces: [namespace('y')],
          flows: [{ reason: 'spans', from: { namespace: 'y' }, to: { namespace: 'hub' }, ports: [4317] }],
        },
      ],
    ]);
    const hub = rulesOf(declarations, 'hub');
    expect(hub?.ingress).toEqual([
      { reason: 'spans', peers: [{ namespace: 'x' }, { namespace: 'y' }], ports: [4317] },
    ]);
    // The scrape of x is covered by hub's egress to every namespace; x still admits it on its port.
    expect(hub?.egress).toEqual([{ reason: 'hub reaches everyone', peers: [{ anyNamespace: true }] }]);
    expect(rulesOf(declarations, 'x')?.ingress).toEqual([
      { reason: 'Prometheus scrapes x', peers: [{ namespace: 'hub' }], ports: [FLAGS_TARGET.port.number] },
    ]);
  });
});

describe('cloud workloads', () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    'the stacks of %s get exactly the workloads its components declare',
    (_name, cluster) => {
      const declared = [...declaredFor(fleet, cluster).values()].flatMap((c) => c.cloudWorkloads ?? []);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect([...cloudWorkloadsFor(cluster.cloud)].sort(byName)).toEqual([...declared].sort(byName));
    },
  );
});
