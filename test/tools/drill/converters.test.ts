import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadDeclaredFleet } from '../../../clusters';
import { alertmanagerConfigToYaml, UNROUTED_RECEIVER } from '../../../tools/drill/alertmanager-config';
import { ConversionError, prometheusRuleToRulesFile } from '../../../tools/drill/prometheus-rules';
import { readRenderedCluster } from '../../../tools/drill/rendered';
import { DIST_DIR } from '../../../tools/tree/layout';

/**
 * The converters against the rendered tree itself, checked by the real promtool and amtool
 * (Debian's prometheus and prometheus-alertmanager packages): a missing tool fails the test.
 */
const clusters = loadDeclaredFleet().clusters.map((c) => readRenderedCluster(DIST_DIR, c.name));
const work = mkdtempSync(join(tmpdir(), 'drill-converters-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tool(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${command} is not installed (${result.error.message})`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

describe('PrometheusRule → rules file', () => {
  it.each(clusters.map((c) => [c.cluster, c]))(
    '%s: promtool accepts every converted rule file',
    (_name, cluster) => {
      expect(cluster.prometheusRules.length).toBeGreaterThan(0);
      for (const [i, rule] of cluster.prometheusRules.entries()) {
        const file = join(work, `${cluster.cluster}-${i}.yml`);
        writeFileSync(file, stringify(prometheusRuleToRulesFile(rule.object, rule.file)));
        expect(tool('promtool', ['check', 'rules', file])).toMatch(/SUCCESS: [1-9][0-9]* rules found/);
      }
    },
  );

  it('keeps every expression, for, label and annotation exactly as rendered', () => {
    for (const cluster of clusters) {
      for (const rule of cluster.prometheusRules) {
        const converted = prometheusRuleToRulesFile(rule.object, rule.file);
        const rendered = (rule.object as any).spec.groups as Array<{
          name: string;
          rules: Array<Record<string, unknown>>;
        }>;
        expect(converted.groups.map((g) => g.name)).toEqual(rendered.map((g) => g.name));
        converted.groups.forEach((group, g) => {
          group.rules.forEach((r, i) => {
            const source = rendered[g].rules[i];
            expect(r.expr).toBe(source.expr);
            expect(r.for).toBe(source.for);
            expect(r.labels).toEqual(source.labels);
            expect(r.annotations).toEqual(source.annotations);
          });
        });
      }
    }
  });

  it('renames the operator fields to Prometheus names', () => {
    const converted = prometheusRuleToRulesFile(
      {
        kind: 'PrometheusRule',
        spec: {
          groups: [
            {
              name: 'g',
              interval: '30s',
              queryOffset: '1m',
              limit: 3,
              rules: [{ alert: 'A', expr: 'up == 0', for: '1m', keepFiringFor: '5m' }],
            },
          ],
        },
      },
      'test',
    );
    expect(converted).toEqual({
      groups: [
        {
          name: 'g',
          interval: '30s',
          query_offset: '1m',
          limit: 3,
          rules: [{ alert: 'A', expr: 'up == 0', for: '1m', keep_firing_for: '5m' }],
        },
      ],
    });
  });

  it.each([
    [{ kind: 'ConfigMap' }, /x: kind is ConfigMap, expected PrometheusRule/],
    [{ kind: 'PrometheusRule', spec: {} }, /x: spec.groups must be a list/],
    [
      { kind: 'PrometheusRule', spec: { groups: [{ name: 'g', rules: [{ alert: 'A' }] }] } },
      /x: spec.groups\[0\].rules\[0\]: expr is required/,
    ],
    [
      {
        kind: 'PrometheusRule',
        spec: { groups: [{ name: 'g', rules: [{ alert: 'A', record: 'r', expr: '1' }] }] },
      },
      /exactly one of alert and record/,
    ],
    [
      {
        kind: 'PrometheusRule',
        spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: '1', fore: '1m' }] }] },
      },
      /rules\[0\]: unknown field fore/,
    ],
    [{ kind: 'PrometheusRule', spec: { groups: [{ rules: [] }] } }, /spec.groups\[0\]: name is required/],
  ])('refuses bad input and says where: %j', (object, message) => {
    expect(() => prometheusRuleToRulesFile(object, 'x')).toThrow(ConversionError);
    expect(() => prometheusRuleToRulesFile(object, 'x')).toThrow(message);
  });
});

