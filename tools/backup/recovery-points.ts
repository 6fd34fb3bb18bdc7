/**
 * The recovery point of each kind of data: how much of it a loss can take, at worst, computed from
 * the rendered tree (Schedules, CronJobs, Applications, Terraform JSON), never written by hand.
 * `npm run recovery-points` prints the table docs/operations.md carries; a test compares them.
 * Reads dist/ only: no cdk8s, no cdktf.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_SNAPSHOTS, SLM_POLICY_FILE } from '../../platform/logging/snapshots';
import { parseDocuments } from '../tree/documents';
import { listClusters, readClusterYaml } from '../tree/files';
import { DIST_DIR, TERRAFORM_DIR } from '../tree/layout';
import { elasticsearchCronGapSeconds, humanDuration, longestGapSeconds } from './cron';
import { copiesVolumeData, renderedVolumePolicy, skippedClaims } from './volumes';

export type DataKind = 'Git' | 'models' | 'database' | 'logs' | 'volumes' | 'cluster objects';

/** One kind of data's recovery point across the fleet. */
export interface RecoveryPoint {
  readonly kind: DataKind;
  /** Worst case over the clusters, seconds; absent when the data is not backed up at all. */
  readonly seconds?: number;
  /** What it rests on, from the rendered configuration. */
  readonly basis: string;
}

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML and JSON of the rendered tree, read field by field with optional chaining
type Json = Record<string, any>;

/** The parsed objects of one cluster's rendered tree. */
function objectsOf(distDir: string, cluster: string): Json[] {
  return readClusterYaml(distDir, cluster).flatMap(({ file, text }) =>
    parseDocuments(file, text).flatMap((d) => (d.value ? [d.value as Json] : [])),
  );
}

