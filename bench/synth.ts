/**
 * npm run bench:synth
 *
 * Synthesis and validation time for the declared fleet and for generated
 * fleets of 3, 30 and 300 clusters, so growth with fleet size is visible.
 * Each row renders, validates in memory and writes to a temporary folder
 * (the whole `npm run synth` path), then validates the written files again
 * (the `npm run validate` path). Times are the median of the runs shown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDeclaredFleet } from '../clusters';
import type { ClusterSpec, Fleet } from '../clusters/types';
import { loadFleet } from '../clusters/validate';
import type { ClusterContext } from '../platform/synth/render';
import { synthesize } from '../platform/synth/synthesize';
import { collectYamlFiles, validateFiles } from '../platform/validate/documents';
import { SchemaValidator } from '../platform/validate/validator';
import { syntheticContext, syntheticFleet } from './fleet';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function measure(
  label: string,
  fleet: () => Fleet,
  runs: number,
  contexts?: (cluster: ClusterSpec) => ClusterContext,
) {
  const synthMs: number[] = [];
  const validateMs: number[] = [];
  let resources = 0;
  let clusters = 0;
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    const out = join(dir, 'dist');
    try {
      let started = performance.now();
      const result = synthesize({ outDir: out, loadFleet: fleet, contexts });
      synthMs.push(performance.now() - started);
      resources = result.resources.length;
      clusters = new Set(result.resources.map((r) => r.cluster)).size;
      started = performance.now();
      const { issues } = validateFiles(new SchemaValidator(), collectYamlFiles([out]));
      validateMs.push(performance.now() - started);
      if (issues.length > 0) throw new Error(`${label}: ${issues.length} validation errors`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const synth = median(synthMs);
  return {
    label,
    clusters,
    resources,
    runs,
    synth,
    validate: median(validateMs),
    perCluster: synth / clusters,
  };
}

const rows = [
  measure('declared fleet', loadDeclaredFleet, 5),
  measure('synthetic 3', () => loadFleet(syntheticFleet(3)), 5, syntheticContext),
  measure('synthetic 30', () => loadFleet(syntheticFleet(30)), 3, syntheticContext),
  measure('synthetic 300', () => loadFleet(syntheticFleet(300)), 1, syntheticContext),
];

const header = ['fleet', 'clusters', 'resources', 'runs', 'synth ms', 'validate ms', 'synth ms/cluster'];
const table = [
  header,
  ...rows.map((r) => [
    r.label,
    String(r.clusters),
    String(r.resources),
    String(r.runs),
    r.synth.toFixed(0),
    r.validate.toFixed(0),
    r.perCluster.toFixed(1),
  ]),
];
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const row of table)
  console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
const [small, , , large] = rows;
console.log(
  `\n300 clusters take ${(large.synth / small.synth).toFixed(1)}× the time of 3 (100× the clusters).`,
);