describe('AlertmanagerConfig → alertmanager.yml', () => {
  const configs = clusters.flatMap((c) =>
    c.alertmanagerConfigs.map((o) => ({ cluster: c.cluster, object: o.object, where: o.file })),
  );
  const yaml = alertmanagerConfigToYaml(
    configs,
    (cluster, receiver) => `http://198.18.0.9:9095/${cluster}/${receiver}`,
  );
  const file = join(work, 'alertmanager.yml');
  beforeAll(() => writeFileSync(file, stringify(yaml)));
  const route = (labels: Record<string, string>) =>
    tool('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${file}`,
      ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    ]).trim();

  it('amtool accepts the converted configuration of every cluster', () => {
    expect(configs).toHaveLength(clusters.length);
    expect(tool('amtool', ['check-config', file])).toMatch(/SUCCESS/);
  });

  it.each(clusters.map((c) => [c.cluster]))('%s: routes as its AlertmanagerConfig says', (cluster) => {
    expect(route({ cluster, alertname: 'CloudProviderUnreachable', severity: 'critical' })).toBe(
      `${cluster}/monitoring/ml-platform/critical`,
    );
    expect(route({ cluster, alertname: 'ModelReplicationFailed', severity: 'warning' })).toBe(
      `${cluster}/monitoring/ml-platform/warning`,
    );
    // No severity: the route's own receiver.
    expect(route({ cluster, alertname: 'Watchdog' })).toBe(`${cluster}/monitoring/ml-platform/null`);
  });

  it('sends what matches no cluster to the recorder, not to a cluster', () => {
    expect(route({ alertname: 'X', severity: 'critical' })).toBe(UNROUTED_RECEIVER);
  });

  it('keeps grouping and timings, and inhibits only within a cluster', () => {
    const eks = configs.find((c) => c.cluster === 'eks-prod');
    const spec = (eks?.object as any)?.spec;
    const converted = yaml.route.routes?.find((r) => r.matchers?.[0] === 'cluster="eks-prod"');
    expect(converted?.group_by).toEqual(spec.route.groupBy);
    expect(converted?.group_wait).toBe(spec.route.groupWait);
    expect(converted?.group_interval).toBe(spec.route.groupInterval);
    expect(converted?.repeat_interval).toBe(spec.route.repeatInterval);
    expect(yaml.inhibit_rules).toHaveLength(
      configs.reduce((n, c) => n + (c.object as any).spec.inhibitRules.length, 0),
    );
    for (const rule of yaml.inhibit_rules) {
      expect(rule.source_matchers[0]).toMatch(/^cluster="/);
      expect(rule.target_matchers[0]).toBe(rule.source_matchers[0]);
    }
  });

  it('replaces integrations by the recorder, keeping send_resolved, and leaves the null receiver empty', () => {
    const critical = yaml.receivers.find((r) => r.name === 'gke-prod/monitoring/ml-platform/critical');
    expect(critical?.webhook_configs).toEqual([
      { url: 'http://198.18.0.9:9095/gke-prod/critical', send_resolved: true },
    ]);
    expect(yaml.receivers.find((r) => r.name === 'gke-prod/monitoring/ml-platform/null')).toEqual({
      name: 'gke-prod/monitoring/ml-platform/null',
    });
  });

  const base = {
    kind: 'AlertmanagerConfig',
    metadata: { name: 'n', namespace: 'monitoring' },
  };
  it.each([
    [
      { ...base, spec: { route: { receiver: 'missing' }, receivers: [{ name: 'a' }] } },
      /x: spec.route.receiver: no receiver named missing/,
    ],
    [
      {
        ...base,
        spec: {
          route: { receiver: 'a', matchers: [{ name: 'severity', value: 'x', matchType: '==' }] },
          receivers: [{ name: 'a' }],
        },
      },
      /x: spec.route.matchers\[0\].matchType: == is not one of/,
    ],
    [
      { ...base, spec: { route: { receiver: 'a', groupwait: '1s' }, receivers: [{ name: 'a' }] } },
      /x: spec.route: unknown field groupwait/,
    ],
    [
      { ...base, spec: { route: { receiver: 'a' }, receivers: [{ name: 'a' }], muteTimeIntervals: [] } },
      /spec.muteTimeIntervals is not supported/,
    ],
  ])('refuses bad input and says where: %j', (object, message) => {
    expect(() => alertmanagerConfigToYaml([{ cluster: 'c', object, where: 'x' }], () => 'http://h/')).toThrow(
      message,
    );
  });
});
