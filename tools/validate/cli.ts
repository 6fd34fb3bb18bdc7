/**
 * npm run validate -- [--kubeconform --schema-location LOCATION ...] [PATH ...]   (default: dist/)
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
 */
// First: turns source maps off before the other modules load (see the module).
import '../source-maps-off';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { collectYamlFiles } from '../tree/files';
import { DIST_DIR } from '../tree/layout';
import { manifestEntryLookup } from '../tree/manifest';
import { formatIssue, validateFiles } from './documents';
import { fleetKubernetesVersion, kubeconformArguments } from './kubeconform';
import { CODE_CACHE_DIR, SchemaValidator } from './validator';

/** What the command line asks for. */
interface Options {
  readonly paths: string[];
  /** Run kubeconform too. */
  readonly kubeconform: boolean;
  /** kubeconform `-schema-location` values: local directories or path templates. */
  readonly schemaLocations: string[];
}

/** Parses the arguments, or returns why they are wrong. */
export function parseArguments(args: readonly string[]): Options | string {
  const paths: string[] = [];
  const schemaLocations: string[] = [];
  let kubeconform = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--kubeconform') kubeconform = true;
    else if (arg === '--schema-location') {
      const location = args[++i];
      if (location === undefined) return '--schema-location needs a value';
      schemaLocations.push(location);
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else paths.push(arg);
  }
  const remote = schemaLocations.filter((l) => l === 'default' || /^[a-z][a-z0-9+.-]*:\/\//i.test(l));
  if (remote.length > 0)
    return `--schema-location must be a local directory or path template, not ${remote.join(', ')} (validation never reaches the network)`;
  if (kubeconform && schemaLocations.length === 0)
    return '--kubeconform needs at least one --schema-location (a local directory of JSON schemas); see docs/validation.md';
  if (!kubeconform && schemaLocations.length > 0) return '--schema-location is only used with --kubeconform';
  return { paths, kubeconform, schemaLocations };
}

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
  const validator = new SchemaValidator({ codeCacheDir: CODE_CACHE_DIR });
  const { issues, documents } = validateFiles(validator, files);
  validator.saveCodeCache();
  const manifestEntry = manifestEntryLookup();
  for (const issue of issues) {
    console.error(formatIssue(issue));
    const path = manifestEntry(issue.file)?.constructPath;
    if (path) console.error(`    rendered by ${path}`);
  }
  const failedDocuments = new Set(issues.map((i) => `${i.file}#${i.document}`)).size;
  console.log(
    `validate: ${documents} documents in ${files.length} files: ` +
      (issues.length === 0 ? 'all valid' : `${issues.length} errors in ${failedDocuments} documents`),
  );
  const kubeconformStatus = options.kubeconform ? runKubeconform(paths, options.schemaLocations) : 0;
  return issues.length > 0 || kubeconformStatus !== 0 ? 1 : 0;
}

if (require.main === module)
  main().then(
    (status) => {
      process.exitCode = status;
    },
    (error: Error) => {
      console.error(`validate: ${error.message}`);
      process.exitCode = 2;
    },
  );
