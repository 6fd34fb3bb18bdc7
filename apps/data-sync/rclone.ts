/**
 * The rclone invocations of model replication. They are plain data so the
 * chart renders them and the tests run them, for real, against directories.
 *
 * The conflict rule: a model version is immutable. `--immutable` makes rclone
 * copy what is missing, skip what is identical, and refuse (report, exit
 * non-zero, leave untouched) a file that exists at the destination with other
 * content; it never overwrites.
 */

/** The replication CronJobs: the copy of new versions, and the daily verification of all. */
export const REPLICATION_JOBS = { copy: 'model-sync', verify: 'model-sync-verify' } as const;

/**
 * Seconds between two runs of a cron schedule, for the staleness alerts.
 * Only fixed-interval schedules are accepted: every N minutes, a fixed minute
 * of every hour, or a fixed time of every day.
 */
export function scheduleIntervalSeconds(schedule: string, where: string): number {
  const fields = schedule.trim().split(/\s+/);
  const [minute, hour, ...rest] = fields;
  const everyDay = rest.length === 3 && rest.every((field) => field === '*');
  if (fields.length === 5 && everyDay) {
    const everyN = /^\*\/([1-9]\d?)$/.exec(minute);
    if (everyN && hour === '*' && 60 % Number(everyN[1]) === 0) return Number(everyN[1]) * 60;
    if (/^\d{1,2}$/.test(minute) && hour === '*') return 3600;
    if (/^\d{1,2}$/.test(minute) && /^\d{1,2}$/.test(hour)) return 86400;
  }
  throw new Error(
    `${where}: "${schedule}": the replication alerts need a fixed interval; use "*/N * * * *" (N dividing 60), ` +
      '"M * * * *" (hourly) or "M H * * *" (daily)',
  );
}

/** rclone remote names used in the environment (`RCLONE_CONFIG_SOURCE_*`, `RCLONE_CONFIG_TARGET_*`). */
export const SOURCE = 'source';
export const TARGET = 'target';

/** Environment variables defining a remote from its settings. */
export function remoteEnv(
  remote: string,
  settings: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [`RCLONE_CONFIG_${remote.toUpperCase()}_${key}`, value]),
  );
}

const COMMON = ['--checksum', '--use-json-log', '--log-level', 'INFO', '--stats', '0'];

/** Copies new versions from the source bucket to the target bucket, never overwriting. */
export function copyArgs(sourceBucket: string, targetBucket: string): string[] {
  return [
    'copy',
    `${SOURCE}:${sourceBucket}`,
    `${TARGET}:${targetBucket}`,
    '--immutable',
    '--no-update-modtime',
    ...COMMON,
  ];
}

/** Verifies that every source file exists unchanged at the target; exits non-zero otherwise. */
export function checkArgs(sourceBucket: string, targetBucket: string): string[] {
  return ['check', `${SOURCE}:${sourceBucket}`, `${TARGET}:${targetBucket}`, '--one-way', ...COMMON];
}

/** Shell-quotes one argument for the POSIX sh the job runs in. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The series each replication Job pushes, by Job name; the alert rules read exactly these. */
export function replicationSeries(job: string) {
  const prefix = metricPrefix(job);
  return {
    /** 1 when the last run succeeded, 0 when it failed. */
    lastSuccess: `${prefix}_last_success`,
    /** When the last run started. */
    lastRun: `${prefix}_last_run_timestamp_seconds`,
    /** When a run last succeeded; pushed only by a successful run, so a failing Job leaves it to age. */
    lastSuccessTime: `${prefix}_last_success_timestamp_seconds`,
  };
}

/** curl's attempts at the Pushgateway: a restart of it (seconds) must not fail a good replication. */
const PUSH_RETRIES = 3;

/**
 * The job's script: run rclone, then push the outcome to the Pushgateway so a
 * failed or stale replication alerts. A push is a POST: it replaces the pushed
 * series of the Job's group and keeps the others, so the last success time
 * survives failed runs. The Job's exit status is rclone's; when rclone
 * succeeded but the outcome could not be reported (the Pushgateway refused or
 * was unreachable after retries), the Job fails too: a replication nobody can
 * see succeeded is one the staleness alert will page for, and the failed Job
 * says why.
 */
export function jobScript(job: string, args: readonly string[], pushgatewayUrl: string): string {
  const series = replicationSeries(job);
  return [
    'started=$(date +%s)',
    `rclone ${args.map(quote).join(' ')}`,
    'status=$?',
    'success=0; [ "$status" -eq 0 ] && success=1',
    'gauge() { printf \'# TYPE %s gauge\\n%s %s\\n\' "$1" "$1" "$2"; }',
    '{',
    `  gauge ${series.lastSuccess} "$success"`,
    `  gauge ${series.lastRun} "$started"`,
    `  [ "$success" -eq 0 ] || gauge ${series.lastSuccessTime} "$(date +%s)"`,
    `} | curl --silent --show-error --fail --retry ${PUSH_RETRIES} --retry-delay 1 --retry-connrefused --max-time 10 --data-binary @- ${quote(`${pushgatewayUrl}/metrics/job/${job}`)}`,
    'pushed=$?',
    'if [ "$pushed" -ne 0 ]; then',
    `  echo "${job}: could not report the outcome to the Pushgateway (curl exit $pushed)" >&2`,
    '  [ "$status" -eq 0 ] && exit 1',
    'fi',
    'exit "$status"',
    '',
  ].join('\n');
}

/** `model-sync` → `model_sync`: the Prometheus metric prefix of a job. */
export function metricPrefix(job: string): string {
  return job.replace(/-/g, '_');
}
