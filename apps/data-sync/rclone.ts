/**
 * The rclone invocations of model replication. They are plain data so the
 * chart renders them and the tests run them, for real, against directories.
 *
 * The conflict rule: a model version is immutable. `--immutable` makes rclone
 * copy what is missing, skip what is identical, and refuse (report, exit
 * non-zero, leave untouched) a file that exists at the destination with other
 * content; it never overwrites.
 */

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

/**
 * The job's script: run rclone, then push the outcome to the Pushgateway so
 * a failed or stale replication alerts. The push failing does not hide the
 * rclone result: the job's exit status is rclone's.
 */
export function jobScript(job: string, args: readonly string[], pushgatewayUrl: string): string {
  return [
    'started=$(date +%s)',
    `rclone ${args.map(quote).join(' ')}`,
    'status=$?',
    'success=0; [ "$status" -eq 0 ] && success=1',
    `cat <<EOF | curl --silent --show-error --max-time 10 --data-binary @- ${quote(`${pushgatewayUrl}/metrics/job/${job}`)} || true`,
    `# TYPE ${metricPrefix(job)}_last_success gauge`,
    `${metricPrefix(job)}_last_success $success`,
    `# TYPE ${metricPrefix(job)}_last_run_timestamp_seconds gauge`,
    `${metricPrefix(job)}_last_run_timestamp_seconds $started`,
    'EOF',
    'exit "$status"',
    '',
  ].join('\n');
}

/** `model-sync` → `model_sync`: the Prometheus metric prefix of a job. */
export function metricPrefix(job: string): string {
  return job.replace(/-/g, '_');
}
