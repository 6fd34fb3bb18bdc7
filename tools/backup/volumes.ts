/**
 * What the rendered tree says about the volumes' data: whether a Schedule's backups carry it into
 * the bucket, and which claims its volume policy (Velero's resource policies ConfigMap) skips.
 * Read by the recovery points and by `npm run backup` / `restore`. Reads dist/ only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { BACKUP } from '../../platform/backup/names';
import type { VeleroResourcePolicies, VolumePolicy } from '../../platform/backup/volume-types';
import { DIST_DIR, DIST_FOLDER } from '../tree/layout';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML and JSON of the rendered tree, read field by field with optional chaining
type Json = Record<string, any>;

/**
 * Whether the backups of a Backup spec (a Schedule's template) carry the volumes' data into the
 * bucket: CSI snapshots moved by the data mover, or the node agent's file-system backup. A CSI
 * snapshot that is not moved stays in the cloud's snapshot storage, in the cluster's account and
 * region, and goes with them.
 */
export function copiesVolumeData(spec: Json): boolean {
  return (
    (spec.snapshotVolumes === true && spec.snapshotMoveData === true) ||
    spec.defaultVolumesToFsBackup === true
  );
}

/** The resource policies document of a ConfigMap, or an error naming the ConfigMap and what is wrong. */
export function parseVolumePolicy(configMap: Json, where: string): VeleroResourcePolicies {
  const values = Object.values(configMap.data ?? {});
  // Velero reads the one key the ConfigMap has (pkg/resourcepolicies: more or fewer is an error).
  if (values.length !== 1)
    throw new Error(`${where}: a resource policies ConfigMap holds exactly one key, not ${values.length}`);
  const document = load(values[0] as string) as Json;
  if (document?.version !== 'v1' || !Array.isArray(document.volumePolicies))
    throw new Error(`${where}: not a v1 resource policies document with volumePolicies`);
  return document as VeleroResourcePolicies;
}

/**
 * The volume policy a Backup spec names, from the cluster's rendered tree (the backup component's
 * ConfigMap in Velero's namespace); undefined when it names none.
 */
export function renderedVolumePolicy(
  cluster: string,
  spec: Json,
  distDir = DIST_DIR,
): VeleroResourcePolicies | undefined {
  const reference = spec.resourcePolicy;
  if (!reference) return undefined;
  const relative = `${cluster}/backup/ConfigMap.${BACKUP.namespace}.${reference.name}.yaml`;
  const file = join(distDir, relative);
  if (String(reference.kind).toLowerCase() !== 'configmap' || !existsSync(file))
    throw new Error(
      `${cluster}: the backup names resource policies ${reference.kind} ${reference.name}, but ${DIST_FOLDER}/${relative} is not rendered`,
    );
  return parseVolumePolicy(load(readFileSync(file, 'utf8')) as Json, `${DIST_FOLDER}/${relative}`);
}

/** A claim as the volume policies see it. */
export interface Claim {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly storageClass?: string;
}

/**
 * Whether a policy's conditions hold for a claim. Only the conditions a claim shows are read
 * (labels, StorageClass); `csi` holds for every claim, as every StorageClass of the platform is a
 * CSI driver's (platform/clouds); a condition this reader does not know is an error.
 */
function matches(policy: VolumePolicy, claim: Claim): boolean {
  const { pvcLabels, storageClass, csi, ...unknown } = policy.conditions;
  const others = Object.keys(unknown);
  if (others.length > 0) throw new Error(`volume policy condition ${others.join(', ')} is not read here`);
  if (pvcLabels && !Object.entries(pvcLabels).every(([k, v]) => claim.labels[k] === v)) return false;
  if (storageClass && !storageClass.includes(claim.storageClass ?? '')) return false;
  if (csi?.driver !== undefined) throw new Error(`volume policy condition csi.driver is not read here`);
  return true;
}

/** What Velero does with a claim's data under the policies: the first match decides; snapshot when none does. */
export function volumeAction(policies: VeleroResourcePolicies | undefined, claim: Claim): string {
  return policies?.volumePolicies.find((p) => matches(p, claim))?.action.type ?? 'snapshot';
}

/** The claims the policies skip, as a person reads them (`claims labelled a=b`). */
export function skippedClaims(policies: VeleroResourcePolicies | undefined): string[] {
  return (policies?.volumePolicies ?? [])
    .filter((p) => p.action.type === 'skip')
    .map((p) =>
      [
        p.conditions.pvcLabels
          ? `claims labelled ${Object.entries(p.conditions.pvcLabels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}`
          : 'claims',
        p.conditions.storageClass ? `of StorageClass ${p.conditions.storageClass.join(' or ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
}
