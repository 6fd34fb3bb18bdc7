import { loadDeclaredFleet } from '../../../clusters';
import type { ClusterSpec } from '../../../clusters/types';
import { profileFor } from '../../../platform/clouds';
import { COST } from '../../../platform/cost';
import { hourlyBudgetUsd, OPENCOST_ABSENT_FOR, OVER_BUDGET_FOR } from '../../../platform/cost/alerts';
import {
  allocationHourlyCost,
  CLUSTER_HOURLY_COST,
  KUBE_STATE_SERIES,
  OPENCOST_SERIES,
  OPENCOST_SERIES_NAMES,
} from '../../../platform/cost/series';
import { OPENCOST } from '../../../platform/cost/versions';
import type { Contribution } from '../../../platform/kernel/contribution';
import { EXPORTED_SERIES } from '../../../platform/monitoring/exporters';
import { MONITORING_NAMESPACE, PROMETHEUS_SERVICE } from '../../../platform/monitoring/services';
import { allocationQueries, MEASURES } from '../../../tools/cost/actual';
import { renderClusters } from '../../../tools/synth/render';
import { metricNames } from '../monitoring/promql';
import { promtool, yamlFiles } from '../monitoring/promtool';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();

/** What each cluster renders and declares, kept per cluster. */
const rendered = new Map<string, { resources: Json[]; cost: Contribution; monitoringServices: Json[] }>();
renderClusters(fleet, (resources, declarations, cluster) => {
  rendered.set(cluster.name, {
    resources: resources.map((r) => ({ ...r })),
    cost: declarations.get('cost') as Contribution,
    monitoringServices: [...(declarations.get('monitoring')?.chartObjects?.services ?? [])],
  });
});
const clusters = fleet.clusters.map((c) => [c.name, c] as const);
const find = (cluster: string, kind: string, name: string) =>
  rendered.get(cluster)?.resources.find((r) => r.kind === kind && r.name === name)?.object as
    | Json
    | undefined;

