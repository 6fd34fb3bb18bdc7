/**
 * The drill's side of an agent (agent.ts) running in one namespace: requests with answers, and
 * the agent's events (load results, notifications) to whoever listens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type BoxNode, inNamespace } from './network';

const AGENT = join(__dirname, 'agent.ts');
const REPO_ROOT = join(__dirname, '..', '..');

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly ms: number;
}

export class Agent extends EventEmitter {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(readonly node: BoxNode) {
    super();
    const [command, ...args] = inNamespace(node, [
      process.execPath,
      '--import',
      'tsx',
      AGENT,
      node.namespace,
    ]);
    // (The namespace's name as an argument only marks the process as the drill's in `ps`.)
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    this.child = child;
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message: { event?: string; id?: number; error?: string };
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (message.event) {
        this.emit(message.event, message);
        return;
      }
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id as number);
      if (message.error) waiting.reject(new Error(`${node.name} agent: ${message.error}`));
      else waiting.resolve(message);
    });
    this.child.once('exit', () => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`${node.name} agent exited`));
      this.pending.clear();
    });
  }

  send<T>(op: string, fields: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin?.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  }

  http(
    url: string,
    options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
  ) {
    return this.send<HttpAnswer>('http', { url, ...options });
  }

  async json<T>(url: string, options: Parameters<Agent['http']>[1] = {}): Promise<T> {
    const answer = await this.http(url, options);
    if (answer.status < 200 || answer.status > 299)
      throw new Error(`${url}: ${answer.status} ${answer.body.slice(0, 200)}`);
    return JSON.parse(answer.body) as T;
  }

  stop(): void {
    this.child.stdin?.end();
    this.child.kill('SIGKILL');
  }
}
