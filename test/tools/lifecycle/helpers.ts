import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../../..');

/** A PATH holding node and nothing else: terraform, helm and kubectl are absent. */
export function pathWithoutTools(): string {
  const dir = mkdtempSync(join(tmpdir(), 'no-tools-'));
  symlinkSync(process.execPath, join(dir, 'node'));
  return dir;
}

/** Runs a lifecycle command as npm would, from the repository root. */
export function lifecycle(
  args: readonly string[],
  env: Record<string, string | undefined>,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'tools/lifecycle/cli.ts', ...args], {
    cwd: ROOT,
    env: { HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same, without blocking this process: a stand-in server living in the test's process must
 * keep answering while the command runs.
 */
export function lifecycleAsync(
  args: readonly string[],
  env: Record<string, string | undefined>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/lifecycle/cli.ts', ...args], {
      cwd: ROOT,
      env: { HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