describe.each(clusters)('OpenCost in %s', (name, cluster) => {
  const application = find(name, 'Application', COST.release);
  const values = application?.spec.source.helm.valuesObject as Json;
  const profile = profileFor(cluster);

  it('is installed from its pinned chart into its own namespace', () => {
    expect(application?.spec.source).toMatchObject({
      repoURL: OPENCOST.repoURL,
      chart: 'opencost',
      targetRevision: '2.5.17',
    });
    expect(application?.spec.destination.namespace).toBe('opencost');
    expect(values.opencost.exporter.image).toEqual(OPENCOST.image);
    expect(values.opencost.exporter.defaultClusterId).toBe(name);
  });

  it("runs as its cloud's workload identity, on the ServiceAccount the identity trusts", () => {
    const identity = profile.workloadIdentity('opencost');
    expect(values.serviceAccount).toEqual({
      create: true,
      name: 'opencost',
      annotations: identity.serviceAccountAnnotations,
      automountServiceAccountToken: true,
    });
    expect(values.podLabels).toEqual({ ...identity.podLabels, team: 'platform' });
    // The chart's own credential knobs stay empty: nothing secret in the values.
    expect(JSON.stringify(values)).not.toMatch(
      /cloudProviderApiKey|access_key_id|secret_access_key|bearer_token/,
    );
  });

  it("reads the platform's Prometheus Service, as monitoring declares it", () => {
    expect(values.opencost.prometheus).toEqual({
      internal: {
        enabled: true,
        serviceName: PROMETHEUS_SERVICE.name,
        namespaceName: MONITORING_NAMESPACE,
        port: PROMETHEUS_SERVICE.port,
        scheme: 'http',
      },
      external: { enabled: false },
    });
    const prometheus = rendered.get(name)?.monitoringServices.find((s) => s.name === PROMETHEUS_SERVICE.name);
    expect(prometheus?.ports).toContainEqual(expect.objectContaining({ port: PROMETHEUS_SERVICE.port }));
    expect(prometheus?.selector).toEqual(PROMETHEUS_SERVICE.pods);
  });

  it('keeps no UI, MCP server, volume or Cloud Costs, and its Service in the cluster', () => {
    expect(values.opencost.ui).toEqual({ enabled: false });
    expect(values.opencost.mcp).toEqual({ enabled: false });
    expect(values.opencost.exporter.persistence).toEqual({ enabled: false });
    expect(values.opencost.cloudCost).toEqual({ enabled: false });
    expect(values.service).toEqual({ enabled: true, type: 'ClusterIP' });
    expect(values.opencost.metrics.serviceMonitor).toEqual({ enabled: false });
  });

  it('runs as the restricted Pod Security level asks, with limits and a writable config folder', () => {
    expect(values.opencost.exporter.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1001,
      runAsGroup: 1001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.podSecurityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.opencost.exporter.resources.limits).toEqual({ cpu: '1', memory: '1Gi' });
    const volumes = new Set(values.extraVolumes.map((v: Json) => v.name));
    for (const mount of values.opencost.exporter.extraVolumeMounts)
      expect(volumes.has(mount.name)).toBe(true);
    expect(values.opencost.exporter.extraVolumeMounts).toContainEqual({
      name: 'configs',
      mountPath: '/var/configs',
    });
  });

  it("takes the price list's API key from the secret store only where the cloud's profile asks for one", () => {
    const apiKey = profile.costPricing().apiKeySecret;
    const env = values.opencost.exporter.env as Json[];
    const secret = find(name, 'ExternalSecret', COST.apiKeySecret);
    if (apiKey) {
      expect(env).toContainEqual({
        name: 'CLOUD_PROVIDER_API_KEY',
        valueFrom: { secretKeyRef: { name: COST.apiKeySecret, key: 'api-key' } },
      });
      expect(secret?.spec.target.name).toBe(COST.apiKeySecret);
      expect(secret?.spec.data[0].remoteRef.key).toBe(`${name}-${apiKey}`);
    } else {
      expect(env.map((e) => e.name)).not.toContain('CLOUD_PROVIDER_API_KEY');
      expect(secret).toBeUndefined();
    }
  });

  it('declares a restricted namespace with a quota, its flows, its scrape target and what its chart creates', () => {
    const cost = rendered.get(name)?.cost as Contribution;
    expect(cost.namespaces).toEqual([
      expect.objectContaining({ name: 'opencost', podSecurity: 'restricted', quota: expect.any(Object) }),
    ]);
    const to = (cost.flows ?? []).map((f) => f.to);
    expect(to).toContainEqual({ apiServer: true });
    expect(to).toContainEqual({ namespace: MONITORING_NAMESPACE, pods: PROMETHEUS_SERVICE.pods });
    expect(to).toContainEqual(expect.objectContaining({ cidr: '0.0.0.0/0' }));
    const [service] = cost.chartObjects?.services ?? [];
    const [target] = cost.scrapeTargets ?? [];
    // The monitor selects the chart's Service by its labels and scrapes its named port.
    for (const [label, value] of Object.entries(target.selector)) expect(service.labels?.[label]).toBe(value);
    expect(service.ports).toContainEqual(
      expect.objectContaining({ name: target.port.name, port: target.port.number }),
    );
    expect(target).toMatchObject({ path: '/metrics', honorLabels: true });
    expect(cost.chartObjects?.serviceAccounts).toEqual([{ namespace: 'opencost', name: 'opencost' }]);
    expect(cost.cloudWorkloads?.map((w) => w.serviceAccount)).toEqual([values.serviceAccount.name]);
    const monitor = find(name, 'ServiceMonitor', 'opencost');
    expect(monitor?.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', honorLabels: true })]);
  });
});

/** One alert scenario over synthetic series, evaluated by promtool. */
interface Scenario {
  readonly alert: string;
  readonly why: string;
  readonly series: readonly { series: string; values: string }[];
  readonly at: string;
  readonly fires: boolean;
}

function scenarios(cluster: ClusterSpec): Scenario[] {
  const hourly = hourlyBudgetUsd(cluster);
  // 100 GiB at 0.0001 USD per GiB-hour: 0.01 USD an hour of volumes on top of the nodes.
  const volume = [
    { series: `${OPENCOST_SERIES.pvHourlyCost}{persistentvolume="pv-a"}`, values: '0.0001x300' },
    {
      series: `${KUBE_STATE_SERIES.persistentVolumeCapacityBytes}{persistentvolume="pv-a"}`,
      values: `${100 * 1073741824}x300`,
    },
  ];
  const nodes = (total: number) => [
    { series: `${OPENCOST_SERIES.nodeTotalHourlyCost}{node="n1"}`, values: `${total / 2}x300` },
    { series: `${OPENCOST_SERIES.nodeTotalHourlyCost}{node="n2"}`, values: `${total / 2}x300` },
  ];
  return [
    {
      alert: 'ClusterCostOverBudget',
      why: 'nodes and volumes above the hourly budget for longer than the alert waits',
      series: [...nodes(hourly * 1.2), ...volume],
      at: '4h',
      fires: true,
    },
    {
      alert: 'ClusterCostOverBudget',
      why: 'nodes alone under the budget, the volumes pushing them over',
      series: [...nodes(hourly - 0.005), ...volume],
      at: '4h',
      fires: true,
    },
    {
      alert: 'ClusterCostOverBudget',
      why: 'under the budget',
      series: [...nodes(hourly * 0.5), ...volume],
      at: '4h',
      fires: false,
    },
    {
      alert: 'ClusterCostOverBudget',
      why: 'over the budget for less than the alert waits',
      series: [...nodes(hourly * 2), ...volume],
      at: '1h',
      fires: false,
    },
    {
      alert: 'OpenCostDown',
      why: 'no OpenCost series at all',
      series: [{ series: 'up{job="other"}', values: '1x300' }],
      at: '1h',
      fires: true,
    },
    {
      alert: 'OpenCostDown',
      why: 'OpenCost exports node prices',
      series: nodes(hourly),
      at: '1h',
      fires: false,
    },
  ];
}

describe.each(clusters)('the cost alerts of %s', (name, cluster) => {
  const rule = find(name, 'PrometheusRule', COST.rules);
  const groups = rule?.spec.groups as Json[];
  const alerts = new Map<string, Json>(groups.flatMap((g) => g.rules).map((r: Json) => [r.alert, r]));

  it('alert on the budget of this cluster and on OpenCost exporting nothing, with runbooks', () => {
    expect([...alerts.keys()].sort()).toEqual(['ClusterCostOverBudget', 'OpenCostDown']);
    expect(alerts.get('ClusterCostOverBudget')?.expr).toContain(`> ${hourlyBudgetUsd(cluster)}`);
    expect(alerts.get('ClusterCostOverBudget')?.for).toBe(OVER_BUDGET_FOR);
    expect(alerts.get('OpenCostDown')?.for).toBe(OPENCOST_ABSENT_FOR);
    for (const alert of alerts.values())
      expect(alert.annotations.runbook_url).toMatch(/docs\/runbooks\/\w+\.md$/);
  });

  it('query only series OpenCost and kube-state-metrics export', () => {
    const allowed = new Set([...OPENCOST_SERIES_NAMES, ...Object.values(KUBE_STATE_SERIES)]);
    const names = [...alerts.values()].flatMap((a) => metricNames(String(a.expr)));
    expect(names.length).toBeGreaterThan(4);
    expect(names.filter((n) => !allowed.has(n))).toEqual([]);
  });

  it('pass promtool check rules, and fire and stay silent as the scenarios say', () => {
    const own = scenarios(cluster);
    for (const alert of alerts.keys()) {
      expect([
        alert,
        own.some((s) => s.alert === alert && s.fires),
        own.some((s) => s.alert === alert && !s.fires),
      ]).toEqual([alert, true, true]);
    }
    const tests = own.map((s) => {
      const definition = alerts.get(s.alert) as Json;
      return {
        name: `${s.alert}: ${s.why}`,
        interval: '1m',
        input_series: s.series,
        alert_rule_test: [
          {
            eval_time: s.at,
            alertname: s.alert,
            exp_alerts: s.fires
              ? [
                  {
                    exp_labels: { severity: definition.labels.severity },
                    exp_annotations: definition.annotations,
                  },
                ]
              : [],
          },
        ],
      };
    });
    const dir = yamlFiles({
      'rules.yaml': { groups },
      'tests.yaml': { rule_files: ['rules.yaml'], evaluation_interval: '1m', tests },
    });
    expect(promtool(['check', 'rules', 'rules.yaml'], dir)).toContain('SUCCESS');
    expect(promtool(['test', 'rules', 'tests.yaml'], dir)).toContain('SUCCESS');
  });
});

describe("the cost dashboard and the cost report read OpenCost's series", () => {
  it.each(clusters)(
    '%s: the cost dashboard queries OpenCost, by namespace and by team, and nothing unknown',
    (name) => {
      const configMap = find(name, 'ConfigMap', 'dashboard-ml-platform-cost');
      const dashboard = JSON.parse(Object.values(configMap?.data as Record<string, string>)[0]);
      const exprs: string[] = dashboard.panels.flatMap((p: Json) =>
        (p.targets ?? []).map((t: Json) => t.expr),
      );
      const names = new Set(exprs.flatMap((e) => metricNames(e)));
      for (const series of [
        OPENCOST_SERIES.nodeTotalHourlyCost,
        OPENCOST_SERIES.pvHourlyCost,
        OPENCOST_SERIES.containerCpuAllocation,
        OPENCOST_SERIES.nodeCpuHourlyCost,
        KUBE_STATE_SERIES.podLabels,
      ])
        expect([series, names.has(series)]).toEqual([series, true]);
      expect(exprs.some((e) => e.includes('sum by (label_team)'))).toBe(true);
      expect(exprs.some((e) => e.includes('sum by (namespace)'))).toBe(true);
      const known = new Set(Object.values(EXPORTED_SERIES).flat());
      expect([...names].filter((n) => !known.has(n) && !n.includes(':'))).toEqual([]);
    },
  );

  it('npm run cost -- --actual asks for series OpenCost and kube-state-metrics export', () => {
    const allowed = new Set([...OPENCOST_SERIES_NAMES, ...Object.values(KUBE_STATE_SERIES)]);
    const queries = [
      ...MEASURES.map((m) => m.hourlyQuery),
      ...allocationQueries('namespace'),
      ...allocationQueries('team'),
    ];
    const names = queries.flatMap((q) => metricNames(q));
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !allowed.has(n))).toEqual([]);
  });
});

