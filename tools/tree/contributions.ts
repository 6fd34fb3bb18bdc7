/**
 * dist/<cluster>/contributions.json: what each component of the cluster declares (namespaces,
 * flows, scrape targets, cloud workloads; platform/kernel/contribution.ts), keyed by component,
 * with sorted keys so the file changes only when a declaration does. Reviewers read every flow
 * of a cluster in it; the checks that read the tree take the declarations from it instead of
 * loading the components.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterDeclarations, Contribution } from '../../platform/kernel/contribution';
import { toStableJson } from '../../platform/kernel/serialize';
import { contributionsFile } from './layout';

/** The file's text for one cluster's declarations. */
export function contributionsJson(declarations: ClusterDeclarations): string {
  return toStableJson(Object.fromEntries(declarations));
}

/**
 * A cluster's declarations as the tree holds them, by component (in the file's order, which is
 * sorted by name, not the build order); undefined when the tree has no such file.
 */
export function readContributions(root: string, cluster: string): ClusterDeclarations | undefined {
  const path = join(root, contributionsFile(cluster));
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path}: expected an object keyed by component`);
  }
  return new Map(Object.entries(parsed as Record<string, Contribution>));
}
