/**
 * npm run backup  -- --cluster NAME [--schedule NAME] [--name BACKUP] [--dry-run] [--timeout SECONDS]
 * npm run restore -- --cluster NAME --backup BACKUP [--namespace NS]... [--keep-existing-volumes]
 *                     [--dry-run] [--timeout SECONDS]
 *
 * npm run backup  -- --cluster NAME --elasticsearch [--dry-run] [--timeout SECONDS]
 * npm run restore -- --cluster NAME --snapshot SNAPSHOT [--index PATTERN]... [--rename-prefix P] [--dry-run]
 *
 * A backup now, made exactly as a rendered Velero Schedule makes its backups (its template), or a
 * restore of one, through kubectl (no velero CLI needed); each waits until Velero reports the
 * outcome. Where the backup carries the volumes' data (CSI snapshots moved into the bucket), the
 * backup confirms each claim's data was uploaded, and the restore refuses to run over claims that
 * exist (Velero fills only a claim it creates) and reports each volume it filled.
 * With --elasticsearch / --snapshot, the same for the log cluster's snapshots (./elasticsearch.ts).
 * Exit codes: tools/lifecycle/exit-codes.ts (docs/operations.md).
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
import { type Claim, copiesVolumeData, renderedVolumePolicy, skippedClaims, volumeAction } from './volumes';

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

/** The bound claims of some namespaces (every namespace when none is named), as the volume policies see them. */
function boundClaims(namespaces: readonly string[] | undefined): Claim[] {
  const lists =
    namespaces && namespaces.length > 0
      ? namespaces.map((ns) => capture('kubectl', ['-n', ns, 'get', 'persistentvolumeclaims', '-o', 'json']))
      : [capture('kubectl', ['get', 'persistentvolumeclaims', '--all-namespaces', '-o', 'json'])];
  return lists.flatMap((text) =>
    ((JSON.parse(text) as Json).items ?? [])
      .filter((pvc: Json) => pvc.status?.phase === 'Bound')
      .map(
        (pvc: Json): Claim => ({
          namespace: pvc.metadata.namespace,
          name: pvc.metadata.name,
          labels: pvc.metadata.labels ?? {},
          storageClass: pvc.spec?.storageClassName,
        }),
      ),
  );
}

/** The data movements of a backup (DataUploads) or a restore (DataDownloads), Velero's per-volume records. */
function dataMovements(
  resource: 'datauploads.velero.io' | 'datadownloads.velero.io',
  label: string,
  name: string,
): Json[] {
  return (
    (
      JSON.parse(
        capture('kubectl', ['-n', BACKUP.namespace, 'get', resource, '-l', `${label}=${name}`, '-o', 'json']),
      ) as Json
    ).items ?? []
  );
}

const claimName = (c: { namespace: string; name: string }) => `${c.namespace}/${c.name}`;

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
  const template = schedule.spec.template as Json;
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
    ...(copiesVolumeData(template)
      ? [confirmVolumesUploaded(cluster.name, name, template, options.distDir)]
      : []),
  ];
}

/**
 * After a backup that copies volume data: every bound claim of its namespaces that the volume
 * policy does not skip has a Completed DataUpload (its data is in the bucket); a claim without one,
 * or whose upload did not complete, fails the command, naming the claim.
 */
function confirmVolumesUploaded(cluster: string, backup: string, template: Json, distDir?: string): Step {
  const policy = renderedVolumePolicy(cluster, template, distDir);
  const skipped = skippedClaims(policy);
  const namespaces: string[] | undefined = template.includedNamespaces;
  return {
    kind: 'task',
    title: `confirm the data of every volume of Backup ${backup} reached the bucket`,
    describe: [
      `kubectl ${namespaces ? `-n NS get persistentvolumeclaims for NS in ${namespaces.join(', ')}` : 'get persistentvolumeclaims --all-namespaces'}: the bound claims` +
        (skipped.length > 0 ? `, but ${skipped.join('; ')} (skipped by the volume policy)` : ''),
      `kubectl -n ${BACKUP.namespace} get datauploads.velero.io -l velero.io/backup-name=${backup} -o json: one Completed DataUpload per claim`,
    ],
    run: async () => {
      const claims = boundClaims(namespaces).filter((c) => volumeAction(policy, c) !== 'skip');
      const uploads = dataMovements('datauploads.velero.io', 'velero.io/backup-name', backup);
      const missing: string[] = [];
      for (const claim of claims) {
        const upload = uploads.find(
          (u) => u.spec?.sourceNamespace === claim.namespace && u.spec?.sourcePVC === claim.name,
        );
        const phase = upload?.status?.phase ?? 'no DataUpload';
        const bytes = upload?.status?.progress?.totalBytes;
        console.log(`${claimName(claim)}: ${phase}${bytes !== undefined ? ` (${bytes} bytes)` : ''}`);
        if (phase !== 'Completed') missing.push(`${claimName(claim)} (${phase})`);
      }
      if (missing.length > 0)
        throw new StepError(
          `Backup ${backup} holds no data of ${missing.join(', ')}; see kubectl -n ${BACKUP.namespace} describe datauploads -l velero.io/backup-name=${backup}`,
          EXIT.failed,
        );
    },
  };
}