function terraformOf(distDir: string, stack: string): Json {
  const file = join(distDir, TERRAFORM_DIR, stack, 'cdk.tf.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : {};
}

/** Whether a stack keeps old versions of its models bucket (S3 versioning, GCS versioning, Blob versioning). */
function modelsVersioned(stack: Json): boolean {
  const r: Record<string, Record<string, Json>> = stack.resource ?? {};
  const s3 = Object.entries(r.aws_s3_bucket_versioning ?? {}).some(
    ([id, v]: [string, Json]) =>
      id.startsWith('bucket-models') && v.versioning_configuration?.status === 'Enabled',
  );
  const gcs = Object.entries(r.google_storage_bucket ?? {}).some(
    ([id, v]: [string, Json]) => id.startsWith('bucket-models') && v.versioning?.enabled === true,
  );
  const blob = Object.values(r.azurerm_storage_account ?? {}).some(
    (v: Json) => v.blob_properties?.versioning_enabled === true,
  );
  return s3 || gcs || blob;
}

/** Managed PostgreSQL resources of a stack with point-in-time recovery. */
const DATABASES = ['aws_db_instance', 'google_sql_database_instance', 'azurerm_postgresql_flexible_server'];

/**
 * Point-in-time recovery of the managed databases replays the transaction log the service uploads
 * every 5 minutes (RDS: "typically within the last five minutes"); the worst case used for all three.
 */
export const DATABASE_LOG_UPLOAD_SECONDS = 300;

const isSchedule = (o: Json) => o.apiVersion === 'velero.io/v1' && o.kind === 'Schedule';

/**
 * The volumes' recovery point: in each cluster, the longest gap of the most frequent Schedule whose
 * backups carry the volumes' data into the bucket (CSI snapshots moved by the data mover); worst
 * over the clusters, and not backed up when some cluster has no such Schedule. The claims the
 * Schedules' volume policies skip are named: their data is someone else's to keep.
 */
function volumesRecoveryPoint(
  clusters: readonly string[],
  objects: ReadonlyMap<string, Json[]>,
  distDir: string,
): RecoveryPoint {
  const gap = (o: Json) => longestGapSeconds(o.spec.schedule, `Schedule ${o.metadata.name}`);
  const perCluster = clusters.map((cluster) => {
    const copying = (objects.get(cluster) ?? []).filter(
      (o) => isSchedule(o) && copiesVolumeData(o.spec.template),
    );
    const fastest = copying.sort((a, b) => gap(a) - gap(b))[0];
    return { cluster, fastest };
  });
  const missing = perCluster.filter((c) => !c.fastest).map((c) => c.cluster);
  if (missing.length > 0 || clusters.length === 0)
    return {
      kind: 'volumes',
      basis: `not backed up in ${missing.join(', ') || 'any cluster'}: no Velero Schedule there copies volume data into the bucket (snapshotVolumes with snapshotMoveData, or file-system backup)`,
    };
  const described = [
    ...new Set(
      perCluster.map(({ cluster, fastest }) => {
        const template = fastest.spec.template;
        const skipped = skippedClaims(renderedVolumePolicy(cluster, template, distDir));
        return (
          `${template.includedNamespaces?.join(', ') ?? 'every namespace'} every ${humanDuration(gap(fastest))} (${fastest.metadata.name})` +
          (skipped.length > 0 ? `, skipping ${skipped.join('; ')}` : '')
        );
      }),
    ),
  ];
  return {
    kind: 'volumes',
    seconds: Math.max(...perCluster.map(({ fastest }) => gap(fastest))),
    basis:
      `CSI snapshots moved into the backups bucket by Velero's data mover: ${described.join('; ')}` +
      ' (plus the time a backup takes to upload)',
  };
}

/**
 * Logs: the SLM policy each cluster's setup Job registers (the rendered ConfigMap's
 * `slm-policy.json`) snapshots them to the cluster's bucket; what was written since its last run is
 * what a loss takes, so its schedule's longest gap is the recovery point, worst over the clusters.
 * A cluster without one leaves the logs not backed up.
 */
function logsRecoveryPoint(clusters: readonly string[], objects: ReadonlyMap<string, Json[]>): RecoveryPoint {
  const policies = clusters.map((cluster) => {
    const map = (objects.get(cluster) ?? []).find(
      (o) => o.kind === 'ConfigMap' && typeof o.data?.[SLM_POLICY_FILE] === 'string',
    );
    if (!map) return { cluster, policy: undefined };
    const where = `${cluster}: ConfigMap ${map.metadata.namespace}/${map.metadata.name} ${SLM_POLICY_FILE}`;
    const policy = JSON.parse(map.data[SLM_POLICY_FILE]) as Json;
    return {
      cluster,
      policy,
      gap: elasticsearchCronGapSeconds(String(policy.schedule), `${where}: schedule`),
    };
  });
  const missing = policies.filter((p) => p.policy === undefined).map((p) => p.cluster);
  if (missing.length > 0 || policies.length === 0) {
    return {
      kind: 'logs',
      basis: `not backed up: no Elasticsearch snapshot policy is rendered for ${missing.join(', ') || 'any cluster'}; logs live only in the cluster`,
    };
  }
  const seconds = Math.max(...policies.map((p) => p.gap as number));
  const schedules = [...new Set(policies.map((p) => `${p.policy?.schedule}`))].join(', ');
  const repositories = [...new Set(policies.map((p) => `${p.policy?.repository}`))].join(', ');
  return {
    kind: 'logs',
    seconds,
    basis:
      `Elasticsearch snapshots (SLM policy ${LOG_SNAPSHOTS.policy}, ${schedules} UTC) to each cluster's ` +
      `${repositories} repository, its log-snapshots bucket`,
  };
}

/** The recovery point of every kind of data, worst over the clusters of the rendered tree. */
export function recoveryPoints(distDir = DIST_DIR): RecoveryPoint[] {
  const clusters = listClusters(distDir);
  const objects = new Map(clusters.map((c) => [c, objectsOf(distDir, c)]));
  const all = [...objects.values()].flat();
  const points: RecoveryPoint[] = [];

  const roots = all.filter((o) => o.kind === 'Application' && o.metadata?.name === 'root');
  const sources = [...new Set(roots.map((o) => `${o.spec.source.repoURL}@${o.spec.source.targetRevision}`))];
  points.push({
    kind: 'Git',
    seconds: 0,
    basis: `every cluster syncs from ${sources.join(', ')}: each pushed commit is the record, dist/ included`,
  });

  const syncGaps = all
    .filter((o) => o.kind === 'CronJob' && o.metadata?.name === 'model-sync')
    .map((o) => longestGapSeconds(o.spec.schedule, `CronJob ${o.metadata.namespace}/model-sync`));
  const versioned = clusters.every((c) => modelsVersioned(terraformOf(distDir, c)));
  points.push({
    kind: 'models',
    ...(syncGaps.length > 0 ? { seconds: Math.max(...syncGaps) } : {}),
    basis:
      (versioned ? 'overwrites and deletes: 0 (versioned buckets); ' : '') +
      (syncGaps.length > 0
        ? `losing the source bucket: up to ${humanDuration(Math.max(...syncGaps))} (the other clouds copy it on model-sync's schedule)`
        : 'no copy in another cloud'),
  });

  const databases = clusters.flatMap((c) =>
    DATABASES.flatMap((type) => Object.keys(terraformOf(distDir, c).resource?.[type] ?? {}).map(() => c)),
  );
  points.push(
    databases.length > 0
      ? {
          kind: 'database',
          seconds: DATABASE_LOG_UPLOAD_SECONDS,
          basis: `point-in-time recovery of ${[...new Set(databases)].join(', ')}'s managed PostgreSQL (transaction log uploaded every ${humanDuration(DATABASE_LOG_UPLOAD_SECONDS)})`,
        }
      : { kind: 'database', seconds: 0, basis: 'no cluster declares a database: nothing to lose' },
  );

  points.push(logsRecoveryPoint(clusters, objects));

  const schedules = all.filter((o) => o.apiVersion === 'velero.io/v1' && o.kind === 'Schedule');
  points.push(volumesRecoveryPoint(clusters, objects, distDir));

  // An object's recovery point is the gap of the most frequent Schedule covering its namespace; the
  // worst object is one only the all-namespace Schedules cover. Worst over the clusters.
  const gap = (o: Json) => longestGapSeconds(o.spec.schedule, `Schedule ${o.metadata.name}`);
  const perCluster = clusters.map((c) => {
    const own = (objects.get(c) ?? []).filter(
      (o) => o.apiVersion === 'velero.io/v1' && o.kind === 'Schedule',
    );
    const everything = own.filter((o) => !(o.spec.template.includedNamespaces?.length > 0));
    return everything.length > 0 ? Math.min(...everything.map(gap)) : undefined;
  });
  const faster = [
    ...new Map(
      schedules
        .filter((o) => o.spec.template.includedNamespaces?.length > 0)
        .map((o) => [
          o.metadata.name,
          `${o.spec.template.includedNamespaces.join(', ')}: ${humanDuration(gap(o))} (${o.metadata.name})`,
        ]),
    ).values(),
  ];
  points.push(
    perCluster.every((s) => s !== undefined)
      ? {
          kind: 'cluster objects',
          seconds: Math.max(...(perCluster as number[])),
          basis:
            `Velero Schedules to the backups bucket: every namespace ${[...new Set(schedules.filter((o) => !(o.spec.template.includedNamespaces?.length > 0)).map((o) => `(${o.metadata.name}, ${o.spec.schedule})`))].join(', ')}` +
            (faster.length > 0 ? `; ${faster.join('; ')}` : ''),
        }
      : {
          kind: 'cluster objects',
          basis: 'not backed up: some cluster has no Velero Schedule of every namespace',
        },
  );
  return points;
}

/** The table docs/operations.md carries. */
export function recoveryPointLines(points: readonly RecoveryPoint[]): string[] {
  return [
    '| Data | Recovery point | From the rendered configuration |',
    '| ---- | -------------- | ------------------------------- |',
    ...points.map(
      (p) =>
        `| ${p.kind} | ${p.seconds === undefined ? 'not backed up' : humanDuration(p.seconds)} | ${p.basis.replace(/\|/g, '\\|')} |`,
    ),
  ];
}

if (require.main === module) {
  for (const line of recoveryPointLines(recoveryPoints())) console.log(line);
}
