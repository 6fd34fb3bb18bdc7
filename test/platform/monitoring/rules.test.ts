import { METRIC_NAMES as BATCH_METRICS } from '../../../apps/batch-predictor/src/metrics';
import { REPLICATION_JOBS, replicationSeries, scheduleIntervalSeconds } from '../../../apps/data-sync/rclone';
import { loadDeclaredFleet } from '../../../clusters';
import type { ClusterSpec, Fleet } from '../../../clusters/types';
import { LOG_SNAPSHOTS, SNAPSHOT_SERIES, snapshotIntervalSeconds } from '../../../platform/logging/snapshots';
import { PLATFORM_RULES } from '../../../platform/monitoring';
import {
  ALERT_THRESHOLDS,
  providerName,
  REPLICATION_STALE_INTERVALS,
  SNAPSHOT_STALE_INTERVALS,
  SNAPSHOT_STATUS_MISSED_READS,
} from '../../../platform/monitoring/rules';
import { renderFleet } from '../../../tools/synth/render';
import { promtool, yamlFiles } from './promtool';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);

/** One scenario for one alert: synthetic series, and whether the alert must fire at `at`. */
interface AlertCase {
  readonly alert: string;
  readonly why: string;
  readonly series: readonly { readonly series: string; readonly values: string }[];
  readonly at: string;
  /**
   * Step of the input series and of rule evaluation; 1m unless the scenario
   * spans days (a daily Job's staleness), where evaluating every minute would take minutes.
   */
  readonly step?: '1m' | '1h';
  /** Labels of the expected alert (besides alertname and severity); absent when it must stay silent. */
  readonly fires?: Readonly<Record<string, string>>;
}

const DAY = 86400;
const ok = '{outcome="success", status_class="2xx"';

