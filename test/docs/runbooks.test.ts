import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDeclaredFleet } from '../../clusters';
import { repositoryFileUrl } from '../../clusters/repository';
import { COST } from '../../platform/cost';
import { ELASTICSEARCH, LOGGING_NAMESPACE } from '../../platform/logging/settings';
import { EASTWEST_GATEWAY, ISTIO_NAMESPACE } from '../../platform/mesh/workloads';
import { EXPORTED_SERIES } from '../../platform/monitoring/exporters';
import { RUNBOOKS_FOLDER, runbookPath } from '../../platform/monitoring/rules';
import { MONITORING_NAMESPACE, PUSHGATEWAY } from '../../platform/monitoring/services';
import { EXTERNAL_SECRETS } from '../../platform/secrets';
import { renderFleet } from '../../tools/synth/render';
import { metricNames } from '../platform/monitoring/promql';

/**
 * Every alert the fleet renders links its runbook, and every runbook belongs
 * to an alert: a new alert without a runbook, a runbook missing a section, or
 * a runbook left behind by a removed alert fails here.
 */
const ROOT = join(__dirname, '..', '..');
type Json = Record<string, any>;

/** The sections every runbook has, in this order, each with something in it. */
const RUNBOOK_SECTIONS = ['Meaning', 'Confirm', 'Mitigate', 'Escalate'] as const;
/** Sections that must give exact commands, in a fenced code block. */
const SECTIONS_WITH_COMMANDS = new Set(['Confirm', 'Mitigate']);

/** An alert as found in a rendered PrometheusRule. */
interface RenderedAlert {
  readonly where: string;
  readonly alert: string;
  readonly runbookUrl: string | undefined;
}

