import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Fleet } from '../../clusters/types';

/**
 * The fleet as declared at a git ref. The fleet is code, and what it imports
 * changes from commit to commit (the CIDR module, the components' cloud
 * workloads), so the whole source tree of that commit but the rendered one
 * (`git archive REF` without dist/) is extracted into a temporary folder that
 * borrows this checkout's node_modules, and loaded there. Prices and the cost
 * model stay the current ones: a delta compares fleets, not price tables.
 */
export async function fleetAtRef(ref: string, repoDir: string): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'ml-platform-cost-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', ref, '--', '.', ':(exclude)dist'], {
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