/** The scenarios, for a cluster: thresholds that come from the fleet are computed from it here. */
function cases(cluster: ClusterSpec, fleet: Fleet): AlertCase[] {
  const factor = fleet.settings.observability.costAnomalyFactor;
  const provider = providerName(cluster);
  const price = cluster.gateway.costPer1kRequestsUsd;
  const hourlyThreshold = (factor * cluster.cost.monthlyBudgetUsd) / 730;
  // Cost counter increments per minute that make the hourly spend a multiple of the threshold.
  const spendPerMinute = (multiple: number) => (hourlyThreshold * multiple) / 60;
  const requests = (extra: string) =>
    `gateway_requests_total{model="fraud-detector", provider="${provider}"${extra}}`;
  const bucket = (le: string) =>
    `gateway_request_duration_seconds_bucket{model="fraud-detector", provider="${provider}", outcome="success", le="${le}"}`;
  const latency = (fast: number, p100: number) => [
    { series: bucket('0.05'), values: `0+${fast}x20` },
    { series: bucket('0.1'), values: `0+${fast}x20` },
    { series: bucket('0.25'), values: `0+${p100}x20` },
    { series: bucket('+Inf'), values: `0+${p100}x20` },
  ];
  const costSeries = (costPerRequestMultiple: number) => [
    { series: requests(`, ${ok.slice(1)}`), values: '0+100x60' },
    {
      series: `gateway_estimated_cost_usd_total{provider="${provider}"}`,
      values: `0+${(100 * price * costPerRequestMultiple) / 1000}x60`,
    },
  ];
  const unavailable = (namespace: string, values: string) => [
    {
      series: `kube_deployment_status_replicas_unavailable{namespace="${namespace}", deployment="fraud-detector-v4"}`,
      values,
    },
  ];
  const down = (available: string, desired: string) => [
    {
      series:
        'kube_deployment_status_replicas_available{namespace="ml-serving", deployment="fraud-detector-v4"}',
      values: available,
    },
    {
      series: 'kube_deployment_spec_replicas{namespace="ml-serving", deployment="fraud-detector-v4"}',
      values: desired,
    },
  ];
  const certificate = (days: number) => [
    { series: 'citadel_server_cert_chain_expiry_timestamp{pod="istiod-a"}', values: `${days * DAY}x200` },
  ];
  const plaintext = (policy: string) => [
    {
      series: `istio_requests_total{reporter="destination", connection_security_policy="${policy}", destination_workload_namespace="ml-serving", destination_workload="fraud-detector-v4"}`,
      values: '0+10x30',
    },
  ];
  const workload = {
    destination_workload_namespace: 'ml-serving',
    destination_workload: 'fraud-detector-v4',
  };
  return [
    {
      alert: 'GatewayErrorRateHigh',
      why: '5% of requests time out',
      series: [
        { series: requests(`, ${ok.slice(1)}`), values: '0+100x20' },
        { series: requests(', outcome="timeout", status_class="5xx"'), values: '0+5x20' },
      ],
      at: '15m',
      fires: { model: 'fraud-detector' },
    },
    {
      alert: 'GatewayErrorRateHigh',
      why: '0.5% of requests time out, below the threshold',
      series: [
        { series: requests(`, ${ok.slice(1)}`), values: '0+100x20' },
        { series: requests(', outcome="timeout", status_class="5xx"'), values: '0+0.5x20' },
      ],
      at: '15m',
    },
    {
      alert: 'GatewayErrorRateHigh',
      why: "clients' own 4xx are not the platform failing",
      series: [
        { series: requests(`, ${ok.slice(1)}`), values: '0+100x20' },
        { series: requests(', outcome="upstream_client_error", status_class="4xx"'), values: '0+20x20' },
      ],
      at: '15m',
    },
    {
      alert: 'GatewayLatencyP99High',
      why: `most requests take between ${ALERT_THRESHOLDS.p99LatencySeconds} and 0.25 s`,
      series: latency(10, 100),
      at: '15m',
      fires: { model: 'fraud-detector' },
    },
    {
      alert: 'GatewayLatencyP99High',
      why: 'every request is faster than 50 ms',
      series: latency(100, 100),
      at: '15m',
    },
    {
      alert: 'CloudProviderUnreachable',
      why: 'no gateway replica sees the provider healthy',
      series: [
        { series: 'gateway_provider_healthy{provider="gke-prod", pod="gateway-a"}', values: '0x10' },
        { series: 'gateway_provider_healthy{provider="gke-prod", pod="gateway-b"}', values: '0x10' },
      ],
      at: '5m',
      fires: { provider: 'gke-prod' },
    },
    {
      alert: 'CloudProviderUnreachable',
      why: 'one replica still reaches it',
      series: [
        { series: 'gateway_provider_healthy{provider="gke-prod", pod="gateway-a"}', values: '0x10' },
        { series: 'gateway_provider_healthy{provider="gke-prod", pod="gateway-b"}', values: '1x10' },
      ],
      at: '5m',
    },
    {
      alert: 'CircuitBreakerOpen',
      why: 'the breaker is open',
      series: [{ series: 'gateway_breaker_state{provider="aks-prod", pod="gateway-a"}', values: '2x10' }],
      at: '5m',
      fires: { provider: 'aks-prod' },
    },
    {
      alert: 'CircuitBreakerOpen',
      why: 'the breaker is only half-open (probing)',
      series: [{ series: 'gateway_breaker_state{provider="aks-prod", pod="gateway-a"}', values: '1x10' }],
      at: '5m',
    },
    {
      alert: 'CostPerRequestAnomaly',
      why: "requests cost twice the fleet's price",
      series: costSeries(2),
      at: '50m',
      fires: { provider },
    },
    {
      alert: 'CostPerRequestAnomaly',
      why: "requests cost exactly the fleet's price",
      series: costSeries(1),
      at: '50m',
    },
    {
      alert: 'HourlySpendAnomaly',
      why: 'spend is twice the anomaly threshold',
      series: [
        {
          series: `gateway_estimated_cost_usd_total{provider="${provider}"}`,
          values: `0+${spendPerMinute(2)}x150`,
        },
      ],
      at: '140m',
      fires: {},
    },
    {
      alert: 'HourlySpendAnomaly',
      why: 'spend is half the anomaly threshold',
      series: [
        {
          series: `gateway_estimated_cost_usd_total{provider="${provider}"}`,
          values: `0+${spendPerMinute(0.5)}x150`,
        },
      ],
      at: '140m',
    },
    {
      alert: 'ModelServingReplicasUnavailable',
      why: 'a replica stays unavailable for 20 minutes',
      series: unavailable('ml-serving', '1x30'),
      at: '20m',
      fires: { namespace: 'ml-serving', deployment: 'fraud-detector-v4' },
    },
    {
      alert: 'ModelServingReplicasUnavailable',
      why: 'the replica came back within 10 minutes',
      series: unavailable('ml-serving', '1x10 0x20'),
      at: '20m',
    },
    {
      alert: 'ModelServingReplicasUnavailable',
      why: 'deployments outside model serving are not this alert',
      series: unavailable('monitoring', '1x30'),
      at: '20m',
    },
    {
      alert: 'ModelServingDown',
      why: 'no replica is available while two are wanted',
      series: down('0x10', '2x10'),
      at: '8m',
      fires: { namespace: 'ml-serving', deployment: 'fraud-detector-v4' },
    },
    {
      alert: 'ModelServingDown',
      why: 'the model was scaled to zero on purpose',
      series: down('0x10', '0x10'),
      at: '8m',
    },
    {
      alert: 'MeshCertificateExpiring',
      why: 'the CA expires in 20 days',
      series: certificate(20),
      at: '2h',
      fires: {},
    },
    {
      alert: 'MeshCertificateExpiring',
      why: 'the CA expires in 60 days',
      series: certificate(60),
      at: '2h',
    },
    {
      alert: 'MeshCertificateExpiryCritical',
      why: 'the CA expires in 3 days',
      series: certificate(3),
      at: '2h',
      fires: {},
    },
    {
      alert: 'MeshCertificateExpiryCritical',
      why: 'the CA expires in 20 days: a warning, not a page',
      series: certificate(20),
      at: '2h',
    },
    {
      alert: 'MeshPlaintextTraffic',
      why: 'a workload receives requests without mTLS',
      series: plaintext('none'),
      at: '20m',
      fires: workload,
    },
    {
      alert: 'MeshPlaintextTraffic',
      why: 'all requests use mTLS',
      series: plaintext('mutual_tls'),
      at: '20m',
    },
  ];
}

