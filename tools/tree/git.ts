import { execFileSync } from 'node:child_process';
import { DIST_FOLDER } from './layout';

/** Raised when REF cannot be read; the CLIs report it with exit code 2. */
export class BaseTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaseTreeError';
  }
}

/**
 * The rendered tree committed at `ref`, by path relative to dist/. dist/ is
 * the committed output of the code (CI's `synth --check` refuses a commit
 * whose dist/ differs), so on any commit that passed CI it *is* the render of
 * that commit, and reading it costs two git processes instead of a worktree,
 * an install and a synthesis. All blobs come from one `git cat-file --batch`,
 * not one process per file.
 */
export function treeAtRef(ref: string, repoDir: string): Map<string, string> {
  const git = (args: string[], input?: Buffer) =>
    execFileSync('git', args, { cwd: repoDir, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  let listing: string;
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    listing = git(['ls-tree', '-r', '-z', '--full-tree', ref, '--', DIST_FOLDER]).toString('utf8');
  } catch {
    throw new BaseTreeError(`cannot read ${DIST_FOLDER}/ at ${ref}: not a commit in this repository`);
  }
  const entries = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t');
      return { object: meta.split(' ')[2], path: path.slice(DIST_FOLDER.length + 1) };
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
