/**
 * npm run validate -- [PATH ...]   (default: dist/)
 *
 * Checks every YAML document under the paths against the strict schema of
 * its apiVersion and kind. Each error is one line,
 * `file: document N (Kind/name): field.path: message`, followed by the
 * construct that rendered the file when dist/manifest.json knows it. When a
 * kubeconform binary is on PATH it runs too, with -strict, and its errors
 * count as well.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { DIST_DIR } from '../synth/synthesize';
import { collectYamlFiles, formatIssue, validateFiles } from './documents';
import { manifestEntryLookup } from './manifest-lookup';
import { SchemaValidator } from './validator';

function runKubeconform(paths: readonly string[]): number {
  const probe = spawnSync('kubeconform', ['-v'], { encoding: 'utf8' });
  if (probe.error) return 0;
  console.log(`kubeconform ${probe.stdout.trim()} found on PATH; running it with -strict as well`);
  const run = spawnSync(
    'kubeconform',
    [
      '-strict',
      '-summary',
      '-schema-location',
      'default',
      '-schema-location',
      'https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json',
      // dist/ also holds the synthesis manifest and Terraform JSON, which are not Kubernetes objects.
      '-ignore-filename-pattern',
      'manifest\\.json$',
      '-ignore-filename-pattern',
      'terraform/',
      ...paths,
    ],
    { stdio: 'inherit' },
  );
  return run.status ?? 1;
}

function main(): number {
  const args = process.argv.slice(2);
  const paths = args.length > 0 ? args : [relative(process.cwd(), DIST_DIR) || DIST_DIR];
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    console.error(`validate: no such file or folder: ${missing.join(', ')}`);
    return 2;
  }
  const files = collectYamlFiles(paths);
  const { issues, documents } = validateFiles(new SchemaValidator(), files);
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
  const kubeconformStatus = runKubeconform(paths);
  return issues.length > 0 || kubeconformStatus !== 0 ? 1 : 0;
}

process.exitCode = main();
