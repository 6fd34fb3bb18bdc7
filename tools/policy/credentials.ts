/**
 * Credential scan with secretlint (its recommended preset: cloud keys, private
 * keys, tokens, connection strings with passwords, ...). secretlint 11 ships as
 * ES modules only and this project compiles to CommonJS, so it runs as a
 * subprocess with `--format json`; values come back masked, so a report never
 * repeats a secret.
 *
 * secretlint spends most of its time per file, not per byte (565 files took 2.7 s, the same bytes
 * as one file 0.5 s), so the files are scanned as one text, each starting on a line of its own,
 * and every finding is mapped back to its file and line. Every rendered file is whole YAML ending
 * in a newline, so no value spans two files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialHit } from './types';

const SECRETLINT_BIN = join(__dirname, '..', '..', 'node_modules', 'secretlint', 'bin', 'secretlint.js');
const SECRETLINT_CONFIG = JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] });

/** The text secretlint reads: the files one after the other, ending in a newline each. */
const SCANNED = 'scanned.yaml';

interface SecretlintResult {
  readonly filePath: string;
  readonly messages: readonly {
    readonly ruleId: string;
    readonly message: string;
    readonly loc: { readonly start: { readonly line: number } };
  }[];
}

/** Where each file starts in the joined text: its first line there (1-based), in order. */
interface Part {
  readonly file: string;
  readonly firstLine: number;
}

/** The files as one text, and where each starts. */
function joined(files: readonly string[]): { text: string; parts: Part[] } {
  const chunks: string[] = [];
  const parts: Part[] = [];
  let line = 1;
  for (const file of files) {
    let text = readFileSync(file, 'utf8');
    if (!text.endsWith('\n')) text += '\n';
    parts.push({ file, firstLine: line });
    chunks.push(text);
    line += text.split('\n').length - 1;
  }
  return { text: chunks.join(''), parts };
}

/** The file and line a line of the joined text comes from (the parts are in order). */
function placeOf(parts: readonly Part[], line: number): { file: string; line: number } {
  let low = 0;
  let high = parts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((parts[middle] as Part).firstLine <= line) low = middle;
    else high = middle - 1;
  }
  const part = parts[low] as Part;
  return { file: part.file, line: line - part.firstLine + 1 };
}

/** Scans the files; throws when secretlint itself fails (exit status 2), so a broken scan never passes. */
export function scanCredentials(files: readonly string[]): CredentialHit[] {
  if (files.length === 0) return [];
  const { text, parts } = joined(files);
  const dir = mkdtempSync(join(tmpdir(), 'secretlint-'));
  // secretlint exits before a large report has drained through a pipe, so the report goes to a file.
  const report = join(dir, 'report.json');
  try {
    writeFileSync(join(dir, SCANNED), text);
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
        SCANNED,
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (run.error || (run.status !== 0 && run.status !== 1)) {
      throw new Error(`secretlint failed (exit ${run.status}): ${run.error?.message ?? run.stderr.trim()}`);
    }
    return (JSON.parse(readFileSync(report, 'utf8')) as SecretlintResult[]).flatMap((result) =>
      result.messages.map((message) => ({
        ...placeOf(parts, message.loc.start.line),
        message: message.message,
        scannerRule: message.ruleId,
      })),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
