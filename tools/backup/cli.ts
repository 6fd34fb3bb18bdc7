/**
 * npm run backup  -- --cluster NAME [--schedule NAME] [--name BACKUP] [--dry-run] [--timeout SECONDS]
 * npm run restore -- --cluster NAME --backup BACKUP [--namespace NS]... [--dry-run] [--timeout SECONDS]
 * npm run backup  -- --cluster NAME --elasticsearch [--dry-run] [--timeout SECONDS]
 * npm run restore -- --cluster NAME --snapshot SNAPSHOT [--index PATTERN]... [--rename-prefix P] [--dry-run]
 *
 * A backup now, made exactly as a rendered Velero Schedule makes its backups (its template), or a
 * restore of one, through kubectl (no velero CLI needed); each waits until Velero reports the
 * outcome. With --elasticsearch / --snapshot, the same for the log cluster's snapshots
 * (./elasticsearch.ts). Exit codes: tools/lifecycle/exit-codes.ts (docs/operations.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { load } from 'js-yaml';
import { BACKUP } from '../../platform/backup/names';
import { capture, clusterNamed, confirmContext } from '../lifecycle/cluster';
import { EXIT } from '../lifecycle/exit-codes';
import { execute, type Step, StepError } from '../lifecycle/steps';
import { runCli } from '../run-cli';
import { DIST_DIR, DIST_FOLDER } from '../tree/layout';
import { snapshotPlan, snapshotRestorePlan } from './elasticsearch';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML and JSON of the rendered tree, read field by field with optional chaining
type Json = Record<string, any>;

/** The rendered Schedule of a cluster, or a usage error naming the ones there are. */
export function renderedSchedule(cluster: string, name: string, distDir = DIST_DIR): Json {
  const dir = join(distDir, cluster, 'backup');
  const file = join(dir, `Schedule.${BACKUP.namespace}.${name}.yaml`);
  if (!existsSync(file)) {
    const known = existsSync(dir)
      ? readdirSync(dir)
          .filter((f: string) => f.startsWith('Schedule.'))
          .map((f: string) => f.split('.')[2])
      : [];
    throw new StepError(
      `--schedule must name a Schedule rendered for ${cluster}: ${known.join(', ') || '(none; run npm run synth)'} (got "${name}")`,
      EXIT.usage,
    );
  }
  return load(readFileSync(file, 'utf8')) as Json;
}

/** Waits until a Velero object's `status.phase` is final; Completed passes, anything else fails. */
function waitForPhase(
  resource: 'backups.velero.io' | 'restores.velero.io',
  name: string,
  timeoutSeconds: number,
  pollSeconds: number,
): Step {
  return {
    kind: 'task',
    title: `wait until ${resource} ${name} is Completed (${timeoutSeconds} s at most)`,
    describe: [`kubectl -n ${BACKUP.namespace} get ${resource} ${name} -o json: status.phase`],
    run: async () => {
      const deadline = Date.now() + timeoutSeconds * 1000;
      for (;;) {
        const object = JSON.parse(
          capture('kubectl', ['-n', BACKUP.namespace, 'get', resource, name, '-o', 'json']),
        ) as Json;
        const phase = object.status?.phase ?? 'New';
        console.log(`${name}: ${phase}`);
        if (phase === 'Completed') return;
        if (['Failed', 'PartiallyFailed', 'FailedValidation', 'FinalizingPartiallyFailed'].includes(phase)) {
          const why = object.status?.failureReason ?? object.status?.validationErrors?.join('; ') ?? '';
          throw new StepError(
            `${resource} ${name} ended ${phase}${why ? `: ${why}` : ''}; see velero's logs`,
            EXIT.failed,
          );
        }
        if (Date.now() >= deadline)
          throw new StepError(`${resource} ${name} is still ${phase} after ${timeoutSeconds} s`, EXIT.failed);
        await new Promise((r) => setTimeout(r, pollSeconds * 1000));
      }
    },
  };
}

/** A UTC timestamp for names: `20261129-224500`. */
function stamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export interface BackupOptions {
  readonly schedule: string;
  readonly name?: string;
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
  readonly distDir?: string;
}

export function backupPlan(clusterName: string, options: BackupOptions): Step[] {
  const cluster = clusterNamed(clusterName);
  const schedule = renderedSchedule(cluster.name, options.schedule, options.distDir);
  const name = options.name ?? `${options.schedule}-manual-${stamp()}`;
  const backup = {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: { name, namespace: BACKUP.namespace },
    spec: schedule.spec.template,
  };
  const manifest = JSON.stringify(backup);
  return [
    confirmContext(cluster),
    {
      kind: 'command',
      title: `create Backup ${name} as Schedule ${options.schedule} makes them`,
      program: 'kubectl',
      args: ['create', '-f', '-'],
      input: manifest,
      inputDescription: `${manifest} (the template of ${DIST_FOLDER}/${cluster.name}/backup/Schedule.${BACKUP.namespace}.${options.schedule}.yaml)`,
    },
    waitForPhase('backups.velero.io', name, options.timeoutSeconds, options.pollSeconds),
  ];
}