/**
 * Replication scenarios, for a cluster that replicates (not the source): the
 * series exactly as the Jobs push them, the staleness bound from the fleet's schedules.
 */
function replicationCases(cluster: ClusterSpec, fleet: Fleet): AlertCase[] {
  const replication = fleet.settings.modelReplication;
  if (replication.sourceCluster === cluster.name) return [];
  const jobs = [
    { job: REPLICATION_JOBS.copy, name: 'ModelReplication', schedule: replication.schedule },
    { job: REPLICATION_JOBS.verify, name: 'ModelReplicationVerify', schedule: replication.verifySchedule },
  ];
  return jobs.flatMap(({ job, name, schedule }): AlertCase[] => {
    const series = replicationSeries(job);
    const pushed = (metric: string) => `${metric}{job="${job}", instance=""}`;
    const staleMinutes = (REPLICATION_STALE_INTERVALS * scheduleIntervalSeconds(schedule, 'test')) / 60;
    // A daily Job's bound is days: sample and evaluate hourly there.
    const step = staleMinutes > 24 * 60 ? ('1h' as const) : ('1m' as const);
    const stepMinutes = step === '1h' ? 60 : 1;
    const samples = Math.ceil(staleMinutes / stepMinutes) + 30;
    const clock = `0+${stepMinutes * 60}x${samples}`;
    return [
      {
        alert: `${name}Failed`,
        why: 'the last run reported failure',
        series: [{ series: pushed(series.lastSuccess), values: '0x20' }],
        at: '10m',
        fires: {},
      },
      {
        alert: `${name}Failed`,
        why: 'the last run succeeded',
        series: [{ series: pushed(series.lastSuccess), values: '1x20' }],
        at: '10m',
      },
      {
        alert: `${name}Stale`,
        why: `the last success is older than ${REPLICATION_STALE_INTERVALS} intervals`,
        // Succeeded once at time 0, failing ever since.
        series: [
          { series: pushed(series.lastSuccessTime), values: `0x${samples}` },
          { series: pushed(series.lastSuccess), values: `0x${samples}` },
        ],
        at: `${staleMinutes + 20 * stepMinutes}m`,
        fires: {},
        step,
      },
      {
        alert: `${name}Stale`,
        why: 'runs keep succeeding',
        // The success time follows the clock (seconds), one run a minute.
        series: [{ series: pushed(series.lastSuccessTime), values: clock }],
        at: `${staleMinutes + 20 * stepMinutes}m`,
        step,
      },
      {
        alert: `${name}NotReporting`,
        why: 'no successful run was ever pushed',
        series: [{ series: pushed(series.lastSuccess), values: `0x${samples}` }],
        at: `${staleMinutes + 10 * stepMinutes}m`,
        fires: {},
        step,
      },
      {
        alert: `${name}NotReporting`,
        why: 'a success was pushed',
        series: [{ series: pushed(series.lastSuccessTime), values: clock }],
        at: `${staleMinutes + 10 * stepMinutes}m`,
        step,
      },
    ];
  });
}

