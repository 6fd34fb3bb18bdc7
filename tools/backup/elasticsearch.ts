/**
 * The Elasticsearch side of `npm run backup` and `npm run restore`: a snapshot taken now by the
 * rendered SLM policy (so it lands in the same repository, named and retained like the scheduled
 * ones), and indices restored from a snapshot. Elasticsearch is reached through kubectl: curl runs
 * in an Elasticsearch pod against the cluster's HTTP Service with the ECK-created `elastic` user,
 * whose password goes to curl on its standard input (`--config -`), never on a command line.
 */
import { spawnSync } from 'node:child_process';
import { ELASTICSEARCH, LOGGING_NAMESPACE } from '../../platform/logging/settings';
import { LOG_SNAPSHOTS } from '../../platform/logging/snapshots';
import { capture, clusterNamed, confirmContext } from '../lifecycle/cluster';
import { EXIT } from '../lifecycle/exit-codes';
import { type Step, StepError } from '../lifecycle/steps';

// biome-ignore lint/suspicious/noExplicitAny: Elasticsearch's JSON answers, read field by field with optional chaining
type Json = Record<string, any>;

/** Where ECK mounts the HTTP certificate (with its CA) in the Elasticsearch pods. */
const POD_CA = '/usr/share/elasticsearch/config/http-certs/ca.crt';

/** The StatefulSet ECK runs the `default` node set as: `<cluster>-es-<node set>`. */
const NODES = `statefulset/${ELASTICSEARCH.name}-es-default`;

/** An Elasticsearch API call as the plan shows it. */
function describeCall(method: string, path: string, body?: unknown): string {
  return `${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`} (curl in ${LOGGING_NAMESPACE}/${NODES}, as the elastic user)`;
}

/** Calls the Elasticsearch API of the cluster kubectl points at; its JSON answer, or a StepError with Elasticsearch's. */
export function callElasticsearch(method: string, path: string, body?: unknown, timeoutSeconds = 120): Json {
  const encoded = capture('kubectl', [
    '-n',
    LOGGING_NAMESPACE,
    'get',
    'secret',
    ELASTICSEARCH.superuserSecret,
    '-o',
    'jsonpath={.data.elastic}',
  ]).trim();
  const password = Buffer.from(encoded, 'base64').toString('utf8');
  const args = [
    '-n',
    LOGGING_NAMESPACE,
    'exec',
    '-i',
    NODES,
    '-c',
    'elasticsearch',
    '--',
    'curl',
    '--silent',
    '--show-error',
    '--fail-with-body',
    '--max-time',
    String(timeoutSeconds),
    '--cacert',
    POD_CA,
    '--config',
    '-',
    '-X',
    method,
    '-H',
    'Content-Type: application/json',
    `https://${ELASTICSEARCH.host}:${ELASTICSEARCH.port}/${path}`,
    ...(body === undefined ? [] : ['--data-binary', JSON.stringify(body)]),
  ];
  const result = spawnSync('kubectl', args, {
    input: `user = "elastic:${password.replace(/["\\]/g, '\\$&')}"\n`,
    encoding: 'utf8',
    timeout: (timeoutSeconds + 30) * 1000,
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new StepError(
      missing ? 'kubectl is not installed or not on PATH' : `kubectl: ${result.error.message}`,
      missing ? EXIT.usage : EXIT.failed,
    );
  }
  if (result.status !== 0) {
    throw new StepError(
      `${method} ${path} failed: ${(result.stdout || result.stderr || `exit ${result.status}`).trim()}`,
      EXIT.failed,
    );
  }
  try {
    return JSON.parse(result.stdout) as Json;
  } catch {
    throw new StepError(`${method} ${path} answered no JSON: ${result.stdout.slice(0, 200)}`, EXIT.failed);
  }
}

/** The snapshot's record in the repository (`GET _snapshot/<repository>/<snapshot>`). */
function snapshotInfo(snapshot: string): Json {
  const found = callElasticsearch('GET', `_snapshot/${LOG_SNAPSHOTS.repository}/${snapshot}`).snapshots?.[0];
  if (!found) throw new StepError(`snapshot ${snapshot} is not in ${LOG_SNAPSHOTS.repository}`, EXIT.refused);
  return found;
}

export interface SnapshotOptions {
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
}