export interface RestoreOptions {
  readonly backup: string;
  readonly namespaces: readonly string[];
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
}

export function restorePlan(clusterName: string, options: RestoreOptions): Step[] {
  const cluster = clusterNamed(clusterName);
  const name = `${options.backup}-restore-${stamp()}`.slice(0, 63);
  const restore = {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: { name, namespace: BACKUP.namespace },
    spec: {
      backupName: options.backup,
      ...(options.namespaces.length > 0 ? { includedNamespaces: [...options.namespaces] } : {}),
      // What exists is left as it is (Argo CD owns it); only what is missing comes back.
      existingResourcePolicy: 'none',
    },
  };
  const manifest = JSON.stringify(restore);
  return [
    confirmContext(cluster),
    {
      kind: 'task',
      title: `confirm Backup ${options.backup} exists and Completed`,
      describe: [
        `kubectl -n ${BACKUP.namespace} get backups.velero.io ${options.backup} -o json: status.phase Completed`,
      ],
      run: async () => {
        const phase = (
          JSON.parse(
            capture('kubectl', [
              '-n',
              BACKUP.namespace,
              'get',
              'backups.velero.io',
              options.backup,
              '-o',
              'json',
            ]),
          ) as Json
        ).status?.phase;
        if (phase !== 'Completed')
          throw new StepError(
            `Backup ${options.backup} is ${phase ?? 'without a phase'}, not Completed`,
            EXIT.refused,
          );
      },
    },
    {
      kind: 'command',
      title: `create Restore ${name}`,
      program: 'kubectl',
      args: ['create', '-f', '-'],
      input: manifest,
      inputDescription: manifest,
    },
    waitForPhase('restores.velero.io', name, options.timeoutSeconds, options.pollSeconds),
  ];
}

async function main(command: string, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cluster: { type: 'string' },
      schedule: { type: 'string', default: 'cluster' },
      name: { type: 'string' },
      backup: { type: 'string' },
      namespace: { type: 'string', multiple: true, default: [] },
      'dry-run': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '3600' },
      poll: { type: 'string', default: '10' },
      elasticsearch: { type: 'boolean', default: false },
      snapshot: { type: 'string' },
      index: { type: 'string', multiple: true, default: [] },
      'rename-prefix': { type: 'string' },
    },
    strict: true,
  });
  const timeoutSeconds = Number(values.timeout);
  const pollSeconds = Number(values.poll);
  if (!(timeoutSeconds > 0) || !(pollSeconds > 0))
    throw new StepError('--timeout and --poll must be positive seconds', EXIT.usage);
  const dryRun = values['dry-run'];
  if (command === 'backup' && values.elasticsearch) {
    const steps = snapshotPlan(values.cluster ?? '', { timeoutSeconds, pollSeconds });
    return execute(`backup ${values.cluster} (Elasticsearch)`, steps, { dryRun });
  }
  if (command === 'restore' && values.snapshot !== undefined) {
    const steps = snapshotRestorePlan(values.cluster ?? '', {
      snapshot: values.snapshot,
      indices: values.index,
      renamePrefix: values['rename-prefix'],
      timeoutSeconds,
    });
    return execute(`restore ${values.cluster} (Elasticsearch)`, steps, { dryRun });
  }
  if (command === 'backup') {
    const steps = backupPlan(values.cluster ?? '', {
      schedule: values.schedule,
      name: values.name,
      timeoutSeconds,
      pollSeconds,
    });
    return execute(`backup ${values.cluster}`, steps, { dryRun });
  }
  if (!values.backup)
    throw new StepError(
      '--backup must name the Backup to restore (kubectl -n velero get backups), or --snapshot the Elasticsearch snapshot',
      EXIT.usage,
    );
  const steps = restorePlan(values.cluster ?? '', {
    backup: values.backup,
    namespaces: values.namespace,
    timeoutSeconds,
    pollSeconds,
  });
  return execute(`restore ${values.cluster}`, steps, { dryRun });
}

const [command, ...rest] = process.argv.slice(2);
runCli(async () => {
  if (command !== 'backup' && command !== 'restore') {
    console.error('usage: tsx tools/backup/cli.ts backup|restore --cluster NAME …');
    return EXIT.usage;
  }
  try {
    return await main(command, rest);
  } catch (error) {
    console.error(`${command}: ${(error as Error).message}`);
    return error instanceof StepError ? error.exitCode : EXIT.usage;
  }
});