/** Scenarios of the batch prediction alerts, from what each shard pushes (apps/batch-predictor/src/metrics.ts). */
function batchCases(cluster: ClusterSpec): AlertCase[] {
  if (cluster.batchJobs.length === 0) return [];
  const job = cluster.batchJobs[0].name;
  const shard = (index: number, values: string) => ({
    series: `${BATCH_METRICS.lastRunSuccess}{job="${job}", shard="${index}", instance=""}`,
    values,
  });
  return [
    {
      alert: 'BatchPredictionFailed',
      why: 'one shard failed, the others completed',
      series: [shard(0, '1x20'), shard(1, '0x20')],
      at: '10m',
      fires: { job, shard: '1' },
    },
    {
      alert: 'BatchPredictionFailed',
      why: 'a failed shard completed on its next run',
      series: [shard(0, '1x20'), shard(1, '0x3 1x16')],
      at: '10m',
    },
  ];
}

/**
 * Log snapshot scenarios, from what the status CronJob pushes (platform/logging/snapshots.ts); the
 * staleness bound from the SLM schedule's interval, the status bound from the CronJob's schedule.
 */
function snapshotCases(): AlertCase[] {
  const pushed = (metric: string) => `${metric}{job="${LOG_SNAPSHOTS.statusJob}", instance=""}`;
  const staleMinutes = (SNAPSHOT_STALE_INTERVALS * snapshotIntervalSeconds()) / 60;
  const lostMinutes =
    (SNAPSHOT_STATUS_MISSED_READS * scheduleIntervalSeconds(LOG_SNAPSHOTS.statusSchedule, 'test')) / 60;
  const samples = staleMinutes + 40;
  const clock = `0+60x${samples}`;
  return [
    {
      alert: 'LogSnapshotFailed',
      why: 'the last attempt failed after the last success',
      series: [
        { series: pushed(SNAPSHOT_SERIES.lastSuccess), values: '50x20' },
        { series: pushed(SNAPSHOT_SERIES.lastFailure), values: '100x20' },
      ],
      at: '10m',
      fires: {},
    },
    {
      alert: 'LogSnapshotFailed',
      why: 'no snapshot ever succeeded and one failed',
      series: [{ series: pushed(SNAPSHOT_SERIES.lastFailure), values: '100x20' }],
      at: '10m',
      fires: {},
    },
    {
      alert: 'LogSnapshotFailed',
      why: 'a success came after the failure',
      series: [
        { series: pushed(SNAPSHOT_SERIES.lastSuccess), values: '100x20' },
        { series: pushed(SNAPSHOT_SERIES.lastFailure), values: '50x20' },
      ],
      at: '10m',
    },
    {
      alert: 'LogSnapshotStale',
      why: `the last success is older than ${SNAPSHOT_STALE_INTERVALS} snapshot intervals`,
      series: [{ series: pushed(SNAPSHOT_SERIES.lastSuccess), values: `0x${samples}` }],
      at: `${staleMinutes + 20}m`,
      fires: {},
    },
    {
      alert: 'LogSnapshotStale',
      why: 'snapshots keep succeeding',
      series: [{ series: pushed(SNAPSHOT_SERIES.lastSuccess), values: clock }],
      at: `${staleMinutes + 20}m`,
    },
    {
      alert: 'LogSnapshotStatusNotReporting',
      why: 'the status was last pushed long ago',
      series: [{ series: pushed(SNAPSHOT_SERIES.statusRead), values: `0x${lostMinutes + 60}` }],
      at: `${lostMinutes + 40}m`,
      fires: {},
    },
    {
      alert: 'LogSnapshotStatusNotReporting',
      why: 'no status was ever pushed',
      series: [{ series: pushed(SNAPSHOT_SERIES.lastSuccess), values: `0x${lostMinutes}` }],
      at: '40m',
      fires: {},
    },
    {
      alert: 'LogSnapshotStatusNotReporting',
      why: 'the status is pushed every run',
      series: [{ series: pushed(SNAPSHOT_SERIES.statusRead), values: clock }],
      at: `${lostMinutes + 40}m`,
    },
  ];
}