/** A snapshot now: the SLM policy executed, then its snapshot awaited until SUCCESS. */
export function snapshotPlan(clusterName: string, options: SnapshotOptions): Step[] {
  const cluster = clusterNamed(clusterName);
  const { policy, repository } = LOG_SNAPSHOTS;
  let snapshot = '';
  return [
    confirmContext(cluster),
    {
      kind: 'task',
      title: `take a snapshot now with SLM policy ${policy}`,
      describe: [
        describeCall('POST', `_slm/policy/${policy}/_execute`),
        'records the snapshot_name it answers',
      ],
      run: async () => {
        snapshot = String(callElasticsearch('POST', `_slm/policy/${policy}/_execute`).snapshot_name ?? '');
        if (!snapshot) throw new StepError(`SLM policy ${policy} named no snapshot`, EXIT.failed);
        console.log(`snapshot: ${snapshot}`);
      },
    },
    {
      kind: 'task',
      title: `wait until the snapshot is SUCCESS in ${repository} (${options.timeoutSeconds} s at most)`,
      describe: [
        describeCall('GET', `_snapshot/${repository}/<snapshot_name>`),
        'state SUCCESS passes; FAILED, PARTIAL or INCOMPATIBLE fail',
      ],
      run: async () => {
        const deadline = Date.now() + options.timeoutSeconds * 1000;
        for (;;) {
          // SLM starts the snapshot asynchronously: until it is registered, it is not found yet.
          const found = callElasticsearch(
            'GET',
            `_snapshot/${repository}/${snapshot}?ignore_unavailable=true`,
          ).snapshots?.[0] as Json | undefined;
          const state = String(found?.state ?? 'NOT STARTED');
          console.log(`${snapshot}: ${state}`);
          if (state === 'SUCCESS') return;
          if (['FAILED', 'PARTIAL', 'INCOMPATIBLE'].includes(state)) {
            const why = (found?.failures ?? []).map((f: Json) => `${f.index}: ${f.reason}`).join('; ');
            throw new StepError(`snapshot ${snapshot} ended ${state}${why ? `: ${why}` : ''}`, EXIT.failed);
          }
          if (Date.now() >= deadline)
            throw new StepError(
              `snapshot ${snapshot} is still ${state} after ${options.timeoutSeconds} s`,
              EXIT.failed,
            );
          await new Promise((r) => setTimeout(r, options.pollSeconds * 1000));
        }
      },
    },
  ];
}

export interface SnapshotRestoreOptions {
  /** The snapshot to restore from (`GET _cat/snapshots/log-snapshots`). */
  readonly snapshot: string;
  /** Index patterns to restore; the policy's indices when empty. */
  readonly indices: readonly string[];
  /** Restore each index under this prefix, beside a live index of the same name. */
  readonly renamePrefix?: string;
  readonly timeoutSeconds: number;
}

/** The restore request: the indices asked for, never the cluster's global state (Git and the setup Job own it). */
export function restoreRequest(options: Pick<SnapshotRestoreOptions, 'indices' | 'renamePrefix'>): Json {
  const indices = options.indices.length > 0 ? options.indices : LOG_SNAPSHOTS.indices;
  return {
    indices: indices.join(','),
    ignore_unavailable: true,
    include_global_state: false,
    ...(options.renamePrefix
      ? { rename_pattern: '(.+)', rename_replacement: `${options.renamePrefix}$1` }
      : {}),
  };
}

/**
 * Indices back from a snapshot: the snapshot must exist and be SUCCESS; the restore waits for
 * completion and fails when a shard did. An open index of the same name makes Elasticsearch refuse:
 * close or delete it first, or restore beside it with a prefix.
 */
export function snapshotRestorePlan(clusterName: string, options: SnapshotRestoreOptions): Step[] {
  const cluster = clusterNamed(clusterName);
  const { repository } = LOG_SNAPSHOTS;
  const request = restoreRequest(options);
  const path = `_snapshot/${repository}/${options.snapshot}/_restore?wait_for_completion=true`;
  return [
    confirmContext(cluster),
    {
      kind: 'task',
      title: `confirm snapshot ${options.snapshot} exists and is SUCCESS`,
      describe: [
        describeCall('GET', `_snapshot/${repository}/${options.snapshot}`),
        'state SUCCESS, else refused',
      ],
      run: async () => {
        const state = snapshotInfo(options.snapshot).state;
        if (state !== 'SUCCESS')
          throw new StepError(
            `snapshot ${options.snapshot} is ${state ?? 'without a state'}, not SUCCESS`,
            EXIT.refused,
          );
      },
    },
    {
      kind: 'task',
      title: `restore ${request.indices} from ${options.snapshot}${options.renamePrefix ? ` as ${options.renamePrefix}*` : ''}`,
      describe: [describeCall('POST', path, request), 'fails when a shard failed to restore'],
      run: async () => {
        const answer = callElasticsearch('POST', path, request, options.timeoutSeconds);
        const shards = answer.snapshot?.shards ?? {};
        console.log(
          `restored ${(answer.snapshot?.indices ?? []).join(', ') || 'no index'}: ${shards.successful ?? 0} of ${shards.total ?? 0} shards`,
        );
        if ((shards.failed ?? 0) > 0)
          throw new StepError(
            `${shards.failed} shards of ${options.snapshot} failed to restore`,
            EXIT.failed,
          );
      },
    },
  ];
}
