import { join, relative } from 'node:path';
import { loadDeclaredFleet } from '../../clusters';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { renderTerraform } from '../../infra/render';
import { toYaml } from '../../platform/kernel/serialize';
import { type Column, textTable } from '../table/table';
import { contributionsJson } from '../tree/contributions';
import { diffTree, type TreeDiff, writeTreeAtomically } from '../tree/files';
import { contributionsFile, MANIFEST_FILE } from '../tree/layout';
import { type ManifestEntry, manifestJson } from '../tree/manifest';
import { documentIssues, formatIssue, type ValidationIssue } from '../validate/documents';
import { SchemaValidator } from '../validate/validator';
import { byFile, type ClusterContext, type ComponentsOf, renderClusters } from './render';

/** The repository's rendered tree. */

export interface SynthOptions {
  /** Folder the tree is written to (or compared with). */
  readonly outDir: string;
  /** Compare with `outDir` instead of writing it. */
  readonly check?: boolean;
  /** Where the fleet comes from; the declared fleet by default. */
  readonly loadFleet?: () => Fleet;
  /** The components each cluster gets, given its profile; the platform's and its cloud's add-ons by default. */
  readonly components?: ComponentsOf;
  /** Profile and outputs of each cluster; from the recorded outputs files by default. */
  readonly contexts?: (cluster: ClusterSpec) => ClusterContext;
  /** Folder of the schema check's code cache (validate's CODE_CACHE_DIR for the command); none by default. */
  readonly codeCacheDir?: string;
}

export interface SynthResult {
  /** Every rendered object, as dist/manifest.json lists it, sorted by file. */
  readonly resources: readonly ManifestEntry[];
  readonly files: number;
  /** Set with `check`: how `outDir` differs from the rendered tree. */
  readonly diff?: TreeDiff;
  /** Milliseconds spent in each step. */
  readonly timings: SynthTimings;
}

/** Where synthesis spends its time, in milliseconds. */
export interface SynthTimings {
  /** Building every cluster's charts and turning its objects into JSON (cdk8s). */
  readonly render: number;
  /** Checking every object against its schema. */
  readonly validate: number;
  /** Writing every object and the manifest as text. */
  readonly serialize: number;
  /** Rendering the Terraform stacks (CDKTF). */
  readonly terraform: number;
  /** Writing the tree to disk, or comparing it with `outDir`. */
  readonly write: number;
}

/** Rendered objects that break their schema. Nothing was written. */
export class RenderedTreeInvalid extends Error {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(
      `The rendered tree is invalid (${issues.length} error${issues.length === 1 ? '' : 's'}):\n${issues.map(formatIssue).join('\n')}`,
    );
    this.name = 'RenderedTreeInvalid';
  }
}

/**
 * Loads the fleet, renders every cluster, checks every object against its
 * schema and only then writes: `outDir` is replaced whole, or, on any error,
 * left exactly as it was.
 */
export function synthesize(options: SynthOptions): SynthResult {
  const fleet = (options.loadFleet ?? loadDeclaredFleet)();
  const timings = { render: 0, validate: 0, serialize: 0, terraform: 0, write: 0 };
  const timed = <T>(step: keyof SynthTimings, run: () => T): T => {
    const started = performance.now();
    try {
      return run();
    } finally {
      timings[step] += performance.now() - started;
    }
  };

  // Each cluster is checked and written as text as soon as it is rendered, so only one cluster's
  // objects are in memory at a time.
  const validator = new SchemaValidator({ codeCacheDir: options.codeCacheDir });
  const shownDir = relative(process.cwd(), options.outDir) || '.';
  const files = new Map<string, string>();
  const resources: ManifestEntry[] = [];
  const issues: ValidationIssue[] = [];
  const renderStarted = performance.now();
  renderClusters(
    fleet,
    (rendered, declarations, cluster) => {
      files.set(contributionsFile(cluster.name), contributionsJson(declarations));
      timed('validate', () => {
        for (const { file, object, constructPath } of rendered) {
          for (const issue of documentIssues(validator, {
            file: join(shownDir, file),
            index: 1,
            value: object,
          }))
            issues.push({ ...issue, constructPath });
        }
      });
      timed('serialize', () => {
        for (const { object, ...entry } of rendered) {
          files.set(entry.file, toYaml(object));
          resources.push(entry);
        }
      });
    },
    options.components,
    options.contexts,
  );
  timings.render = performance.now() - renderStarted - timings.validate - timings.serialize;
  timed('validate', () => validator.saveCodeCache());
  if (issues.length > 0) throw new RenderedTreeInvalid(issues.sort(byFile));

  resources.sort(byFile);
  timed('serialize', () => {
    files.set(MANIFEST_FILE, manifestJson(resources));
  });
  // Further renderers (the Terraform stacks) add their files here, under their own top-level folder.
  const contexts = options.contexts;
  const outputsOf = contexts ? (cluster: ClusterSpec) => contexts(cluster).outputs : undefined;
  timed('terraform', () => {
    for (const [path, content] of renderTerraform(fleet, outputsOf)) files.set(path, content);
  });

  if (options.check) {
    const diff = timed('write', () => diffTree(files, options.outDir));
    return { resources, files: files.size, diff, timings };
  }
  timed('write', () => writeTreeAtomically(files, options.outDir));
  return { resources, files: files.size, timings };
}

/** Resource counts per cluster and component, as a small table. */
export function summaryTable(resources: readonly ManifestEntry[]): string {
  const clusters = [...new Set(resources.map((r) => r.cluster))];
  const components = [...new Set(resources.map((r) => r.component))];
  // Counted in one pass: a large fleet has hundreds of clusters and over a hundred thousand objects.
  const counts = new Map<string, number>();
  const cell = (cluster: string, component?: string) => (component ? `${cluster}/${component}` : cluster);
  for (const { cluster, component } of resources) {
    for (const key of [cell(cluster, component), cell(cluster)]) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const count = (cluster: string, component?: string) => counts.get(cell(cluster, component)) ?? 0;
  const columns: Column[] = [
    { header: 'cluster' },
    ...[...components, 'total'].map((header): Column => ({ header, align: 'right' })),
  ];
  const rows = clusters.map((cluster) => [
    cluster,
    ...components.map((component) => String(count(cluster, component))),
    String(count(cluster)),
  ]);
  return textTable(columns, rows).join('\n');
}
