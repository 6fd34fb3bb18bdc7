import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatDiff, hasChanges } from '../../../tools/diff/format';
import { diffTrees } from '../../../tools/diff/semantic';
import { treeAtRef } from '../../../tools/tree/git';

const deployment = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: fraud-detector
  namespace: ml-serving
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: sidecar
          image: proxy:1
        - name: server
          image: ${image}
          ports:
            - containerPort: 8501
`;

/** The same Deployment with every mapping's keys in another order. */
const reorderedDeployment = `kind: Deployment
spec:
  template:
    spec:
      containers:
        - image: proxy:1
          name: sidecar
        - ports:
            - containerPort: 8501
          image: tfs:2.18.0
          name: server
  replicas: 2
metadata:
  namespace: ml-serving
  name: fraud-detector
apiVersion: apps/v1
`;

const configMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ml-serving
data:
  routes: "a,b,c"
`;

const networkPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ml-serving
spec:
  podSelector: {}
`;

const stack = (resources: Record<string, unknown>) =>
  JSON.stringify({ '//': { metadata: {} }, resource: { aws_eks_node_group: resources } });

const base = new Map([
  ['eks-prod/model-serving/Deployment.ml-serving.fraud-detector.yaml', deployment('tfs:2.18.0', 2)],
  ['eks-prod/model-serving/ConfigMap.ml-serving.routes.yaml', configMap('routes')],
  ['eks-prod/base/NetworkPolicy.ml-serving.default-deny.yaml', networkPolicy],
  ['eks-prod/gateway/ConfigMap.ml-serving.gateway-config.yaml', configMap('gateway-config')],
  [
    'terraform/eks-prod/cdk.tf.json',
    stack({
      ml: { '//': { path: 'a' }, capacity_type: 'SPOT', scaling_config: { desired_size: 3 } },
      gpu: { capacity_type: 'ON_DEMAND' },
    }),
  ],
  ['manifest.json', '{"resources": []}'],
]);

describe('semantic diff of rendered trees', () => {
  it('finds nothing when only key order and formatting differ', () => {
    const head = new Map(base);
    head.set('eks-prod/model-serving/Deployment.ml-serving.fraud-detector.yaml', reorderedDeployment);
    head.set('manifest.json', '{ "resources": [ ] }');
    const diff = diffTrees(base, head);
    expect(diff.resources).toEqual([]);
    expect(diff.terraform).toEqual([]);
    expect(hasChanges(diff)).toBe(false);
    expect(formatDiff(diff, 'text', 'main')).toBe('No rendered changes against main.\n');
  });

  it('reports added, removed, changed, moved and renamed resources with field paths', () => {
    const head = new Map(base);
    head.set('eks-prod/model-serving/Deployment.ml-serving.fraud-detector.yaml', deployment('tfs:2.19.0', 0));
    // Renamed: same content under another name.
    head.delete('eks-prod/model-serving/ConfigMap.ml-serving.routes.yaml');
    head.set('eks-prod/model-serving/ConfigMap.ml-serving.routing-table.yaml', configMap('routing-table'));
    // Moved: same object, another component folder.
    head.delete('eks-prod/gateway/ConfigMap.ml-serving.gateway-config.yaml');
    head.set('eks-prod/mesh/ConfigMap.ml-serving.gateway-config.yaml', configMap('gateway-config'));
    // Removed and added.
    head.delete('eks-prod/base/NetworkPolicy.ml-serving.default-deny.yaml');
    head.set('gke-prod/base/ConfigMap.ml-serving.extra.yaml', configMap('extra').replace('a,b,c', 'x'));

    const diff = diffTrees(base, head);
    const summary = diff.resources.map((c) => [
      c.type,
      'head' in c ? c.head.file : c.base.file,
      c.type === 'changed' ? c.fields : undefined,
    ]);
    expect(summary).toEqual([
      ['removed', 'eks-prod/base/NetworkPolicy.ml-serving.default-deny.yaml', undefined],
      ['moved', 'eks-prod/mesh/ConfigMap.ml-serving.gateway-config.yaml', undefined],
      ['renamed', 'eks-prod/model-serving/ConfigMap.ml-serving.routing-table.yaml', undefined],
      [
        'changed',
        'eks-prod/model-serving/Deployment.ml-serving.fraud-detector.yaml',
        [
          { path: 'spec.replicas', before: 2, after: 0 },
          // Containers are matched by name, not position.
          {
            path: 'spec.template.spec.containers[name=server].image',
            before: 'tfs:2.18.0',
            after: 'tfs:2.19.0',
          },
        ],
      ],
      ['added', 'gke-prod/base/ConfigMap.ml-serving.extra.yaml', undefined],
    ]);
    expect(diff.risky.map((r) => `${r.cluster} ${r.what}: ${r.reason}`)).toEqual([
      'eks-prod base: NetworkPolicy ml-serving/default-deny: deleted',
      'eks-prod base: NetworkPolicy ml-serving/default-deny: NetworkPolicy removed',
      'eks-prod model-serving: ConfigMap ml-serving/routes: deleted and recreated as ConfigMap ml-serving/routing-table',
      'eks-prod model-serving: Deployment ml-serving/fraud-detector: spec.replicas → 0',
      'eks-prod model-serving: Deployment ml-serving/fraud-detector: image tfs:2.18.0 → tfs:2.19.0',
    ]);
  });

  it('reports a new API version of the same object as a change, not a delete and an add', () => {
    const file = 'eks-prod/mesh/PeerAuthentication.istio-system.default.yaml';
    const policy = (apiVersion: string) =>
      `apiVersion: ${apiVersion}\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT\n`;
    const diff = diffTrees(
      new Map([[file, policy('security.istio.io/v1beta1')]]),
      new Map([[file, policy('security.istio.io/v1')]]),
    );
    expect(diff.resources.map((c) => [c.type, c.type === 'changed' ? c.fields : []])).toEqual([
      [
        'changed',
        [{ path: 'apiVersion', before: 'security.istio.io/v1beta1', after: 'security.istio.io/v1' }],
      ],
    ]);
    // A change of a PeerAuthentication is risky; nothing was deleted.
    expect(diff.risky.map((r) => r.reason)).toEqual(['PeerAuthentication changed']);
  });

  it('reads lists of plain values as sets: what came and what went, not shifted indexes', () => {
    const project = (repos: string[]) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: platform\n  namespace: argocd\nspec:\n  sourceRepos: ${JSON.stringify(repos)}\n`;
    const file = 'eks-prod/argocd/AppProject.argocd.platform.yaml';
    const diff = diffTrees(
      new Map([[file, project(['a', 'c', 'd'])]]),
      new Map([[file, project(['a', 'b', 'c'])]]),
    );
    expect(diff.resources[0]).toMatchObject({
      type: 'changed',
      fields: [
        { path: 'spec.sourceRepos[]', before: 'd' },
        { path: 'spec.sourceRepos[]', after: 'b' },
      ],
    });
  });

  it('reports Terraform resource changes and ignores the cdktf metadata', () => {
    const head = new Map(base);
    head.set(
      'terraform/eks-prod/cdk.tf.json',
      stack({
        ml: { '//': { path: 'moved' }, capacity_type: 'SPOT', scaling_config: { desired_size: 4 } },
        general: { capacity_type: 'ON_DEMAND' },
      }),
    );
    const diff = diffTrees(base, head);
    expect(diff.terraform).toEqual([
      { stack: 'eks-prod', address: 'resource.aws_eks_node_group.general', type: 'added', fields: [] },
      { stack: 'eks-prod', address: 'resource.aws_eks_node_group.gpu', type: 'removed', fields: [] },
      {
        stack: 'eks-prod',
        address: 'resource.aws_eks_node_group.ml',
        type: 'changed',
        fields: [{ path: 'scaling_config.desired_size', before: 3, after: 4 }],
      },
    ]);
    expect(diff.risky).toEqual([
      { cluster: 'eks-prod', what: 'terraform: resource.aws_eks_node_group.gpu', reason: 'destroyed' },
    ]);
  });

  it('reports the flows, namespaces, scrape targets and chart objects components declare, by name', () => {
    const flow = (ports: number[], reason = 'spans are exported to the OpenTelemetry collector') => ({
      reason,
      from: { namespace: 'ml-platform' },
      to: { namespace: 'tracing' },
      ports,
    });
    const declarations = (gateway: Record<string, unknown>) =>
      JSON.stringify({
        gateway,
        tracing: { namespaces: [{ name: 'tracing', podSecurity: 'restricted', mesh: true }] },
      });
    const gateway = {
      namespaces: [{ name: 'ml-platform', podSecurity: 'restricted', mesh: true }],
      flows: [flow([4317])],
      scrapeTargets: [
        {
          name: 'gateway',
          via: 'service',
          selector: { app: 'gateway' },
          port: { name: 'http' },
          interval: '15s',
        },
      ],
      chartObjects: {
        releases: ['gateway'],
        services: [{ namespace: 'ml-platform', name: 'gateway', selector: {}, ports: [] }],
      },
    };
    const file = 'eks-prod/contributions.json';
    const before = new Map([...base, [file, declarations(gateway)]]);
    const after = new Map([
      ...base,
      [
        file,
        declarations({
          ...gateway,
          // The flow to tracing gains a port, and a new flow to the API server.
          flows: [
            flow([4317, 4318]),
            {
              reason: 'reads its keys',
              from: { namespace: 'ml-platform', pods: { app: 'gateway' } },
              to: { apiServer: true },
              ports: [443],
            },
          ],
          scrapeTargets: [{ ...gateway.scrapeTargets[0], interval: '30s' }],
          chartObjects: { releases: ['gateway'], services: [] },
        }),
      ],
    ]);
    const diff = diffTrees(before, after);
    expect(diff.resources).toEqual([]);
    expect(hasChanges(diff)).toBe(true);
    expect(diff.declarations.map((c) => [c.component, c.type, c.section, c.item, c.fields])).toEqual([
      ['gateway', 'removed', 'chart Service', 'ml-platform/gateway', []],
      ['gateway', 'changed', 'flow', 'ml-platform → tracing:4317,4318', [{ path: 'ports[]', after: 4318 }]],
      ['gateway', 'added', 'flow', 'ml-platform{app=gateway} → the API server:443', []],
      ['gateway', 'changed', 'scrape target', 'gateway', [{ path: 'interval', before: '15s', after: '30s' }]],
    ]);
    const text = formatDiff(diff, 'text', 'main');
    expect(text).toContain(
      'eks-prod: 0 added, 0 removed, 0 changed, 0 renamed or moved, 0 terraform, 4 declarations',
    );
    expect(text).toContain(
      [
        '== eks-prod',
        '  [gateway]',
        '    - chart Service ml-platform/gateway',
        '    ~ flow ml-platform → tracing:4317,4318',
        '        ports[]: + 4318',
        '    + flow ml-platform{app=gateway} → the API server:443 (reads its keys)',
      ].join('\n'),
    );
    const md = formatDiff(diff, 'md', 'main');
    expect(md).toContain('| eks-prod | 0 | 0 | 0 | 0 | 0 | 4 |');
    expect(md).toContain('- `+ flow ml-platform{app=gateway} → the API server:443 (reads its keys)`');
    // The same declarations with keys in another order are no change.
    const reordered = new Map([
      ...base,
      [file, JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(declarations(gateway))).reverse()))],
    ]);
    expect(diffTrees(before, reordered).declarations).toEqual([]);
  });

  it('names a declarations file that is not JSON', () => {
    expect(() => diffTrees(base, new Map([...base, ['gke-prod/contributions.json', '{']]))).toThrow(
      /gke-prod\/contributions.json: not JSON/,
    );
  });

  it('renders Markdown with risky changes first, a summary table and a section per cluster', () => {
    const head = new Map(base);
    head.set('eks-prod/model-serving/Deployment.ml-serving.fraud-detector.yaml', deployment('tfs:2.18.0', 3));
    head.delete('eks-prod/base/NetworkPolicy.ml-serving.default-deny.yaml');
    const md = formatDiff(diffTrees(base, head), 'md', 'main');
    const risky = md.indexOf('risky change');
    const table = md.indexOf('| Cluster | Added |');
    const details = md.indexOf('<details><summary><b>eks-prod</b>');
    expect(risky).toBeGreaterThan(0);
    expect(table).toBeGreaterThan(risky);
    expect(details).toBeGreaterThan(table);
    expect(md).toContain('| eks-prod | 0 | 1 | 1 | 0 | 0 | 0 |');
    expect(md).toContain('`spec.replicas: 2 → 3`');
  });
});

describe('the base tree from git', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'diff-git-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
    git('init', '-q');
    for (const [file, content] of base) {
      mkdirSync(dirname(join(repo, 'dist', file)), { recursive: true });
      writeFileSync(join(repo, 'dist', file), content);
    }
    git('add', '.');
    git('commit', '-q', '-m', 'base');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('reads every file of dist/ at a commit, byte for byte', () => {
    expect(treeAtRef('HEAD', repo)).toEqual(base);
  });

  it('names the ref it cannot read', () => {
    expect(() => treeAtRef('no-such-branch', repo)).toThrow('cannot read dist/ at no-such-branch');
  });
});
