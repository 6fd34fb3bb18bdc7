import { join, relative } from 'node:path';
import { loadDeclaredFleet } from '../../clusters';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { renderTerraform } from '../../infra/render';
import { documentIssues, formatIssue, type ValidationIssue } from '../validate/documents';
import { SchemaValidator } from '../validate/validator';
import type { Component } from './chart';
import { MANIFEST_FILE, manifestJson } from './manifest';
import { type ClusterContext, type RenderedResource, renderFleet } from './render';
import { diffTree, type TreeDiff, writeTreeAtomically } from './tree';

/** The repository's rendered tree. */
export const DIST_DIR = join(__dirname, '..', '..', 'dist');

export interface SynthOptions {
  /** Folder the tree is written to (or compared with). */
  readonly outDir: string;
  /** Compare with `outDir` instead of writing it. */
  readonly check?: boolean;
  /** Where the fleet comes from; the declared fleet by default. */
  readonly loadFleet?: () => Fleet;
  /** The components each cluster gets; the platform's component list by default. */
  readonly components?: (cluster: ClusterSpec) => readonly Component[];
  /** Profile and outputs of each cluster; from the recorded outputs files by default. */
  readonly contexts?: (cluster: ClusterSpec) => ClusterContext;
}

export interface SynthResult {
  readonly resources: readonly RenderedResource[];
  readonly files: number;
  /** Set with `check`: how `outDir` differs from the rendered tree. */
  readonly diff?: TreeDiff;
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
  const tree = renderFleet(fleet, options.components, options.contexts);

  const validator = new SchemaValidator();
  const shownDir = relative(process.cwd(), options.outDir) || '.';
  const issues = tree.resources.flatMap((resource) =>
    documentIssues(validator, { file: join(shownDir, resource.file), index: 1, value: resource.object }).map(
      (issue) => ({ ...issue, constructPath: resource.constructPath }),
    ),
  );
  if (issues.length > 0) throw new RenderedTreeInvalid(issues);

  const files = new Map(tree.files);
  files.set(MANIFEST_FILE, manifestJson(tree.resources));
  // Further renderers (the Terraform stacks) add their files here, under their own top-level folder.
  const contexts = options.contexts;
  const outputsOf = contexts ? (cluster: ClusterSpec) => contexts(cluster).outputs : undefined;
  for (const [path, content] of renderTerraform(fleet, outputsOf)) files.set(path, content);

  if (options.check)
    return { resources: tree.resources, files: files.size, diff: diffTree(files, options.outDir) };
  writeTreeAtomically(files, options.outDir);
  return { resources: tree.resources, files: files.size };
}

/** Resource counts per cluster and component, as a small table. */
export function summaryTable(resources: readonly RenderedResource[]): string {
  const clusters = [...new Set(resources.map((r) => r.cluster))];
  const components = [...new Set(resources.map((r) => r.component))];
  const count = (cluster: string, component?: string) =>
    resources.filter((r) => r.cluster === cluster && (component === undefined || r.component === component))
      .length;
  const rows = [
    ['cluster', ...components, 'total'],
    ...clusters.map((cluster) => [
      cluster,
      ...components.map((component) => String(count(cluster, component))),
      String(count(cluster)),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join('  '),
    )
    .join('\n');
}
