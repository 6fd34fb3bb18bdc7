/**
 * npm run validate -- [--kubeconform --schema-location LOCATION ...] [--threads N] [PATH ...]   (default: dist/)
 *
 * Checks every YAML document under the paths against the strict schema of
 * its apiVersion and kind. Each error is one line,
 * `file: document N (Kind/name): field.path: message`, followed by the
 * construct that rendered the file when dist/manifest.json knows it.
 *
 * Offline always: kubeconform runs only with `--kubeconform`, and then only
 * against the local schema locations given with `--schema-location` (a
 * directory or a kubeconform path template), never its default online ones,
 * for the Kubernetes version the fleet declares. Its errors count as well.
 *
 * A large tree is validated on several threads (./threads.ts; `--threads N`
 * sets how many). package.json starts the command from a bundle of its
 * modules (tools/run-bundled.cjs), not through tsx, and from a V8 startup
 * snapshot of that bundle holding the compiled checks (prepareSnapshot).
 */
// First: turns source maps off before the other modules load (see the module).
import '../source-maps-off';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { startupSnapshot } from 'node:v8';
import { runCli } from '../run-cli';
import { collectYamlFiles } from '../tree/files';
import { DIST_DIR } from '../tree/layout';
import { manifestEntryLookup } from '../tree/manifest';
import { parseArguments } from './arguments';
import { formatIssue, validateFiles } from './documents';
import { fleetKubernetesVersion, kubeconformArguments } from './kubeconform';
import { inValidationWorker, threadsFor, validateInThreads, validateShare } from './threads';
import { CODE_CACHE_DIR, preloadCompiledModules, SchemaValidator } from './validator';

function runKubeconform(paths: readonly string[], schemaLocations: readonly string[]): number {
  const kubernetesVersion = fleetKubernetesVersion();
  console.log(
    `running kubeconform -strict for Kubernetes ${kubernetesVersion} against ${schemaLocations.join(', ')}`,
  );
  const run = spawnSync('kubeconform', kubeconformArguments(kubernetesVersion, schemaLocations, paths), {
    stdio: 'inherit',
  });
  if (run.error) {
    console.error(`validate: cannot run kubeconform: ${run.error.message}`);
    return 1;
  }
  return run.status ?? 1;
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  if (typeof options === 'string') {
    console.error(`validate: ${options}`);
    return 2;
  }
  const paths = options.paths.length > 0 ? options.paths : [relative(process.cwd(), DIST_DIR) || DIST_DIR];
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    console.error(`validate: no such file or folder: ${missing.join(', ')}`);
    return 2;
  }
  const files = collectYamlFiles(paths);
  const threads = options.threads ?? threadsFor(files.length);
  const { issues, documents, validator } = await validateInThreads(files, {
    threads,
    // This module again: in a worker it validates its share (below).
    workerModule: __filename,
    codeCacheDir: CODE_CACHE_DIR,
  });
  validator.saveCodeCache();
  const manifestEntry = manifestEntryLookup();
  for (const issue of issues) {
    console.error(formatIssue(issue));
    const path = manifestEntry(issue.file)?.constructPath;
    if (path) console.error(`    rendered by ${path}`);
  }
  const failedDocuments = new Set(issues.map((i) => `${i.file}#${i.document}`)).size;
  console.log(
    `validate: ${documents} documents in ${files.length} files${threads > 1 ? ` (${threads} threads)` : ''}: ` +
      (issues.length === 0 ? 'all valid' : `${issues.length} errors in ${failedDocuments} documents`),
  );
  const kubeconformStatus = options.kubeconform ? runKubeconform(paths, options.schemaLocations) : 0;
  return issues.length > 0 || kubeconformStatus !== 0 ? 1 : 0;
}

// The command's own failures (a thread that stopped, an unreadable file) keep its `validate:` prefix.
const named = () =>
  main().catch((error: Error) => {
    console.error(`validate: ${error.message}`);
    return 2;
  });

/**
 * While tools/run-bundled.cjs builds the startup snapshot: loads every
 * compiled check and runs them once over the declared fleet, discarding
 * what they report. V8 compiles a function only when it first runs, and the
 * snapshot keeps the code it compiled, so a run started from it neither
 * parses the 12 MB of checks nor compiles the ones the fleet uses (without
 * this run the snapshot made `npm run validate` slower than the code cache,
 * docs/benchmarks.md). Nothing of the fleet is kept: the validator of this
 * run is dropped, and the checks are Ajv's pure functions. The files the
 * snapshot was made from go where run-bundled asks, so it is rebuilt when
 * one changes.
 */
function prepareSnapshot(inputsFile: string | undefined): void {
  const inputs = preloadCompiledModules();
  if (inputsFile) writeFileSync(inputsFile, JSON.stringify(inputs));
  if (existsSync(DIST_DIR)) validateFiles(new SchemaValidator(), collectYamlFiles([DIST_DIR]));
  startupSnapshot.setDeserializeMainFunction(() => runCli(named));
}

if (startupSnapshot.isBuildingSnapshot()) prepareSnapshot(process.env.RUN_BUNDLED_SNAPSHOT_INPUTS);
else if (inValidationWorker()) validateShare();
else runCli(named);