describe('the cost queries, evaluated by promtool over OpenCost-shaped series', () => {
  const GIB = 1073741824;
  const s = OPENCOST_SERIES;
  const container = (ns: string, pod: string, node: string) =>
    `{namespace="${ns}", pod="${pod}", container="main", node="${node}"}`;
  const input = [
    // Two nodes at different prices; one has a GPU.
    { series: `${s.nodeCpuHourlyCost}{node="n1"}`, values: '0.04x10' },
    { series: `${s.nodeRamHourlyCost}{node="n1"}`, values: '0.005x10' },
    { series: `${s.nodeCpuHourlyCost}{node="g1"}`, values: '0.05x10' },
    { series: `${s.nodeRamHourlyCost}{node="g1"}`, values: '0.006x10' },
    { series: `${s.nodeGpuHourlyCost}{node="g1"}`, values: '2x10' },
    { series: `${s.nodeTotalHourlyCost}{node="n1"}`, values: '0.2x10' },
    { series: `${s.nodeTotalHourlyCost}{node="g1"}`, values: '3x10' },
    // ml-serving/a on n1: 2 CPUs, 4 GiB; ml-serving/b on g1: 1 CPU, 2 GiB, 1 GPU; monitoring/p on n1: 1 CPU.
    { series: `${s.containerCpuAllocation}${container('ml-serving', 'a', 'n1')}`, values: '2x10' },
    {
      series: `${s.containerMemoryAllocationBytes}${container('ml-serving', 'a', 'n1')}`,
      values: `${4 * GIB}x10`,
    },
    { series: `${s.containerCpuAllocation}${container('ml-serving', 'b', 'g1')}`, values: '1x10' },
    {
      series: `${s.containerMemoryAllocationBytes}${container('ml-serving', 'b', 'g1')}`,
      values: `${2 * GIB}x10`,
    },
    { series: `${s.containerGpuAllocation}${container('ml-serving', 'b', 'g1')}`, values: '1x10' },
    { series: `${s.containerCpuAllocation}${container('monitoring', 'p', 'n1')}`, values: '1x10' },
    // Pod labels: a and b belong to team serving, p to team platform.
    {
      series: `${KUBE_STATE_SERIES.podLabels}{namespace="ml-serving", pod="a", label_team="serving"}`,
      values: '1x10',
    },
    {
      series: `${KUBE_STATE_SERIES.podLabels}{namespace="ml-serving", pod="b", label_team="serving"}`,
      values: '1x10',
    },
    {
      series: `${KUBE_STATE_SERIES.podLabels}{namespace="monitoring", pod="p", label_team="platform"}`,
      values: '1x10',
    },
    // One 50 GiB volume at 0.0001 USD per GiB-hour.
    { series: `${s.pvHourlyCost}{persistentvolume="pv-a"}`, values: '0.0001x10' },
    {
      series: `${KUBE_STATE_SERIES.persistentVolumeCapacityBytes}{persistentvolume="pv-a"}`,
      values: `${50 * GIB}x10`,
    },
  ];
  // a: 2×0.04 + 4×0.005 = 0.1; b: 0.05 + 2×0.006 + 2 = 2.062; p: 0.04.
  const cases = [
    {
      expr: allocationHourlyCost('namespace'),
      exp_samples: [
        { labels: '{namespace="ml-serving"}', value: 2.162 },
        { labels: '{namespace="monitoring"}', value: 0.04 },
      ],
    },
    {
      expr: allocationHourlyCost('team'),
      exp_samples: [
        { labels: '{label_team="serving"}', value: 2.162 },
        { labels: '{label_team="platform"}', value: 0.04 },
      ],
    },
    // Nodes 3.2, the volume 0.005; no load balancer or control plane series: they count as nothing.
    { expr: CLUSTER_HOURLY_COST, exp_samples: [{ labels: '{}', value: 3.205 }] },
  ];

  it('price allocation by namespace and by team, and the cluster total, as the arithmetic says', () => {
    const dir = yamlFiles({
      'rules.yaml': { groups: [] },
      'tests.yaml': {
        rule_files: ['rules.yaml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: input,
            promql_expr_test: cases.map((c) => ({ ...c, eval_time: '5m' })),
          },
        ],
      },
    });
    expect(promtool(['test', 'rules', 'tests.yaml'], dir)).toContain('SUCCESS');
  });
});
