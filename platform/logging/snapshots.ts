/**
 * Snapshots of the log cluster to the cloud's log-snapshots bucket: the repository Elasticsearch
 * writes to, the snapshot lifecycle (SLM) policy that takes them, and the status the snapshot
 * status CronJob pushes to the Pushgateway for the alerts. Plain data: the chart renders it, the
 * alert rules and the commands read it, and the tests run the status script for real.
 */
import type { Fleet } from '../../clusters/types';

/** What the snapshots are called, where they go and when they are taken. */
export const LOG_SNAPSHOTS = {
  /** The snapshot repository registered in Elasticsearch (the cluster's log-snapshots bucket). */
  repository: 'log-snapshots',
  /** The SLM policy id. */
  policy: 'ml-platform-logs',
  /** Snapshots a day; the schedule below takes them at equal intervals. */
  perDay: 4,
  /** The indices snapshotted: the logs and Jaeger's spans (templates, ILM and roles come from the setup Job). */
  indices: ['ml-logs-*', 'jaeger-*'],
  /** Snapshots kept whatever their age, so a long outage of SLM never deletes the last good ones. */
  minCount: 4,
  /** The status CronJob (Kubernetes cron, UTC) reading SLM's outcome for the alerts. */
  statusJob: 'log-snapshot-status',
  statusSchedule: '*/15 * * * *',
} as const;

/** The setup ConfigMap's key holding the SLM policy (`npm run recovery-points` reads its schedule there). */
export const SLM_POLICY_FILE = 'slm-policy.json';

/**
 * The SLM schedule, in Elasticsearch's cron syntax (seconds first, `?` for an unused day field):
 * on the hour every 24/perDay hours, UTC.
 */
export function snapshotSchedule(): string {
  return `0 0 */${24 / LOG_SNAPSHOTS.perDay} * * ?`;
}

/** Seconds between two snapshots of the schedule. */
export function snapshotIntervalSeconds(): number {
  return 86400 / LOG_SNAPSHOTS.perDay;
}

/**
 * The SLM policy (`PUT _slm/policy/<id>`): the indices of the logs and spans without the
 * cluster's global state; snapshots kept as long as the logs themselves (the fleet's
 * `deleteAfterDays`), at least `minCount` of them. SLM appends a UUID to each name.
 */
export function snapshotLifecyclePolicy(fleet: Fleet) {
  const days = fleet.settings.observability.logs.deleteAfterDays;
  return {
    schedule: snapshotSchedule(),
    name: '<ml-logs-{now/d}>',
    repository: LOG_SNAPSHOTS.repository,
    config: { indices: [...LOG_SNAPSHOTS.indices], ignore_unavailable: true, include_global_state: false },
    retention: {
      expire_after: `${days}d`,
      min_count: LOG_SNAPSHOTS.minCount,
      max_count: days * LOG_SNAPSHOTS.perDay + LOG_SNAPSHOTS.minCount,
    },
  };
}

/** The repository registration (`PUT _snapshot/<repository>`): the cloud's type and bucket settings. */
export function snapshotRepository(storage: {
  readonly type: string;
  readonly settings: Readonly<Record<string, string>>;
}) {
  return { type: storage.type, settings: { ...storage.settings } };
}

/** The series the status CronJob pushes (job `log-snapshot-status`); the alert rules read exactly these. */
export const SNAPSHOT_SERIES = {
  /** When the policy's last successful snapshot was taken (absent before the first). */
  lastSuccess: 'log_snapshot_last_success_timestamp_seconds',
  /** When the policy's last failed attempt was (absent when none failed). */
  lastFailure: 'log_snapshot_last_failure_timestamp_seconds',
  /** When the status was last read from Elasticsearch. */
  statusRead: 'log_snapshot_status_timestamp_seconds',
} as const;

/**
 * The status CronJob's script: reads the SLM policy's last success and failure
 * (`filter_path` keeps just their times, so the answer is one line `sed` reads) and replaces its
 * group on the Pushgateway. Elasticsearch's error is logged; any error (Elasticsearch down, the policy missing, the Pushgateway
 * unreachable) fails the Job, and the status then goes stale. Reads ES_URL, ES_CA,
 * ELASTIC_PASSWORD and PUSHGATEWAY_URL from its environment; runs in the Elasticsearch image
 * (sh, curl, sed).
 */
export function snapshotStatusScript(): string {
  const s = SNAPSHOT_SERIES;
  const policy = LOG_SNAPSHOTS.policy;
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell expands these at run time
  const auth = '--cacert "${ES_CA}" -u "elastic:${ELASTIC_PASSWORD}"';
  const time = (field: string) => `sed -n 's/.*"${field}":{"time":\\([0-9]*\\)}.*/\\1/p'`;
  return [
    'set -eu',
    `policy=$(curl --silent --show-error --fail-with-body --max-time 60 ${auth} "$ES_URL/_slm/policy/${policy}?filter_path=*.last_success.time,*.last_failure.time") ||`,
    `  { echo "reading SLM policy ${policy} failed: $policy" >&2; exit 1; }`,
    `success=$(printf '%s' "$policy" | ${time('last_success')})`,
    `failure=$(printf '%s' "$policy" | ${time('last_failure')})`,
    '{',
    `  echo "# TYPE ${s.statusRead} gauge"`,
    `  echo "${s.statusRead} $(date +%s)"`,
    `  if [ -n "$success" ]; then echo "# TYPE ${s.lastSuccess} gauge"; echo "${s.lastSuccess} $((success / 1000))"; fi`,
    `  if [ -n "$failure" ]; then echo "# TYPE ${s.lastFailure} gauge"; echo "${s.lastFailure} $((failure / 1000))"; fi`,
    `} | curl --silent --show-error --fail-with-body --max-time 30 -X PUT --data-binary @- "$PUSHGATEWAY_URL/metrics/job/${LOG_SNAPSHOTS.statusJob}"`,
    `echo "${policy}: last success \${success:-never}, last failure \${failure:-never} (epoch ms)"`,
    '',
  ].join('\n');
}
