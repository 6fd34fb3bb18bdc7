import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles } from '../../tools/tree/files';

/** Folder of the rendered tree inside the repository; committed on every branch. */
const DIST = 'dist';

/** Raised when REF cannot be read; the CLI reports it with exit code 2. */
export class BaseTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaseTreeError';
  }
}

/**
 * The rendered tree committed at `ref`. dist/ is the committed output of the
 * code (CI's `synth --check` refuses a commit whose dist/ differs), so on any
 * commit that passed CI it *is* the render of that commit, and reading it
 * costs two git processes instead of a worktree, an install and a synthesis.
 * All blobs come from one `git cat-file --batch`, not one process per file.
 */
export function treeAtRef(ref: string, repoDir: string): Map<string, string> {
  const git = (args: string[], input?: Buffer) =>
    execFileSync('git', args, { cwd: repoDir, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  let listing: string;
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    listing = git(['ls-tree', '-r', '-z', '--full-tree', ref, '--', DIST]).toString('utf8');
  } catch {
    throw new BaseTreeError(`cannot read ${DIST}/ at ${ref}: not a commit in this repository`);
  }
  const entries = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t');
      return { object: meta.split(' ')[2], path: path.slice(DIST.length + 1) };
    });
  const files = new Map<string, string>();
  if (entries.length === 0) return files;
  const batch = git(['cat-file', '--batch'], Buffer.from(entries.map((e) => `${e.object}\n`).join('')));
  // Each answer: "<oid> blob <size>\n<content>\n".
  let offset = 0;
  for (const entry of entries) {
    const headerEnd = batch.indexOf(10, offset);
    const size = Number(batch.toString('utf8', offset, headerEnd).split(' ')[2]);
    files.set(entry.path, batch.toString('utf8', headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}

/** Every file under `dir`, by path relative to it. */
export function treeInDir(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

/**
 * The working tree's fresh render: the synthesis of the current code into a
 * temporary folder (never dist/, which may be stale or mid-edit).
 */
export async function renderWorkingTree(): Promise<Map<string, string>> {
  // Loaded lazily: the synthesis pulls in every chart, which a `--head DIR` run does not need.
  const { synthesize } = await import('../synth/synthesize');
  const outDir = mkdtempSync(join(tmpdir(), 'ml-platform-diff-'));
  try {
    const target = join(outDir, 'dist');
    synthesize({ outDir: target });
    return treeInDir(target);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
