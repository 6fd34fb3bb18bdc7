import { type Column, markdownTable } from '../table/table';
import type { DeclarationChange } from './declarations';
import {
  describe,
  type FieldChange,
  type ResourceChange,
  show,
  subject,
  type TerraformChange,
  type TreeDifference,
} from './semantic';

/** How a report is printed: Markdown for a pull-request comment, plain text for a terminal. */
export type ReportFormat = 'md' | 'text';

/** Counts of one cluster (or Terraform stack) for the summary table. */
interface ClusterSummary {
  added: number;
  removed: number;
  changed: number;
  moved: number;
  renamed: number;
  terraform: number;
  /** Declarations (flows, namespaces, scrape targets, chart objects…) added, removed or changed. */
  declarations: number;
}

/** True when the two trees differ in anything the report shows. */
export function hasChanges(diff: TreeDifference): boolean {
  return diff.resources.length + diff.terraform.length + diff.declarations.length > 0;
}

function summaries(diff: TreeDifference): Map<string, ClusterSummary> {
  const byCluster = new Map<string, ClusterSummary>();
  const get = (cluster: string) => {
    let summary = byCluster.get(cluster);
    if (!summary) {
      summary = { added: 0, removed: 0, changed: 0, moved: 0, renamed: 0, terraform: 0, declarations: 0 };
      byCluster.set(cluster, summary);
    }
    return summary;
  };
  for (const change of diff.resources) get(subject(change).cluster)[change.type] += 1;
  for (const change of diff.terraform) get(change.stack).terraform += 1;
  for (const change of diff.declarations) get(change.cluster).declarations += 1;
  return new Map([...byCluster].sort(([a], [b]) => a.localeCompare(b)));
}

function headline(change: ResourceChange): string {
  switch (change.type) {
    case 'added':
      return `+ ${describe(change.head)}`;
    case 'removed':
      return `- ${describe(change.base)}`;
    case 'changed':
      return `~ ${describe(change.head)}`;
    case 'moved':
      return `→ ${describe(change.head)} moved ${change.base.file} → ${change.head.file}`;
    case 'renamed':
      return `→ ${describe(change.base)} renamed to ${describe(change.head)}`;
  }
}

function fieldLine(field: FieldChange): string {
  if (!('before' in field) || field.before === undefined) return `${field.path}: + ${show(field.after)}`;
  if (!('after' in field) || field.after === undefined) return `${field.path}: - ${show(field.before)}`;
  return `${field.path}: ${show(field.before)} → ${show(field.after)}`;
}

/** `+ flow ml-platform → tracing:4317 (why)`, `~ namespace ml-platform`. */
function declarationLine(change: DeclarationChange): string {
  const sign = { added: '+', removed: '-', changed: '~' }[change.type];
  const reason = change.reason && change.type !== 'changed' ? ` (${change.reason})` : '';
  return `${sign} ${change.section} ${change.item}${reason}`;
}

/** The components of a cluster that have changes of either sort, sorted. */
function componentsOf(
  resources: readonly ResourceChange[],
  declarations: readonly DeclarationChange[],
): string[] {
  return [
    ...new Set([...resources.map((c) => subject(c).component), ...declarations.map((c) => c.component)]),
  ].sort();
}

function terraformLine(change: TerraformChange): string {
  const sign = { added: '+', removed: '-', changed: '~' }[change.type];
  return `${sign} ${change.address}`;
}

/** Groups a list by a key, keeping first-seen order of the keys. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** The whole report, risky changes first, then a summary and the details per cluster. */
export function formatDiff(diff: TreeDifference, format: ReportFormat, baseRef: string): string {
  return format === 'md' ? markdown(diff, baseRef) : text(diff, baseRef);
}