export interface RestoreOptions {
  readonly backup: string;
  readonly namespaces: readonly string[];
  /**
   * Restore over claims that exist, which keep the data they hold (Velero fills only a claim it
   * creates); without it, such claims refuse the restore.
   */
  readonly keepExistingVolumes?: boolean;
  readonly distDir?: string;
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
  // The Backup's spec, read by the second step, tells the volume steps whether it carries volume data.
  let backupSpec: Json = {};
  const carriesVolumes = () => copiesVolumeData(backupSpec);
  return [
    confirmContext(cluster),
    {
      kind: 'task',
      title: `confirm Backup ${options.backup} exists and Completed`,
      describe: [
        `kubectl -n ${BACKUP.namespace} get backups.velero.io ${options.backup} -o json: status.phase Completed; spec says whether it carries volume data`,
      ],
      run: async () => {
        const backup = JSON.parse(
          capture('kubectl', [
            '-n',
            BACKUP.namespace,
            'get',
            'backups.velero.io',
            options.backup,
            '-o',
            'json',
          ]),
        ) as Json;
        const phase = backup.status?.phase;
        if (phase !== 'Completed')
          throw new StepError(
            `Backup ${options.backup} is ${phase ?? 'without a phase'}, not Completed`,
            EXIT.refused,
          );
        backupSpec = backup.spec ?? {};
        console.log(
          carriesVolumes()
            ? `Backup ${options.backup} carries the data of its volumes (CSI snapshots moved into the bucket)`
            : `Backup ${options.backup} carries no volume data: its claims come back empty`,
        );
      },
    },
    {
      kind: 'task',
      title: 'refuse to restore volume data over claims that exist',
      describe: [
        'only when the backup carries volume data: kubectl get persistentvolumeclaims of the namespaces restored ' +
          `(${options.namespaces.length > 0 ? options.namespaces.join(', ') : "the backup's"})`,
        "a bound claim the backup's volume policy does not skip would keep its current data (Velero fills only a claim it creates): " +
          (options.keepExistingVolumes
            ? 'listed, and kept (--keep-existing-volumes)'
            : 'refused (exit 3); scale its workload to zero and delete the claim, or pass --keep-existing-volumes'),
      ],
      run: async () => {
        if (!carriesVolumes()) return;
        const namespaces: string[] | undefined =
          options.namespaces.length > 0 ? [...options.namespaces] : backupSpec.includedNamespaces;
        const policy = renderedVolumePolicy(cluster.name, backupSpec, options.distDir);
        const existing = boundClaims(namespaces)
          .filter((c) => volumeAction(policy, c) !== 'skip')
          .map(claimName);
        if (existing.length === 0) return;
        if (!options.keepExistingVolumes)
          throw new StepError(
            `${existing.join(', ')} exist: Velero would leave their data as it is and restore none of the backup's. ` +
              'Scale their workloads to zero and delete the claims first (docs/disaster-recovery.md, restoring volumes), ' +
              'or pass --keep-existing-volumes to keep their current data',
            EXIT.refused,
          );
        console.log(`kept with their current data (--keep-existing-volumes): ${existing.join(', ')}`);
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
    {
      kind: 'task',
      title: `report the volumes Restore ${name} filled from the bucket`,
      describe: [
        `only when the backup carries volume data: kubectl -n ${BACKUP.namespace} get datadownloads.velero.io -l velero.io/restore-name=${name} -o json`,
        'each claim filled, with its phase; one not Completed fails the command',
      ],
      run: async () => {
        if (!carriesVolumes()) return;
        const downloads = dataMovements('datadownloads.velero.io', 'velero.io/restore-name', name);
        const failed: string[] = [];
        for (const download of downloads) {
          const claim = claimName({
            namespace: download.spec?.targetVolume?.namespace,
            name: download.spec?.targetVolume?.pvc,
          });
          const phase = download.status?.phase ?? 'New';
          console.log(`${claim}: ${phase}`);
          if (phase !== 'Completed') failed.push(`${claim} (${phase})`);
        }
        if (downloads.length === 0)
          console.log('no volume was filled: the backup held no data of these namespaces');
        if (failed.length > 0)
          throw new StepError(
            `Restore ${name} did not fill ${failed.join(', ')}; see kubectl -n ${BACKUP.namespace} describe datadownloads -l velero.io/restore-name=${name}`,
            EXIT.failed,
          );
      },
    },
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
      'keep-existing-volumes': { type: 'boolean', default: false },
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
    keepExistingVolumes: values['keep-existing-volumes'],
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
