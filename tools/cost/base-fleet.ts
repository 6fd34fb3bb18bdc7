import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Fleet } from '../../clusters/types';

/**
 * The fleet as declared at a git ref. The fleet is code, so it is extracted
 * (`git archive` of clusters/ only: it imports nothing else of the repository)
 * into a temporary folder that borrows this checkout's node_modules, and
 * loaded there. Prices and the cost model stay the current ones: a delta
 * compares fleets, not price tables.
 */
export async function fleetAtRef(ref: string, repoDir: string): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'ml-platform-cost-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', ref, 'clusters'], {
      cwd: repoDir,
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    symlinkSync(join(repoDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const module = (await import(pathToFileURL(join(dir, 'clusters', 'index.ts')).href)) as {
      loadDeclaredFleet: () => Fleet;
    };
    return module.loadDeclaredFleet();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
