/**
 * Copies of the rendered tree for the cluster checks' tests: each test puts one defect back into a
 * copy of a cluster's folder and reads the report on it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { toStableJson, toYaml } from '../../../platform/kernel/serialize';
import { checkClusterTree } from '../../../tools/check-cluster/check';
import { declaredClouds } from '../../../tools/check-cluster/clouds';
import { formatProblem } from '../../../tools/check-cluster/problem';
import { readClusterTree } from '../../../tools/check-cluster/tree';
import { DIST_DIR } from '../../../tools/tree/layout';

export type Json = Record<string, any>;
export const cloudOf = declaredClouds();
const roots: string[] = [];

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A copy of one cluster's rendered tree in a temporary folder. */
export function copyOf(cluster: string): string {
  const root = mkdtempSync(join(tmpdir(), 'check-cluster-'));
  roots.push(root);
  cpSync(join(DIST_DIR, cluster), join(root, cluster), { recursive: true });
  return root;
}

/** Changes one object of the copy in place. */
export function edit(root: string, file: string, change: (object: Json) => void): void {
  const object = load(readFileSync(join(root, file), 'utf8')) as Json;
  change(object);
  writeFileSync(join(root, file), toYaml(object));
}

export function remove(root: string, file: string): void {
  rmSync(join(root, file));
}

/** Changes the copy's contributions.json. */
export function editContributions(
  root: string,
  cluster: string,
  change: (declared: Record<string, Json>) => void,
): void {
  const path = join(root, cluster, 'contributions.json');
  const declared = JSON.parse(readFileSync(path, 'utf8'));
  change(declared);
  writeFileSync(path, toStableJson(declared));
}

/** The report's lines for one cluster of a tree. */
export function report(root: string, cluster: string): string[] {
  return checkClusterTree(readClusterTree(root, cluster), cloudOf(cluster)).map(formatProblem);
}