/** The text of each `## ` section of a Markdown page. */
function sections(markdown: string): Map<string, string> {
  const found = new Map<string, string>();
  let current: string | undefined;
  for (const line of markdown.split('\n')) {
    const heading = line.match(/^##\s+(.+?)\s*$/)?.[1];
    if (heading !== undefined) {
      current = heading;
      found.set(current, '');
    } else if (current !== undefined) {
      found.set(current, `${found.get(current)}${line}\n`);
    }
  }
  return found;
}

/** What is wrong with one runbook page, each problem naming the file. */
function runbookProblems(file: string, name: string): string[] {
  if (!existsSync(file)) return [`${name}: no runbook file`];
  const page = sections(readFileSync(file, 'utf8'));
  const problems: string[] = [];
  const present = [...page.keys()].filter((s) => (RUNBOOK_SECTIONS as readonly string[]).includes(s));
  if (present.join() !== RUNBOOK_SECTIONS.filter((s) => page.has(s)).join()) {
    problems.push(`${name}: sections out of order (${present.join(', ')})`);
  }
  for (const section of RUNBOOK_SECTIONS) {
    const text = page.get(section);
    if (text === undefined) problems.push(`${name}: no "## ${section}" section`);
    else if (text.trim() === '') problems.push(`${name}: "## ${section}" is empty`);
    else if (SECTIONS_WITH_COMMANDS.has(section) && !/^```/m.test(text)) {
      problems.push(`${name}: "## ${section}" gives no command block`);
    }
  }
  return problems;
}

/**
 * Every problem of a set of alerts against a runbook folder: an alert without
 * `runbook_url` or with another link than `expectedUrl(alert)`, a missing or
 * incomplete runbook, a runbook no alert links.
 */
function problems(
  alerts: readonly RenderedAlert[],
  root: string,
  expectedUrl: (alert: string) => string,
): string[] {
  const found: string[] = [];
  for (const { where, alert, runbookUrl } of alerts) {
    if (runbookUrl === undefined) found.push(`${where}: ${alert} has no runbook_url`);
    else if (runbookUrl !== expectedUrl(alert)) {
      found.push(`${where}: ${alert} links ${runbookUrl}, not ${expectedUrl(alert)}`);
    }
  }
  const names = new Set(alerts.map((a) => a.alert));
  for (const alert of [...names].sort()) {
    found.push(...runbookProblems(join(root, runbookPath(alert)), runbookPath(alert)));
  }
  const folder = join(root, RUNBOOKS_FOLDER);
  const files = existsSync(folder) ? readdirSync(folder) : [];
  for (const file of files.sort()) {
    if (!file.endsWith('.md') || !names.has(file.slice(0, -3))) {
      found.push(`${RUNBOOKS_FOLDER}/${file}: a runbook for no alert the fleet renders`);
    }
  }
  return found;
}

/** Every alerting rule of every PrometheusRule the fleet renders. */
function renderedAlerts(): RenderedAlert[] {
  const tree = renderFleet(loadDeclaredFleet());
  return tree.resources
    .filter((r) => r.kind === 'PrometheusRule')
    .flatMap((r) =>
      ((r.object as Json).spec.groups as Json[]).flatMap((group) =>
        (group.rules as Json[])
          .filter((rule) => rule.alert)
          .map((rule) => ({ where: r.file, alert: rule.alert, runbookUrl: rule.annotations?.runbook_url })),
      ),
    );
}

/** kubectl's short resource names the runbooks use, by the kind they name. */
const KINDS: Record<string, string> = {
  deploy: 'Deployment',
  deployment: 'Deployment',
  cronjob: 'CronJob',
  svc: 'Service',
  service: 'Service',
  externalsecret: 'ExternalSecret',
  application: 'Application',
  hpa: 'HorizontalPodAutoscaler',
  resourcequota: 'ResourceQuota',
  networkpolicy: 'NetworkPolicy',
  prometheusrule: 'PrometheusRule',
  configmap: 'ConfigMap',
  secret: 'Secret',
};

/** An object a kubectl command of a runbook names: `Kind/namespace/name`. */
interface Named {
  readonly page: string;
  readonly namespace: string | undefined;
  readonly ref: string;
}

/**
 * The namespaces and named objects of the kubectl commands in a page's code
 * blocks. Names built from shell variables (`"$DEPLOYMENT"`) are the alert's
 * labels and are not checked.
 */
function kubectlNames(page: string, markdown: string): { namespaces: string[]; objects: Named[] } {
  const blocks = [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const commands = blocks.flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'));
  const namespaces: string[] = [];
  const objects: Named[] = [];
  const literal = (token: string | undefined) => token !== undefined && /^[a-z0-9][a-z0-9.-]*$/.test(token);
  for (const command of commands) {
    for (const part of command.split(/\||&&|;|\$\(/)) {
      const tokens = part.trim().split(/\s+/);
      if (tokens[0] !== 'kubectl') continue;
      const n = tokens.indexOf('-n');
      const namespace = n >= 0 ? tokens[n + 1] : undefined;
      if (literal(namespace)) namespaces.push(namespace as string);
      tokens.forEach((token, index) => {
        const slash = token.match(/^([a-z]+)\/([a-z0-9][a-z0-9.-]*)$/);
        if (slash && KINDS[slash[1]] && index > 0 && tokens[index - 1] !== '-f') {
          objects.push({ page, namespace, ref: `${KINDS[slash[1]]}/${slash[2]}` });
        }
        const next = tokens[index + 1];
        if (
          KINDS[token] &&
          ['get', 'describe', 'annotate', 'delete', 'patch'].includes(tokens[index - 1]) &&
          literal(next)
        ) {
          objects.push({ page, namespace, ref: `${KINDS[token]}/${next}` });
        }
      });
    }
  }
  return { namespaces, objects };
}

/**
 * The PromQL of a page's `promql '<expr>'` commands (the helper of docs/runbooks.md),
 * with a label value spliced in from a shell variable read as a plain value.
 */
function promqlQueries(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    [...block.replace(/'"\$[A-Z_]+"'/g, 'value').matchAll(/\bpromql '([^']+)'/g)].map((m) => m[1]),
  );
}

/**
 * Objects the platform's charts create rather than render into dist/, by the
 * names the components give them, and what runs create.
 */
const CHART_OBJECTS = [
  `Deployment/${ISTIO_NAMESPACE}/istiod`,
  `Deployment/${ISTIO_NAMESPACE}/${EASTWEST_GATEWAY.name}`,
  `Deployment/${EXTERNAL_SECRETS.namespace}/${EXTERNAL_SECRETS.release}`,
  // The opencost chart's Deployment, named as the release (platform/cost/names.ts).
  `Deployment/${COST.namespace}/${COST.fullname}`,
  // kube-prometheus-stack's Prometheus Service, `<fullnameOverride>-prometheus` (platform/monitoring/stack.ts).
  `Service/${MONITORING_NAMESPACE}/kube-prometheus-stack-prometheus`,
  `Service/${MONITORING_NAMESPACE}/${PUSHGATEWAY.service}`,
  // ECK creates them for the Elasticsearch it runs (platform/logging/settings.ts).
  `Service/${LOGGING_NAMESPACE}/${ELASTICSEARCH.name}-es-http`,
  `Secret/${LOGGING_NAMESPACE}/${ELASTICSEARCH.superuserSecret}`,
  // cluster-autoscaler writes its status there (EKS).
  'ConfigMap/kube-system/cluster-autoscaler-status',
];

describe('runbooks', () => {
  const fleet = loadDeclaredFleet();
  const alerts = renderedAlerts();
  const expectedUrl = (alert: string) => repositoryFileUrl(fleet.settings, runbookPath(alert));

  it('every rendered alert links its runbook, every runbook is complete and belongs to an alert', () => {
    expect(alerts.length).toBeGreaterThan(0);
    expect(problems(alerts, ROOT, expectedUrl)).toEqual([]);
  });

  it('name only namespaces and objects the platform has', () => {
    const tree = renderFleet(fleet);
    const existing = new Set([
      ...CHART_OBJECTS,
      ...tree.resources.map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`),
      // An ExternalSecret writes the Secret of its target name.
      ...tree.resources
        .filter((r) => r.kind === 'ExternalSecret')
        .map((r) => `Secret/${r.namespace}/${(r.object as Json).spec.target?.name ?? r.name}`),
    ]);
    const namespaces = new Set([
      'kube-system',
      ...tree.resources.filter((r) => r.kind === 'Namespace').map((r) => r.name),
    ]);
    const runbookDir = join(ROOT, RUNBOOKS_FOLDER);
    const pages = [
      ...readdirSync(runbookDir).map((file) => join(RUNBOOKS_FOLDER, file)),
      'docs/runbooks.md',
      'docs/disaster-recovery.md',
    ];
    const unknown: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const found = kubectlNames(page, readFileSync(join(ROOT, page), 'utf8'));
      for (const namespace of found.namespaces) {
        if (!namespaces.has(namespace)) unknown.push(`${page}: namespace ${namespace}`);
      }
      for (const { namespace, ref } of found.objects) {
        checked += 1;
        const [kind, name] = ref.split('/');
        const key = `${kind}/${namespace ?? ''}/${name}`;
        if (!existing.has(key)) unknown.push(`${page}: ${kind} ${name} in ${namespace ?? '(no namespace)'}`);
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(unknown).toEqual([]);
  });

  it('query only metrics something exports or the rules record', () => {
    const tree = renderFleet(fleet);
    const recorded = tree.resources
      .filter((r) => r.kind === 'PrometheusRule')
      .flatMap((r) =>
        ((r.object as Json).spec.groups as Json[]).flatMap((g) => g.rules.map((rule: Json) => rule.record)),
      )
      .filter(Boolean);
    const allowed = new Set([...Object.values(EXPORTED_SERIES).flat(), ...recorded]);
    const unknown: string[] = [];
    let queries = 0;
    for (const file of readdirSync(join(ROOT, RUNBOOKS_FOLDER))) {
      for (const query of promqlQueries(readFileSync(join(ROOT, RUNBOOKS_FOLDER, file), 'utf8'))) {
        queries += 1;
        for (const name of metricNames(query)) if (!allowed.has(name)) unknown.push(`${file}: ${name}`);
      }
    }
    expect(queries).toBeGreaterThan(30);
    expect(unknown).toEqual([]);
  });

  it('the runbook index links every runbook', () => {
    const index = readFileSync(join(ROOT, 'docs', 'runbooks.md'), 'utf8');
    const missing = [...new Set(alerts.map((a) => a.alert))].filter(
      (alert) => !index.includes(`](runbooks/${alert}.md)`),
    );
    expect(missing).toEqual([]);
  });

  it('links point into the repository at the tracked revision', () => {
    expect(expectedUrl('ModelServingDown')).toBe(
      `${fleet.settings.repoUrl.replace(/\.git$/, '')}/blob/${fleet.settings.targetRevision}/docs/runbooks/ModelServingDown.md`,
    );
    expect(() => repositoryFileUrl(fleet.settings, '../outside.md')).toThrow(
      /relative to the repository root/,
    );
  });
});

