import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ClusterSpec } from './types';

/**
 * Values that exist only after `terraform apply` (an Azure managed identity's
 * client id, an endpoint hostname). They are recorded per cluster in
 * `clusters/outputs/<cluster>.json`, committed, and read at synthesis, so the
 * rendered tree never depends on a live cloud.
 */
export interface ClusterOutputs {
  /** Client id of the Azure managed identity per workload (Azure Workload Identity). */
  readonly workloadIdentityClientIds: Readonly<Record<string, string>>;
}

const outputsSchema = z.strictObject({
  workloadIdentityClientIds: z.record(z.string(), z.uuid()),
}) satisfies z.ZodType<ClusterOutputs>;

export const OUTPUTS_DIR = join(__dirname, 'outputs');

export function outputsFile(cluster: ClusterSpec): string {
  return `clusters/outputs/${cluster.name}.json`;
}

/** Reads a cluster's recorded outputs; a cluster that was never applied has none yet. */
export function loadClusterOutputs(cluster: ClusterSpec, dir = OUTPUTS_DIR): ClusterOutputs {
  const path = join(dir, `${cluster.name}.json`);
  if (!existsSync(path)) return { workloadIdentityClientIds: {} };
  const parsed = outputsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`${outputsFile(cluster)}: ${problems}`);
  }
  return parsed.data;
}
