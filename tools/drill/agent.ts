/**
 * The drill's hands inside a namespace. The drill itself runs in the machine's own network
 * namespace, which has no link to the box (nothing may leave the box, nor enter it from outside);
 * it starts one agent per namespace it needs to talk from (`ip netns exec … node agent.ts`) and
 * sends it commands as JSON lines on stdin. Answers and events come back as JSON lines on stdout:
 *
 * - `{"id", "op": "http", "url", "method"?, "headers"?, "body"?, "timeoutMs"?}` → `{"id", "status",
 *   "headers", "body", "ms"}` or `{"id", "error"}`;
 * - `{"id", "op": "load", "url", "ratePerSecond", "keys", "body"}` starts steady load (every
 *   second request carries a fresh `Idempotency-Key`); each request answers with an event
 *   `{"event": "request", "start", "end", "status", "servedBy", "attempts", "idempotent"}`;
 *   `{"op": "stop-load"}` stops it (answers once every request in flight has ended);
 * - `{"id", "op": "webhook", "host", "port"}` serves an Alertmanager webhook receiver; each
 *   notification is an event `{"event": "notification", "at", "path", "payload"}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

interface Command {
  id?: number;
  op: string;
  [key: string]: unknown;
}

const write = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

let load: { stop: () => Promise<void> } | undefined;

async function http(command: Command) {
  const started = Date.now();
  const response = await fetch(String(command.url), {
    method: (command.method as string) ?? 'GET',
    headers: (command.headers as Record<string, string>) ?? {},
    body: command.body === undefined ? undefined : String(command.body),
    signal: AbortSignal.timeout(Number(command.timeoutMs ?? 5_000)),
  });
  const body = await response.text();
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body,
    ms: Date.now() - started,
  };
}

function startLoad(command: Command) {
  const url = String(command.url);
  const keys = command.keys as string[];
  const body = String(command.body);
  const intervalMs = 1_000 / Number(command.ratePerSecond);
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  const one = async () => {
    const idempotent = sent % 2 === 1;
    const key = keys[sent % keys.length];
    sent += 1;
    const start = Date.now();
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-api-key': key };
    if (idempotent) headers['idempotency-key'] = randomUUID();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      write({
        event: 'request',
        start,
        end: Date.now(),
        status: response.status,
        servedBy: response.headers.get('x-served-by') ?? undefined,
        attempts: Number(response.headers.get('x-gateway-attempts') ?? 0),
        idempotent,
      });
    } catch (error) {
      write({ event: 'request', start, end: Date.now(), status: 0, error: String(error), idempotent });
    }
  };
  // A fixed schedule (not "next after the last one ended"): a stalled provider must not slow the
  // offered load down, or failures would hide behind fewer requests.
  const begun = Date.now();
  let ticks = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const due = Math.floor((Date.now() - begun) / intervalMs) + 1;
    while (ticks < due) {
      ticks += 1;
      const p = one().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    setTimeout(tick, Math.max(1, intervalMs / 2));
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      await Promise.all([...inFlight]);
    },
  };
}

function serveWebhook(command: Command): Promise<void> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        payload = Buffer.concat(chunks).toString('utf8');
      }
      write({ event: 'notification', at: Date.now(), path: request.url, payload });
      response.writeHead(200).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(command.port), String(command.host), () => resolve());
  });
}

async function handle(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'http':
      return http(command);
    case 'load':
      if (load) throw new Error('load is already running');
      load = startLoad(command);
      return { started: true };
    case 'stop-load': {
      const running = load;
      load = undefined;
      await running?.stop();
      return { stopped: true };
    }
    case 'webhook':
      await serveWebhook(command);
      return { listening: true };
    default:
      throw new Error(`unknown op ${command.op}`);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let command: Command;
  try {
    command = JSON.parse(line) as Command;
  } catch {
    write({ error: `not JSON: ${line.slice(0, 80)}` });
    return;
  }
  handle(command).then(
    (result) => write({ id: command.id, ...(result as object) }),
    (error: unknown) => write({ id: command.id, error: String(error) }),
  );
});
// The drill going away (crash, SIGKILL) closes stdin: the agent goes with it.
process.stdin.on('end', () => process.exit(0));
