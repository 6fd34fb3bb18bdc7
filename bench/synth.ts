/**
 * npm run bench:synth                  every row, then the commands as processes
 * npm run bench:synth -- --processes   the commands as processes only
 *
 * Synthesis and validation time for the declared fleet and for generated
 * fleets of 3, 30, 100 and 300 clusters, so growth with fleet size is visible.
 * Each row renders, validates in memory and writes to a temporary folder
 * (the whole `npm run synth` path, Terraform included), then validates the
 * written files again (the `npm run validate` path) and checks them as each
 * cluster would (the `npm run check:cluster` path). Times are the median of
 * the runs shown; the steps of synthesis are those of the median run.
 *
 * Every row runs in a process of its own, so its peak resident memory is its
 * own and no row inherits another's heap.
 *
 * Then, as processes: `npm run synth && npm run validate` of the declared
 * fleet, and `npm run validate` side by side with kubeconform (when it is on
 * PATH) on the declared fleet's tree and on copies of it to 10,000 files
 * (on the threads the command chooses, and on one; bench/lib/kubeconform.ts),
 * with the in-process baseline: the start of the
 * command alone, and reading and validating per file once the schemas are
 * loaded.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { loadDeclaredFleet } from '../clusters';
import type { ClusterSpec, Fleet } from '../clusters/types';
import { loadFleet } from '../clusters/validate';
import { profileFor } from '../platform/clouds';
import { checkTree } from '../tools/check-cluster/check';
import { cloudFacts } from '../tools/check-cluster/clouds';
import type { ClusterContext } from '../tools/synth/render';
import { type SynthTimings, synthesize } from '../tools/synth/synthesize';
import { type Column, textRow } from '../tools/table/table';
import { parseDocuments } from '../tools/tree/documents';
import { collectYamlFiles } from '../tools/tree/files';
import { DIST_DIR } from '../tools/tree/layout';
import { validateFiles } from '../tools/validate/documents';
import { fleetKubernetesVersion } from '../tools/validate/kubeconform';
import { CODE_CACHE_DIR, SchemaValidator } from '../tools/validate/validator';
import { syntheticContext, syntheticFleet } from './fleet';
import {
  type Command,
  findOnPath,
  measureSideBySide,
  medianRun,
  sideBySideLines,
  timeRun,
  writeKubeconformSchemas,
} from './lib/kubeconform';

interface Row {
  readonly label: string;
  readonly fleet: () => Fleet;
  readonly runs: number;
  readonly contexts?: (cluster: ClusterSpec) => ClusterContext;
}

const synthetic = (size: number, runs: number): Row => ({
  label: `synthetic ${size}`,
  fleet: () => loadFleet(syntheticFleet(size)),
  runs,
  contexts: syntheticContext,
});

const ROWS: readonly Row[] = [
  { label: 'declared fleet', fleet: loadDeclaredFleet, runs: 3 },
  synthetic(3, 3),
  synthetic(30, 1),
  synthetic(100, 1),
  synthetic(300, 1),
];

interface Measurement {
  readonly label: string;
  readonly clusters: number;
  readonly objects: number;
  /** Bytes of the rendered Kubernetes objects (the YAML files). */
  readonly yamlBytes: number;
  readonly runs: number;
  readonly synth: number;
  readonly steps: SynthTimings;
  readonly validate: number;
  /** `npm run check:cluster` of the written tree, and the problems it found. */
  readonly checkCluster: number;
  readonly clusterProblems: number;
  /** Peak resident memory of the row's process, in bytes. */
  readonly peakRss: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function measure(row: Row): Measurement {
  const runs: { synth: number; steps: SynthTimings; validate: number; checkCluster: number }[] = [];
  let clusterProblems = 0;
  let objects = 0;
  let clusters = 0;
  let yamlBytes = 0;
  for (let run = 0; run < row.runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    const out = join(dir, 'dist');
    try {
      let started = performance.now();
      const result = synthesize({
        outDir: out,
        loadFleet: row.fleet,
        contexts: row.contexts,
        codeCacheDir: CODE_CACHE_DIR,
      });
      const synth = performance.now() - started;
      objects = result.resources.length;
      clusters = new Set(result.resources.map((r) => r.cluster)).size;
      started = performance.now();
      const files = collectYamlFiles([out]);
      const validator = new SchemaValidator({ codeCacheDir: CODE_CACHE_DIR });
      const { issues } = validateFiles(validator, files);
      validator.saveCodeCache();
      const validate = performance.now() - started;
      if (issues.length > 0) throw new Error(`${row.label}: ${issues.length} validation errors`);
      // What each cluster's cloud provides, from the same profiles the render used.
      const fleet = row.fleet();
      const facts = new Map(
        fleet.clusters.map((c) => [
          c.name,
          cloudFacts(row.contexts ? row.contexts(c).profile : profileFor(c)),
        ]),
      );
      started = performance.now();
      clusterProblems = checkTree(out, (name) => {
        const known = facts.get(name);
        if (!known) throw new Error(`${row.label}: no cluster ${name} in the fleet`);
        return known;
      }).length;
      runs.push({ synth, steps: result.timings, validate, checkCluster: performance.now() - started });
      yamlBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const middle = runs.find((r) => r.synth === median(runs.map((x) => x.synth))) ?? runs[0];
  return {
    label: row.label,
    clusters,
    objects,
    yamlBytes,
    runs: row.runs,
    synth: middle.synth,
    steps: middle.steps,
    validate: median(runs.map((r) => r.validate)),
    checkCluster: median(runs.map((r) => r.checkCluster)),
    clusterProblems,
    peakRss: process.resourceUsage().maxRSS * 1024,
  };
}

const COLUMNS: readonly [string, number, (m: Measurement) => string][] = [
  ['fleet', 14, (m) => m.label],
  ['clusters', 8, (m) => String(m.clusters)],
  ['objects', 7, (m) => String(m.objects)],
  ['YAML MB', 7, (m) => (m.yamlBytes / 1e6).toFixed(1)],
  ['runs', 4, (m) => String(m.runs)],
  ['synth s', 7, (m) => (m.synth / 1000).toFixed(1)],
  ['render', 6, (m) => (m.steps.render / 1000).toFixed(1)],
  ['check', 5, (m) => (m.steps.validate / 1000).toFixed(1)],
  ['text', 5, (m) => (m.steps.serialize / 1000).toFixed(1)],
  ['tf', 5, (m) => (m.steps.terraform / 1000).toFixed(1)],
  ['write', 5, (m) => (m.steps.write / 1000).toFixed(1)],
  ['validate s', 10, (m) => (m.validate / 1000).toFixed(1)],
  ['check:cluster s', 15, (m) => (m.checkCluster / 1000).toFixed(1)],
  ['problems', 8, (m) => String(m.clusterProblems)],
  ['synth ms/obj', 12, (m) => (m.synth / m.objects).toFixed(2)],
  ['valid. ms/obj', 13, (m) => (m.validate / m.objects).toFixed(2)],
  ['cc ms/obj', 9, (m) => (m.checkCluster / m.objects).toFixed(2)],
  ['synth s/MB', 10, (m) => (m.synth / 1000 / (m.yamlBytes / 1e6)).toFixed(2)],
  ['peak RSS GB', 11, (m) => (m.peakRss / 2 ** 30).toFixed(2)],
];
/** Printed row by row as the rows are measured, so the widths are fixed in advance. */
const TABLE_COLUMNS = COLUMNS.map(
  ([header, width], i): Column => ({ header, width, align: i === 0 ? 'left' : 'right' }),
);
const line = (cells: string[]) => console.log(textRow(TABLE_COLUMNS, cells));

const REPO = join(__dirname, '..');
/** Runs of each command timed in the side-by-side comparison (after one not counted). */
const PROCESS_RUNS = 5;
/** The size of the large tree validated side by side. */
const MANY_FILES = 10_000;

/** An npm script of the repository as a command (`node …` scripts only), run from the repository. */
function npmScript(name: string): Command {
  const scripts = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const [program, ...args] = scripts[name].split(' ');
  if (program !== 'node') throw new Error(`npm run ${name} is not a node command: ${scripts[name]}`);
  return { program: process.execPath, args, cwd: REPO };
}

/** Copies files of `from` into `to`, keeping their paths below `from`. */
function copyTree(files: readonly string[], from: string, to: string): void {
  for (const file of files) {
    const target = join(to, relative(from, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
}

const secondsText = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * The commands as processes, each the median of PROCESS_RUNS runs after one
 * not counted: synthesis plus validation of the declared fleet, and
 * validation side by side with kubeconform, with the in-process baseline.
 */
function processes(): void {
  const work = mkdtempSync(join(tmpdir(), 'bench-validate-'));
  try {
    const synth = npmScript('synth');
    const validate = npmScript('validate');
    const out = join(work, 'synth-out');
    const synthThenValidate = () =>
      timeRun({ ...synth, args: [...synth.args, '--out', out] }) +
      timeRun({ ...validate, args: [...validate.args, out] });
    synthThenValidate();
    const both = Array.from({ length: PROCESS_RUNS }, synthThenValidate).sort((a, b) => a - b);
    console.log(
      `\nnpm run synth && npm run validate, declared fleet, as processes (npm's own start not included): ` +
        `${secondsText(both[Math.floor(PROCESS_RUNS / 2)])} median of ${PROCESS_RUNS}`,
    );

    // The declared fleet's YAML as committed (dist/ is synthesis's output, held so by synth --check),
    // and enough copies of it for MANY_FILES files.
    const yaml = collectYamlFiles([DIST_DIR]);
    const declared = join(work, 'declared');
    copyTree(yaml, DIST_DIR, declared);
    const copies = Math.ceil(MANY_FILES / yaml.length);
    const many = join(work, 'many');
    for (let i = 0; i < copies; i++) copyTree(yaml, DIST_DIR, join(many, `copy-${i}`));
    const kubeconform = findOnPath('kubeconform');
    const rows = measureSideBySide({
      trees: [
        { label: 'declared fleet', dir: declared, files: yaml.length },
        { label: `declared fleet × ${copies}`, dir: many, files: yaml.length * copies },
        // What the worker threads bring: the same tree on one thread.
        {
          label: `declared fleet × ${copies}, one thread`,
          dir: many,
          files: yaml.length * copies,
          validateArgs: ['--threads', '1'],
        },
      ],
      runs: PROCESS_RUNS,
      validate,
      kubeconform,
      kubernetesVersion: fleetKubernetesVersion(),
      schemaLocation: writeKubeconformSchemas(join(work, 'schemas')),
    });
    console.log(
      `\nValidation side by side, wall time, median of ${PROCESS_RUNS} runs after one not counted` +
        (kubeconform ? ` (kubeconform: ${kubeconform}, same schemas, -strict):` : ':'),
    );
    for (const line of sideBySideLines(rows)) console.log(line);
    if (!kubeconform) console.log('kubeconform is not on PATH: compare with the in-process baseline below.');

    // The baseline: what a run costs before it reads a file, and per file once the schemas are loaded.
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const start = medianRun({ ...validate, args: [...validate.args, empty] }, PROCESS_RUNS);
    const validator = new SchemaValidator({ codeCacheDir: CODE_CACHE_DIR });
    const read = () => yaml.flatMap((file) => parseDocuments(file, readFileSync(file, 'utf8')));
    const documents = read();
    for (const doc of documents) validator.validate(doc.value);
    let started = performance.now();
    read();
    const readMs = performance.now() - started;
    started = performance.now();
    for (const doc of documents) validator.validate(doc.value);
    const validateMs = performance.now() - started;
    console.log(
      `In-process baseline: npm run validate of an empty folder (Node and the command's bundle, no schemas) ` +
        `${secondsText(start)};\nonce the schemas are loaded, per file: reading and parsing ` +
        `${(readMs / yaml.length).toFixed(3)} ms, validating ${(validateMs / documents.length).toFixed(3)} ms ` +
        `(${documents.length} documents: ${secondsText(readMs + validateMs)} in all).`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const rowFlag = process.argv.indexOf('--row');
if (rowFlag !== -1) {
  // A child: measure one row and hand the result back as JSON.
  const label = process.argv[rowFlag + 1];
  const row = ROWS.find((r) => r.label === label);
  if (!row) throw new Error(`no row ${label}`);
  process.stdout.write(JSON.stringify(measure(row)));
} else if (process.argv.includes('--processes')) {
  // Only the commands as processes (a few minutes less than the whole benchmark).
  processes();
} else {
  console.log(
    'synth: the whole `npm run synth` path, in steps: render (cdk8s), check (schemas, in memory),\n' +
      'text (YAML and manifest), tf (Terraform stacks), write; validate: `npm run validate` of the written tree;\n' +
      'check:cluster: `npm run check:cluster` of the written tree (cc), with the problems it reports.\n',
  );
  line(COLUMNS.map(([name]) => name));
  for (const row of ROWS) {
    // Each row in a fresh process with this one's flags (heap size, tsx), printed as soon as it is measured.
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--row', row.label], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`${row.label}: exited with ${child.status ?? child.signal}`);
    const m = JSON.parse(child.stdout) as Measurement;
    line(COLUMNS.map(([, , cell]) => cell(m)));
  }
  console.log(
    '\nEvery cluster routes to every other (mesh subsets, gateway providers, remote secrets), so the tree\n' +
      'itself grows with the square of the fleet, and its largest objects (VirtualServices) grow with the\n' +
      'fleet too: the cost per megabyte of YAML is what should stay flat.',
  );
  processes();
}
