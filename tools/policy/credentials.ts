/**
 * Credential scan with secretlint (its recommended preset: cloud keys, private
 * keys, tokens, connection strings with passwords, ...). secretlint 11 ships as
 * ES modules only and this project compiles to CommonJS, so it runs as a
 * subprocess with `--format json`; values come back masked, so a report never
 * repeats a secret.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { CredentialHit } from './types';

const SECRETLINT_BIN = join(__dirname, '..', '..', 'node_modules', 'secretlint', 'bin', 'secretlint.js');
const SECRETLINT_CONFIG = JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] });
/**
 * Files per secretlint run. Each run starts Node and loads secretlint's rules (most of the scan's
 * time), so the declared fleet (about 530 files, ~40 kB of paths) goes in one run; 2,000 relative
 * paths stay far below Linux's 2 MB limit on a command line.
 */
const BATCH = 2000;

interface SecretlintResult {
  readonly filePath: string;
  readonly messages: readonly {
    readonly ruleId: string;
    readonly message: string;
    readonly loc: { readonly start: { readonly line: number } };
  }[];
}

/** The deepest folder holding every file: secretlint refuses files outside its working directory. */
function commonFolder(absoluteFiles: readonly string[]): string {
  let folder = dirname(absoluteFiles[0] as string);
  while (!absoluteFiles.every((file) => file.startsWith(folder.endsWith(sep) ? folder : folder + sep))) {
    folder = dirname(folder);
  }
  return folder;
}

/** Scans the files; throws when secretlint itself fails (exit status 2), so a broken scan never passes. */
export function scanCredentials(files: readonly string[]): CredentialHit[] {
  if (files.length === 0) return [];
  const byAbsolute = new Map(files.map((file) => [resolve(file), file]));
  const absoluteFiles = [...byAbsolute.keys()];
  const cwd = commonFolder(absoluteFiles);
  const hits: CredentialHit[] = [];
  // secretlint exits before a large report has drained through a pipe, so the report goes to a file.
  const reportDir = mkdtempSync(join(tmpdir(), 'secretlint-'));
  const report = join(reportDir, 'report.json');
  try {
    for (let start = 0; start < absoluteFiles.length; start += BATCH) {
      hits.push(...scanBatch(absoluteFiles.slice(start, start + BATCH), cwd, report, byAbsolute));
    }
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
  return hits;
}

/** One secretlint run over up to BATCH files; its JSON report is read back from `report`. */
function scanBatch(
  absoluteFiles: readonly string[],
  cwd: string,
  report: string,
  byAbsolute: ReadonlyMap<string, string>,
): CredentialHit[] {
  const run = spawnSync(
    process.execPath,
    [
      SECRETLINT_BIN,
      '--format',
      'json',
      '--no-color',
      '--no-glob',
      '--output',
      report,
      '--secretlintrcJSON',
      SECRETLINT_CONFIG,
      ...absoluteFiles.map((file) => relative(cwd, file)),
    ],
    { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (run.error || (run.status !== 0 && run.status !== 1)) {
    throw new Error(`secretlint failed (exit ${run.status}): ${run.error?.message ?? run.stderr.trim()}`);
  }
  return (JSON.parse(readFileSync(report, 'utf8')) as SecretlintResult[]).flatMap((result) =>
    result.messages.map((message) => ({
      file: byAbsolute.get(resolve(cwd, result.filePath)) ?? result.filePath,
      line: message.loc.start.line,
      message: message.message,
      scannerRule: message.ruleId,
    })),
  );
}
