import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { METRIC_NAMES as BATCH } from '../../apps/batch-predictor/src/metrics';
import { REPLICATION_JOBS, replicationSeries, scheduleIntervalSeconds } from '../../apps/data-sync/rclone';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { METRICS as GATEWAY, REQUEST_OUTCOMES } from '../../gateway/src/metrics/names';
import { LOG_SNAPSHOTS, SNAPSHOT_SERIES, snapshotIntervalSeconds } from '../logging/snapshots';
import { MODEL_SERVING } from '../mesh/workloads';

/** How urgently a human must act: critical pages, warning waits for working hours. */
export type Severity = 'critical' | 'warning';

/** An alert as the platform defines it; becomes a Prometheus alerting rule. */
export interface AlertDefinition {
  /** Alert name, CamelCase; what Alertmanager groups and inhibits by. */
  readonly alert: string;
  /** PromQL; the alert fires for every series the expression returns for `for`. */
  readonly expr: string;
  /** How long the condition must hold before the alert fires. */
  readonly for: string;
  readonly severity: Severity;
  /** One line for the notification title; may use `{{ $labels.x }}`. */
  readonly summary: string;
  /** What is wrong and where to look first; may use `{{ $labels.x }}`. */
  readonly description: string;
}

/** A recording rule: a precomputed series other rules and dashboards read. */
export interface RecordingDefinition {
  /** Name of the recorded series, `level:metric:operations`. */
  readonly record: string;
  readonly expr: string;
  /** Labels added to the recorded series; they tell apart rules recording the same name. */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleGroupDefinition {
  readonly name: string;
  readonly rules: readonly (AlertDefinition | RecordingDefinition)[];
}

/** The thresholds the platform's service level rests on. */
export const ALERT_THRESHOLDS = {
  /** Share of client requests that may fail over 5 minutes. */
  errorRatio: 0.01,
  /** p99 client latency, seconds. */
  p99LatencySeconds: 0.1,
  /** Days before the mesh CA certificate expires that a warning is raised. */
  certificateWarningDays: 30,
  /** Days before it expires that someone is paged. */
  certificateCriticalDays: 7,
} as const;

/**
 * How many schedule intervals may pass without a successful replication run
 * before it counts as stale: one failed run is retried by the next.
 */
export const REPLICATION_STALE_INTERVALS = 3;

/**
 * Alerts on model replication into this cluster, from what its Jobs push to
 * the Pushgateway: a run failed; no run succeeded for several intervals (the
 * copy pages: this cloud serves old models); nothing was reported for that
 * long (the Jobs do not run, cannot reach the Pushgateway, or it restarted
 * and nothing succeeded since). None on the replication source.
 */
export function replicationRuleGroups(cluster: ClusterSpec, fleet: Fleet): RuleGroupDefinition[] {
  const replication = fleet.settings.modelReplication;
  if (replication.sourceCluster === cluster.name) return [];
  const where = 'clusters/defaults.ts: modelReplication';
  const jobs = [
    {
      job: REPLICATION_JOBS.copy,
      interval: scheduleIntervalSeconds(replication.schedule, `${where}.schedule`),
      staleSeverity: 'critical' as const,
    },
    {
      job: REPLICATION_JOBS.verify,
      interval: scheduleIntervalSeconds(replication.verifySchedule, `${where}.verifySchedule`),
      staleSeverity: 'warning' as const,
    },
  ];
  const source = replication.sourceCluster;
  return [
    {
      name: 'ml-platform.replication',
      rules: jobs.flatMap(({ job, interval, staleSeverity }): AlertDefinition[] => {
        const series = replicationSeries(job);
        const staleSeconds = REPLICATION_STALE_INTERVALS * interval;
        const stale = `${Math.round(staleSeconds / 60)} minutes`;
        const name = job === REPLICATION_JOBS.copy ? 'ModelReplication' : 'ModelReplicationVerify';
        return [
          {
            alert: `${name}Failed`,
            expr: `max(${series.lastSuccess}) == 0`,
            for: '5m',
            severity: 'warning',
            summary: `The last ${job} run failed`,
            description:
              `The ${job} Job's last run from ${source} reported failure. Its logs (rclone's JSON lines) ` +
              'name the file; a version that differs at the destination is never overwritten and must be resolved by hand.',
          },
          {
            alert: `${name}Stale`,
            expr: `time() - max(${series.lastSuccessTime}) > ${staleSeconds}`,
            for: '5m',
            severity: staleSeverity,
            summary: `No ${job} run succeeded for ${stale}`,
            description:
              `Model replication from ${source} (${job}) has not succeeded for ${REPLICATION_STALE_INTERVALS} ` +
              "schedule intervals: this cluster's model bucket falls behind. Check the Job's recent runs.",
          },
          {
            alert: `${name}NotReporting`,
            expr: `absent(${series.lastSuccessTime})`,
            for: `${Math.round(staleSeconds / 60)}m`,
            severity: 'warning',
            summary: `${job} has not reported a success for ${stale}`,
            description:
              `The Pushgateway holds no successful ${job} run: the CronJob does not run, its Jobs cannot ` +
              'reach the Pushgateway (they then fail), or it restarted and no run has succeeded since.',
          },
        ];
      }),
    },
  ];
}

/** Snapshot intervals without a successful snapshot before the logs count as unprotected: one miss is tolerated. */
export const SNAPSHOT_STALE_INTERVALS = 2;

/** Status reads (every 15 minutes) that may go missing before the status counts as lost. */
export const SNAPSHOT_STATUS_MISSED_READS = 3;

/**
 * Alerts on the log snapshots (platform/logging/snapshots.ts), from the SLM outcome the status
 * CronJob pushes to the Pushgateway: the last attempt failed; no snapshot succeeded for two
 * intervals of the SLM schedule (the logs written since would be lost with the cluster); the status
 * itself is not read (Elasticsearch does not answer, the policy is missing, or the CronJob does not run).
 */
export function logSnapshotRuleGroups(): RuleGroupDefinition[] {
  const s = SNAPSHOT_SERIES;
  const interval = snapshotIntervalSeconds();
  const stale = SNAPSHOT_STALE_INTERVALS * interval;
  const statusInterval = scheduleIntervalSeconds(
    LOG_SNAPSHOTS.statusSchedule,
    'platform/logging/snapshots.ts: LOG_SNAPSHOTS.statusSchedule',
  );
  const lost = SNAPSHOT_STATUS_MISSED_READS * statusInterval;
  const policy = LOG_SNAPSHOTS.policy;
  return [
    {
      name: 'ml-platform.log-snapshots',
      rules: [
        {
          alert: 'LogSnapshotFailed',
          expr: `max(${s.lastFailure}) > (max(${s.lastSuccess}) or vector(0))`,
          for: '5m',
          severity: 'warning',
          summary: 'The last snapshot of the log cluster failed',
          description:
            `The SLM policy ${policy}'s last attempt failed after its last success: Elasticsearch could not ` +
            `write to the ${LOG_SNAPSHOTS.repository} repository (the cloud bucket, as its workload identity). ` +
            `GET _slm/policy/${policy} names the error; the next run is in at most ${interval / 3600} h.`,
        },
        {
          alert: 'LogSnapshotStale',
          expr: `time() - max(${s.lastSuccess}) > ${stale}`,
          for: '15m',
          severity: 'warning',
          summary: `No snapshot of the log cluster succeeded for ${stale / 3600} h`,
          description:
            `${SNAPSHOT_STALE_INTERVALS} runs of the SLM policy ${policy} in a row took no snapshot: the logs ` +
            "written since the last one would be lost with the cluster. Check SLM's status and the repository.",
        },
        {
          alert: 'LogSnapshotStatusNotReporting',
          expr: `(time() - max(${s.statusRead}) > ${lost}) or absent(${s.statusRead})`,
          for: '30m',
          severity: 'warning',
          summary: 'The snapshot status of the log cluster is not being read',
          description:
            `The ${LOG_SNAPSHOTS.statusJob} CronJob has not pushed the SLM outcome for ${lost / 60} minutes: ` +
            'Elasticsearch does not answer, the policy is missing (the setup Job did not run), the CronJob ' +
            'fails or the Pushgateway restarted. Snapshot failures go unseen meanwhile.',
        },
      ],
    },
  ];
}

/**
 * Alerts on the batch predictions of this cluster, from what each shard
 * pushes to the Pushgateway at the end of a run (apps/batch-predictor/src/metrics.ts):
 * a shard's last run failed or was stopped. Its next run resumes from the
 * checkpoint; until one completes, the predictions of that shard are missing.
 * None where the cluster runs no batch prediction.
 */
export function batchPredictionRuleGroups(cluster: ClusterSpec): RuleGroupDefinition[] {
  if (cluster.batchJobs.length === 0) return [];
  return [
    {
      name: 'ml-platform.batch',
      rules: [
        {
          alert: 'BatchPredictionFailed',
          // `job` is the batch Job's name (--job-name), `shard` its completion index.
          expr: `max by (job, shard) (${BATCH.lastRunSuccess}) == 0`,
          for: '5m',
          severity: 'warning',
          summary: 'Shard {{ $labels.shard }} of batch prediction {{ $labels.job }} failed',
          description:
            'The last run of shard {{ $labels.shard }} of {{ $labels.job }} ended without writing all its outputs ' +
            '(a request failed after its retries, bad input, storage error, or it was stopped). Its logs name ' +
            'the cause; the next run resumes from its checkpoint.',
        },
      ],
    },
  ];
}

/** The gateway labels each routing provider with the name of the cluster that serves it. */
export function providerName(cluster: ClusterSpec): string {
  return cluster.name;
}

/** Request outcomes that count as the platform failing the client (client errors and cancels do not). */
export const FAILED_OUTCOMES = REQUEST_OUTCOMES.filter(
  (outcome) => !['success', 'upstream_client_error', 'cancelled'].includes(outcome),
);

/** Hours in an average month, to turn a monthly budget into an hourly baseline. */
const HOURS_PER_MONTH = 730;

/** Recorded series: the fleet's price per 1000 requests for each provider, and the observed one. */
export const COST_SERIES = {
  price: 'provider:gateway_cost_per_1k_requests_usd:price',
  observed: 'provider:gateway_cost_per_1k_requests_usd:rate30m',
} as const;

/** Rounds a computed threshold so rule text stays readable and stable. */
function round(value: number): number {
  return Number(value.toFixed(6));
}

/** The platform's recording and alerting rules for one cluster; baselines come from the fleet. */
export function platformRuleGroups(cluster: ClusterSpec, fleet: Fleet): RuleGroupDefinition[] {
  const t = ALERT_THRESHOLDS;
  const factor = fleet.settings.observability.costAnomalyFactor;
  const requests = GATEWAY.requests.name;
  const failed = `${requests}{outcome=~"${FAILED_OUTCOMES.join('|')}"}`;
  const serving = `namespace="${MODEL_SERVING.namespace}"`;
  const hourlyBaseline = round(cluster.cost.monthlyBudgetUsd / HOURS_PER_MONTH);
  return [
    {
      name: 'ml-platform.cost',
      rules: [
        ...fleet.clusters.map((provider) => ({
          record: COST_SERIES.price,
          expr: `vector(${provider.gateway.costPer1kRequestsUsd})`,
          labels: { provider: providerName(provider) },
        })),
        {
          record: COST_SERIES.observed,
          expr:
            `1000 * sum by (provider) (rate(${GATEWAY.estimatedCost.name}[30m]))` +
            ` / sum by (provider) (rate(${requests}[30m]))`,
        },
      ],
    },
    {
      name: 'ml-platform.alerts',
      rules: [
        {
          alert: 'GatewayErrorRateHigh',
          expr:
            `sum by (model) (rate(${failed}[5m])) / sum by (model) (rate(${requests}[5m]))` +
            ` > ${t.errorRatio}`,
          for: '5m',
          severity: 'critical',
          summary: 'More than 1% of predictions for {{ $labels.model }} fail',
          description:
            'The gateway answered more than 1% of requests for {{ $labels.model }} with a server error, ' +
            'timeout or no provider over 5 minutes. Check the providers dashboard for the failing cloud.',
        },
        {
          alert: 'GatewayLatencyP99High',
          expr:
            `histogram_quantile(0.99, sum by (le, model) (rate(${GATEWAY.requestDuration.name}_bucket[5m])))` +
            ` > ${t.p99LatencySeconds}`,
          for: '5m',
          severity: 'warning',
          summary: 'p99 latency of {{ $labels.model }} is above 100 ms',
          description:
            'The 99th percentile of client latency for {{ $labels.model }}, failovers included, ' +
            'stayed above 100 ms for 5 minutes.',
        },
        {
          alert: 'CloudProviderUnreachable',
          expr: `max by (provider) (${GATEWAY.providerHealthy.name}) == 0`,
          for: '2m',
          severity: 'critical',
          summary: 'Provider {{ $labels.provider }} is unreachable from every gateway',
          description:
            'No gateway replica in this cluster sees a healthy endpoint of {{ $labels.provider }}: its ' +
            'requests fail over to the other clouds. Check its east-west gateway and cluster.',
        },
        {
          alert: 'CircuitBreakerOpen',
          // 2 is "open" in the gateway's breaker-state gauge.
          expr: `max by (provider) (${GATEWAY.breakerState.name}) == 2`,
          for: '1m',
          severity: 'warning',
          summary: 'Circuit breaker for {{ $labels.provider }} is open',
          description:
            'A gateway replica stopped sending requests to {{ $labels.provider }} after repeated failures.',
        },
        {
          alert: 'CostPerRequestAnomaly',
          expr: `${COST_SERIES.observed} > on (provider) ${factor} * ${COST_SERIES.price}`,
          for: '30m',
          severity: 'warning',
          summary: 'Requests served by {{ $labels.provider }} cost more than planned',
          description:
            `Cost per 1000 requests answered by {{ $labels.provider }} is over ${factor}× the fleet's ` +
            'price for it: retries and failed attempts are being paid for.',
        },
        {
          alert: 'HourlySpendAnomaly',
          expr: `sum(rate(${GATEWAY.estimatedCost.name}[1h])) * 3600 > ${round(factor * hourlyBaseline)}`,
          for: '1h',
          severity: 'warning',
          summary: 'Prediction spend in this cluster is above its budgeted rate',
          description:
            `Estimated spend of this cluster's gateway is over ${factor}× the hourly share ` +
            `(${hourlyBaseline} USD) of the cluster's monthly budget.`,
        },
        {
          alert: 'ModelServingReplicasUnavailable',
          expr: `kube_deployment_status_replicas_unavailable{${serving}} > 0`,
          for: '15m',
          severity: 'warning',
          summary: '{{ $labels.deployment }} has unavailable replicas',
          description:
            'Some replicas of {{ $labels.deployment }} have not been ready for 15 minutes: look for ' +
            'pending pods (GPU capacity) or failing probes.',
        },
        {
          alert: 'ModelServingDown',
          expr:
            `kube_deployment_status_replicas_available{${serving}} == 0` +
            ` and kube_deployment_spec_replicas{${serving}} > 0`,
          for: '5m',
          severity: 'critical',
          summary: '{{ $labels.deployment }} has no available replica',
          description:
            'Nothing serves {{ $labels.deployment }} in this cluster: the gateways send its requests to ' +
            'the other clouds.',
        },
        {
          alert: 'MeshCertificateExpiring',
          expr: `min(citadel_server_cert_chain_expiry_timestamp) - time() < ${t.certificateWarningDays} * 86400`,
          for: '1h',
          severity: 'warning',
          summary: 'The mesh CA certificate expires within 30 days',
          description:
            "istiod's intermediate CA (the cacerts secret) expires soon; rotate it in the cloud secret store.",
        },
        {
          alert: 'MeshCertificateExpiryCritical',
          expr: `min(citadel_server_cert_chain_expiry_timestamp) - time() < ${t.certificateCriticalDays} * 86400`,
          for: '10m',
          severity: 'critical',
          summary: 'The mesh CA certificate expires within 7 days',
          description:
            'When it expires no workload gets a new certificate and cross-cluster mTLS stops: rotate now.',
        },
        {
          alert: 'MeshPlaintextTraffic',
          expr:
            'sum by (destination_workload_namespace, destination_workload) (' +
            'rate(istio_requests_total{reporter="destination", connection_security_policy!="mutual_tls"}[5m])) > 0',
          for: '10m',
          severity: 'warning',
          summary: '{{ $labels.destination_workload }} receives requests without mutual TLS',
          description:
            'Requests reached {{ $labels.destination_workload_namespace }}/{{ $labels.destination_workload }} ' +
            'without mTLS although the mesh is STRICT: look for a PeerAuthentication override.',
        },
      ],
    },
  ];
}

/** The groups as the PrometheusRule custom resource (and a plain Prometheus rule file) holds them. */
export type PrometheusRuleGroups = NonNullable<NonNullable<IPrometheusRule['spec']>['groups']>;

/** Folder of the runbooks, relative to the repository root: one `<Alert>.md` per alert. */
export const RUNBOOKS_FOLDER = 'docs/runbooks';

/** Path of an alert's runbook, relative to the repository root. */
export function runbookPath(alert: string): string {
  return `${RUNBOOKS_FOLDER}/${alert}.md`;
}

/**
 * The rule groups as Prometheus reads them. Every alert carries a
 * `runbook_url` annotation: `runbookUrl(alert)` gives the link to its
 * runbook, which Alertmanager's notifications and Grafana show next to it.
 */
export function toPrometheusGroups(
  groups: readonly RuleGroupDefinition[],
  runbookUrl: (alert: string) => string,
): PrometheusRuleGroups {
  return groups.map((group) => ({
    name: group.name,
    rules: group.rules.map((rule) =>
      'record' in rule
        ? { record: rule.record, expr: rule.expr, ...(rule.labels ? { labels: { ...rule.labels } } : {}) }
        : {
            alert: rule.alert,
            expr: rule.expr,
            for: rule.for,
            labels: { severity: rule.severity },
            annotations: {
              summary: rule.summary,
              description: rule.description,
              runbook_url: runbookUrl(rule.alert),
            },
          },
    ),
  }));
}
