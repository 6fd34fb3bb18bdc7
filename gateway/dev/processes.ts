/**
 * Starting and stopping the gateway and stand-ins as real processes on 127.0.0.1, shared by
 * `npm run dev`, the integration tests and the benchmarks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GatewayConfigInput } from '../src/config';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const MODEL_SERVER = join(REPO_ROOT, 'gateway', 'dev', 'model-server.ts');
const GATEWAY_MAIN = join(REPO_ROOT, 'gateway', 'src', 'main.ts');

/** A port that was free a moment ago (the OS picks it; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  description: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${description}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

/** A child process whose output is kept for diagnostics. */
export class ManagedProcess {
  readonly child: ChildProcess;
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly label: string,
    script: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ) {
    // node --import tsx runs the TypeScript directly, and the pid is the server itself (signals reach it).
    this.child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolveExit) => {
      this.child.once('exit', (code, signal) => resolveExit({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get logs(): string {
    return this.output;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 3_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface StandInProcess {
  name: string;
  port: number;
  url: string;
  process: ManagedProcess;
}

export interface StandInSpec {
  name: string;
  port?: number;
  latencyMs?: number;
  errorRate?: number;
  modelVersion?: string;
}

export async function startStandIn(spec: StandInSpec): Promise<StandInProcess> {
  const port = spec.port ?? (await freePort());
  const args = ['--name', spec.name, '--port', String(port)];
  if (spec.latencyMs !== undefined) args.push('--latency-ms', String(spec.latencyMs));
  if (spec.errorRate !== undefined) args.push('--error-rate', String(spec.errorRate));
  if (spec.modelVersion !== undefined) args.push('--model-version', spec.modelVersion);
  const child = new ManagedProcess(`model-server ${spec.name}`, MODEL_SERVER, args);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/-/stats`, child);
  return { name: spec.name, port, url, process: child };
}

export interface GatewayProcess {
  port: number;
  url: string;
  configPath: string;
  process: ManagedProcess;
}

/** Writes the config to a temporary file and starts `gateway/src/main.ts --config FILE`. */
export async function startGateway(
  config: GatewayConfigInput,
  env: NodeJS.ProcessEnv = {},
  options: { waitForReady?: boolean } = {},
): Promise<GatewayProcess> {
  const port = config.listen?.port ?? (await freePort());
  const full: GatewayConfigInput = { ...config, listen: { host: '127.0.0.1', ...config.listen, port } };
  const configPath = join(mkdtempSync(join(tmpdir(), 'gateway-')), 'gateway.json');
  writeFileSync(configPath, JSON.stringify(full, null, 2));
  const child = new ManagedProcess('gateway', GATEWAY_MAIN, ['--config', configPath], env);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/${options.waitForReady === false ? 'healthz' : 'readyz'}`, child);
  return { port, url, configPath, process: child };
}

async function waitForHttp(url: string, child: ManagedProcess, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    `${child.label} to answer ${url}`,
    async () => {
      if (!child.running) throw new Error(`${child.label} exited:\n${child.logs}`);
      const response = await fetch(url).catch(() => undefined);
      return response?.ok === true;
    },
    timeoutMs,
    100,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- ${child.label} output ---\n${child.logs}`);
  });
}
