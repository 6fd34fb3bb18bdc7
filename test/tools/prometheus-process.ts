import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../gateway/dev/processes';

/**
 * A real Prometheus (Debian package `prometheus`) for the tests of the tools that query one: its
 * TSDB is filled by promtool from OpenMetrics text, and it listens on 127.0.0.1 only. Missing
 * binaries fail the test: CI installs the package.
 */
export interface PrometheusProcess {
  readonly url: string;
  stop(): Promise<void>;
}

async function waitReady(url: string, process: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`prometheus exited with ${process.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`prometheus was not ready within 30 s:\n${log()}`);
}

/**
 * Starts Prometheus over the series of `openMetrics` (OpenMetrics text ending in `# EOF`). The
 * samples must be recent: Prometheus drops blocks older than its retention when it starts.
 */
export async function startPrometheus(openMetrics: string, prefix: string): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  writeFileSync(join(dir, 'series.om'), openMetrics);
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
  execFileSync(
    'promtool',
    ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'series.om'), join(dir, 'data')],
    {
      stdio: 'pipe',
      timeout: 60_000,
    },
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--storage.tsdb.retention.time=30d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  prometheus.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const stop = async () => {
    if (prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus.once('exit', r));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, prometheus, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