function text(diff: TreeDifference, baseRef: string): string {
  if (!hasChanges(diff)) return `No rendered changes against ${baseRef}.\n`;
  const lines: string[] = [];
  if (diff.risky.length > 0) {
    lines.push(`RISKY CHANGES (${diff.risky.length})`);
    for (const r of diff.risky) lines.push(`  ! ${r.cluster} ${r.what}: ${r.reason}`);
    lines.push('');
  }
  lines.push(`Rendered changes against ${baseRef}:`);
  for (const [cluster, s] of summaries(diff)) {
    lines.push(
      `  ${cluster}: ${s.added} added, ${s.removed} removed, ${s.changed} changed, ` +
        `${s.renamed + s.moved} renamed or moved, ${s.terraform} terraform, ${s.declarations} declarations`,
    );
  }
  const resourcesByCluster = groupBy(diff.resources, (c) => subject(c).cluster);
  const declarationsByCluster = groupBy(diff.declarations, (c) => c.cluster);
  for (const cluster of [
    ...new Set([...resourcesByCluster.keys(), ...declarationsByCluster.keys()]),
  ].sort()) {
    lines.push('', `== ${cluster}`);
    const resources = resourcesByCluster.get(cluster) ?? [];
    const declarations = declarationsByCluster.get(cluster) ?? [];
    const changed = groupBy(resources, (c) => subject(c).component);
    const declared = groupBy(declarations, (c) => c.component);
    for (const component of componentsOf(resources, declarations)) {
      lines.push(`  [${component}]`);
      for (const change of declared.get(component) ?? []) {
        lines.push(`    ${declarationLine(change)}`);
        for (const f of change.fields) lines.push(`        ${fieldLine(f)}`);
      }
      for (const change of changed.get(component) ?? []) {
        lines.push(`    ${headline(change)}`);
        if (change.type === 'changed') for (const f of change.fields) lines.push(`        ${fieldLine(f)}`);
      }
    }
  }
  for (const [stack, changes] of groupBy(diff.terraform, (c) => c.stack)) {
    lines.push('', `== terraform/${stack}`);
    for (const change of changes) {
      lines.push(`    ${terraformLine(change)}`);
      for (const f of change.fields) lines.push(`        ${fieldLine(f)}`);
    }
  }
  if (diff.unreadable.length > 0)
    lines.push('', `Not compared (not a Kubernetes object): ${diff.unreadable.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

const code = (value: string) => `\`${value.replaceAll('`', "'")}\``;

function markdown(diff: TreeDifference, baseRef: string): string {
  if (!hasChanges(diff)) return `### Rendered diff\n\nNo rendered changes against \`${baseRef}\`.\n`;
  const lines = ['### Rendered diff', '', `Against \`${baseRef}\`.`, ''];
  if (diff.risky.length > 0) {
    lines.push(`> [!WARNING]`, `> **${diff.risky.length} risky change(s)**: review these first.`, '');
    lines.push(
      ...markdownTable(
        [{ header: 'Cluster' }, { header: 'Resource' }, { header: 'Why' }],
        diff.risky.map((r) => [r.cluster, r.what, r.reason]),
      ),
    );
    lines.push('');
  }
  const counts = ['Added', 'Removed', 'Changed', 'Renamed / moved', 'Terraform', 'Declarations'];
  lines.push(
    ...markdownTable(
      [{ header: 'Cluster' }, ...counts.map((header): Column => ({ header, align: 'right' }))],
      [...summaries(diff)].map(([cluster, s]) =>
        [cluster, s.added, s.removed, s.changed, s.renamed + s.moved, s.terraform, s.declarations].map(
          String,
        ),
      ),
    ),
  );
  const byCluster = groupBy(diff.resources, (c) => subject(c).cluster);
  const terraformByStack = groupBy(diff.terraform, (c) => c.stack);
  const declarationsByCluster = groupBy(diff.declarations, (c) => c.cluster);
  const clusters = new Set([
    ...byCluster.keys(),
    ...terraformByStack.keys(),
    ...declarationsByCluster.keys(),
  ]);
  for (const cluster of [...clusters].sort()) {
    const changes = byCluster.get(cluster) ?? [];
    const terraform = terraformByStack.get(cluster) ?? [];
    const declarations = declarationsByCluster.get(cluster) ?? [];
    const count = changes.length + terraform.length + declarations.length;
    lines.push('', `<details><summary><b>${cluster}</b>: ${count} change(s)</summary>`, '');
    const byComponent = groupBy(changes, (c) => subject(c).component);
    const declared = groupBy(declarations, (c) => c.component);
    for (const component of componentsOf(changes, declarations)) {
      lines.push(`**${component}**`, '');
      for (const change of declared.get(component) ?? []) {
        lines.push(`- ${code(declarationLine(change))}`);
        for (const f of change.fields) lines.push(`  - ${code(fieldLine(f))}`);
      }
      for (const change of byComponent.get(component) ?? []) {
        lines.push(`- ${code(headline(change))}`);
        if (change.type === 'changed') for (const f of change.fields) lines.push(`  - ${code(fieldLine(f))}`);
      }
      lines.push('');
    }
    if (terraform.length > 0) {
      lines.push('**terraform**', '');
      for (const change of terraform) {
        lines.push(`- ${code(terraformLine(change))}`);
        for (const f of change.fields) lines.push(`  - ${code(fieldLine(f))}`);
      }
      lines.push('');
    }
    lines.push('</details>');
  }
  if (diff.unreadable.length > 0) lines.push('', `Not compared: ${diff.unreadable.map(code).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