/** Prometheus renders `{{ $labels.x }}`; the annotations here use nothing else. */
function expand(template: string, labels: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_m, name: string) => labels[name] ?? '');
}

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('alert rules of %s', (name, cluster) => {
  const rule = tree.resources.find(
    (r) => r.cluster === name && r.kind === 'PrometheusRule' && r.name === PLATFORM_RULES,
  );
  const groups = (rule?.object as Json | undefined)?.spec.groups as Json[];
  const alerts = new Map<string, Json>(
    groups
      .flatMap((g) => g.rules)
      .filter((r: Json) => r.alert)
      .map((r: Json) => [r.alert, r]),
  );
  const scenarios = [
    ...cases(cluster, fleet),
    ...replicationCases(cluster, fleet),
    ...batchCases(cluster),
    ...snapshotCases(),
  ];

  it('has a firing and a silent scenario for every alert, and none for an unknown alert', () => {
    for (const alert of alerts.keys()) {
      const own = scenarios.filter((s) => s.alert === alert);
      expect([alert, own.some((s) => s.fires)]).toEqual([alert, true]);
      expect([alert, own.some((s) => !s.fires)]).toEqual([alert, true]);
    }
    expect(scenarios.filter((s) => !alerts.has(s.alert))).toEqual([]);
  });

  it('alerts on failed and stale replication wherever models are replicated to', () => {
    const replicated = fleet.settings.modelReplication.sourceCluster !== name;
    for (const alert of ['ModelReplicationFailed', 'ModelReplicationStale', 'ModelReplicationNotReporting']) {
      expect([alert, alerts.has(alert)]).toEqual([alert, replicated]);
    }
  });

  it('passes promtool check rules and promtool test rules', () => {
    const steps = [...new Set(scenarios.map((s) => s.step ?? '1m'))];
    const testFiles = Object.fromEntries(
      steps.map((step) => [
        `tests-${step}.yaml`,
        {
          rule_files: ['rules.yaml'],
          evaluation_interval: step,
          tests: scenarios
            .filter((s) => (s.step ?? '1m') === step)
            .map((s) => {
              const definition = alerts.get(s.alert) as Json;
              const labels = { ...(s.fires ?? {}), severity: definition.labels.severity };
              return {
                name: `${s.alert}: ${s.why}`,
                interval: step,
                input_series: s.series,
                alert_rule_test: [
                  {
                    eval_time: s.at,
                    alertname: s.alert,
                    exp_alerts: s.fires
                      ? [
                          {
                            exp_labels: labels,
                            exp_annotations: {
                              summary: expand(definition.annotations.summary, labels),
                              description: expand(definition.annotations.description, labels),
                              runbook_url: definition.annotations.runbook_url,
                            },
                          },
                        ]
                      : [],
                  },
                ],
              };
            }),
        },
      ]),
    );
    const dir = yamlFiles({ 'rules.yaml': { groups }, ...testFiles });
    expect(promtool(['check', 'rules', 'rules.yaml'], dir)).toContain('SUCCESS');
    for (const file of Object.keys(testFiles)) {
      expect(promtool(['test', 'rules', file], dir)).toContain('SUCCESS');
    }
  });
});
