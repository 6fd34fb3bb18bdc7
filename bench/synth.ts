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

const header = ['fleet', 'clusters', 'resources', 'runs', 'synth ms', 'validate ms', 'synth ms/cluster'];
const widths = [14, 8, 9, 4, 9, 11, 16];
const line = (cells: string[]) =>
  console.log(
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '),
  );

/** Measures and prints one row at once, so a long run shows its progress. */
function row(...args: Parameters<typeof measure>) {
  const r = measure(...args);
  line([
    r.label,
    String(r.clusters),
    String(r.resources),
    String(r.runs),
    r.synth.toFixed(0),
    r.validate.toFixed(0),
    r.perCluster.toFixed(1),
  ]);
  return r;
}

line(header);
row('declared fleet', loadDeclaredFleet, 3);
const small = row('synthetic 3', () => loadFleet(syntheticFleet(3)), 3, syntheticContext);
const medium = row('synthetic 30', () => loadFleet(syntheticFleet(30)), 1, syntheticContext);
row('synthetic 100', () => loadFleet(syntheticFleet(100)), 1, syntheticContext);
const large = row('synthetic 300', () => loadFleet(syntheticFleet(300)), 1, syntheticContext);
// Every cluster routes to every other (mesh subsets, gateway providers, remote secrets), so the tree
// itself grows with the square of the fleet: the per-resource cost is what should stay flat.
const perResource = (r: typeof small) => r.synth / r.resources;
console.log(
  `\n30 clusters: ${(medium.synth / small.synth).toFixed(1)}× the time of 3; 300 clusters: ` +
    `${(large.synth / small.synth).toFixed(1)}× (${(large.resources / small.resources).toFixed(0)}× the resources). ` +
    `Per resource: ${perResource(small).toFixed(2)} ms at 3, ${perResource(medium).toFixed(2)} ms at 30, ` +
    `${perResource(large).toFixed(2)} ms at 300.`,
);
