/**
 * npm run policy -- [--format text|json|sarif] [PATH ...]   (default: dist/)
 *
 * Runs every policy rule over every YAML document under the paths and prints
 * the findings, the exceptions and a summary. Exit status: 0 when no
 * error-level finding stands, 1 when one does, 2 when the run itself failed
 * (bad arguments, a missing path, the credential scanner crashed).
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDeclaredFleet } from '../../clusters';
import { DIST_DIR } from '../tree/layout';
import { checkPaths, hasErrors } from './engine';
import { formatJson, formatText } from './report';
import { browseBase, formatSarif } from './sarif';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { format: { type: 'string', default: 'text' } },
    allowPositionals: true,
  });
}

function main(argv: readonly string[]): number {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    console.error(`policy: ${(error as Error).message}`);
    return 2;
  }
  const format = parsed.values.format;
  if (!(FORMATS as readonly string[]).includes(format)) {
    console.error(`policy: --format must be one of ${FORMATS.join(', ')}, not "${format}"`);
    return 2;
  }
  const paths =
    parsed.positionals.length > 0 ? parsed.positionals : [relative(process.cwd(), DIST_DIR) || DIST_DIR];
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    console.error(`policy: no such file or folder: ${missing.join(', ')}`);
    return 2;
  }
  const fleet = loadDeclaredFleet();
  const report = checkPaths(paths, fleet);
  const formatters: Record<Format, () => string> = {
    text: () => formatText(report),
    json: () => formatJson(report),
    // helpUri links each rule to its row in the README, browsed at the repository Argo CD syncs.
    sarif: () =>
      formatSarif(report, { browseBase: browseBase(fleet.settings.repoUrl, fleet.settings.targetRevision) }),
  };
  process.stdout.write(formatters[format as Format]());
  return hasErrors(report) ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`policy: ${(error as Error).stack ?? error}`);
  process.exitCode = 2;
}