describe('the runbook check', () => {
  it('finds the PromQL of promql commands, with spliced shell variables', () => {
    const page = ['```sh', `promql 'up{job="a"}'`, `promql 'x{provider="'"$PROVIDER"'"} > 0'`, '```'].join(
      '\n',
    );
    expect(promqlQueries(page)).toEqual(['up{job="a"}', 'x{provider="value"} > 0']);
  });

  it('finds the namespaces and objects of kubectl commands, not those built from variables', () => {
    const page = [
      '```sh',
      'kubectl --context "$C" -n ml-serving rollout restart deploy/gateway',
      'kubectl -n monitoring get prometheusrule ml-platform -o yaml | grep x',
      'kubectl -n "$NS" delete pod "$POD"',
      'kubectl -n ml-serving logs job/"$(kubectl -n ml-serving get jobs -o name)" \\',
      '  -c rclone',
      '```',
      'kubectl -n prose get deploy outside-a-block',
    ].join('\n');
    expect(kubectlNames('p.md', page)).toEqual({
      namespaces: ['ml-serving', 'monitoring', 'ml-serving', 'ml-serving'],
      objects: [
        { page: 'p.md', namespace: 'ml-serving', ref: 'Deployment/gateway' },
        { page: 'p.md', namespace: 'monitoring', ref: 'PrometheusRule/ml-platform' },
      ],
    });
  });

  const complete = [
    '# A',
    '## Meaning',
    'x',
    '## Confirm',
    '```sh',
    'kubectl get pods',
    '```',
    '## Mitigate',
    '```sh',
    'kubectl rollout restart deploy/a',
    '```',
    '## Escalate',
    'y',
  ].join('\n');

  it('reports a missing annotation, a wrong link, a missing file or section, and an orphan runbook', () => {
    const root = mkdtempSync(join(tmpdir(), 'runbooks-'));
    try {
      mkdirSync(join(root, RUNBOOKS_FOLDER), { recursive: true });
      const write = (name: string, text: string) => writeFileSync(join(root, runbookPath(name)), text);
      write('Complete', complete);
      write('NoEscalate', complete.replace(/## Escalate\ny/, ''));
      write('NoCommands', complete.replace(/```sh\nkubectl rollout restart deploy\/a\n```/, 'restart it'));
      write('Orphan', complete);
      const url = (alert: string) => `https://git.example.com/r/blob/main/${runbookPath(alert)}`;
      const found = problems(
        [
          { where: 'f.yaml', alert: 'Complete', runbookUrl: url('Complete') },
          { where: 'f.yaml', alert: 'NoEscalate', runbookUrl: url('NoEscalate') },
          { where: 'f.yaml', alert: 'NoCommands', runbookUrl: 'https://elsewhere.example.com/x' },
          { where: 'f.yaml', alert: 'Missing', runbookUrl: undefined },
        ],
        root,
        url,
      );
      expect(found).toEqual([
        'f.yaml: NoCommands links https://elsewhere.example.com/x, not https://git.example.com/r/blob/main/docs/runbooks/NoCommands.md',
        'f.yaml: Missing has no runbook_url',
        'docs/runbooks/Missing.md: no runbook file',
        'docs/runbooks/NoCommands.md: "## Mitigate" gives no command block',
        'docs/runbooks/NoEscalate.md: no "## Escalate" section',
        'docs/runbooks/Orphan.md: a runbook for no alert the fleet renders',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
