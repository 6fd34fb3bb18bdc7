/**
 * `npm run validate` side by side with kubeconform in `npm run bench:synth`:
 * kubeconform runs when it is on PATH, with the same schemas (the validator's
 * bundles, written one file per kind where a local `-schema-location` finds
 * them), `-strict`, the fleet's Kubernetes version and the same files.
 * Without it the table says so, and the benchmark reports the in-process
 * baseline instead (see bench/synth.ts).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Column, textTable } from '../../tools/table/table';
import { kubeconformArguments } from '../../tools/validate/kubeconform';
import { SCHEMA_BUNDLES } from '../../tools/validate/schemas/kinds';
import { readBundle } from '../../tools/validate/validator';

/** The executable `command` in the first folder of `path` (a PATH value) that has one, or undefined. */
export function findOnPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** Where writeKubeconformSchemas puts a kind's schema, as kubeconform's path template. */
const SCHEMA_TEMPLATE = '{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json';

/**
 * Writes every kind the validator knows as a JSON Schema file kubeconform
 * reads from a local location (`<dir>/apps/deployment_v1.json`; the core
 * group is `v1`, as kubeconform names it), each the kind's definition with
 * its bundle's definitions: the schemas `npm run validate` checks against.
 * Returns the `-schema-location` template.
 */
export function writeKubeconformSchemas(dir: string): string {
  for (const apiVersion of Object.keys(SCHEMA_BUNDLES)) {
    const bundle = readBundle(apiVersion);
    if (!bundle) continue;
    const parts = apiVersion.split('/');
    const [group, version] = [parts[0], parts[parts.length - 1]];
    mkdirSync(join(dir, group), { recursive: true });
    for (const [kind, definition] of Object.entries(bundle.kinds)) {
      const schema = { $ref: `#/definitions/${definition}`, definitions: bundle.definitions };
      writeFileSync(join(dir, group, `${kind.toLowerCase()}_${version}.json`), JSON.stringify(schema));
    }
  }
  return join(dir, SCHEMA_TEMPLATE);
}

/** A command to time: the program and its arguments. */
export interface Command {
  readonly program: string;
  readonly args: readonly string[];
  /** Working folder; this process's by default. */
  readonly cwd?: string;
}

/** Wall time of one run of a command, in milliseconds; a failing run is an error. */
export function timeRun({ program, args, cwd }: Command): number {
  const started = performance.now();
  const run = spawnSync(program, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const elapsed = performance.now() - started;
  if (run.error) throw new Error(`${program}: ${run.error.message}`);
  if (run.status !== 0)
    throw new Error(
      `${program} ${args.join(' ')}: exit ${run.status ?? run.signal}\n${run.stdout}${run.stderr}`,
    );
  return elapsed;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall time of `runs` runs after one run not counted (it writes the code cache, fills the page cache). */
export function medianRun(command: Command, runs: number): number {
  timeRun(command);
  return median(Array.from({ length: runs }, () => timeRun(command)));
}

/** One tree validated both ways. */
export interface SideBySide {
  readonly tree: string;
  readonly files: number;
  /** Median wall time of `npm run validate`'s command, in milliseconds. */
  readonly validate: number;
  /** Median wall time of kubeconform, in milliseconds; absent when it is not on PATH. */
  readonly kubeconform?: number;
}

/** What is compared, for each tree. */
export interface SideBySideOptions {
  readonly trees: readonly {
    readonly label: string;
    readonly dir: string;
    readonly files: number;
    /** Further arguments of `npm run validate` for this row (`--threads 1`). */
    readonly validateArgs?: readonly string[];
  }[];
  readonly runs: number;
  /** `npm run validate`'s command without its paths. */
  readonly validate: Command;
  /** kubeconform's path, when it is on PATH. */
  readonly kubeconform?: string;
  readonly kubernetesVersion: string;
  /** kubeconform's `-schema-location` (writeKubeconformSchemas). */
  readonly schemaLocation: string;
}

export function measureSideBySide(options: SideBySideOptions): SideBySide[] {
  return options.trees.map(({ label, dir, files, validateArgs = [] }) => {
    const validate = medianRun(
      { ...options.validate, args: [...options.validate.args, ...validateArgs, dir] },
      options.runs,
    );
    const kubeconform =
      options.kubeconform === undefined
        ? undefined
        : medianRun(
            {
              program: options.kubeconform,
              args: kubeconformArguments(options.kubernetesVersion, [options.schemaLocation], [dir]),
            },
            options.runs,
          );
    return { tree: label, files, validate, kubeconform };
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The side-by-side table; the kubeconform column says when it was not on PATH. */
export function sideBySideLines(rows: readonly SideBySide[]): string[] {
  const columns: Column[] = [
    { header: 'tree' },
    { header: 'files', align: 'right' },
    { header: 'npm run validate', align: 'right' },
    { header: 'kubeconform', align: 'right' },
    { header: 'validate / kubeconform', align: 'right' },
  ];
  return textTable(
    columns,
    rows.map((row) => [
      row.tree,
      row.files.toLocaleString('en-US'),
      seconds(row.validate),
      row.kubeconform === undefined ? 'not on PATH' : seconds(row.kubeconform),
      row.kubeconform === undefined ? '-' : (row.validate / row.kubeconform).toFixed(2),
    ]),
  );
}
