import { createServer, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { request } from 'undici';
import type { StandInProcess } from '../../../gateway/dev/processes';
import type { GatewayConfigInput } from '../../../gateway/src/config';

export const API_KEY = 'test-key-0123456789abcdef';
export const DISABLED_KEY = 'disabled-key-0123456789abcdef';
export const GATEWAY_ENV = { GATEWAY_API_KEYS: `tests:${API_KEY},retired:${DISABLED_KEY}:disabled` };

export const IRIS_ROWS = [
  [5.0, 3.4, 1.5, 0.2],
  [6.6, 3.0, 5.5, 2.0],
];

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export async function http(
  url: string,
  options: { method?: 'GET' | 'POST' | 'PUT'; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpResult> {
  const response = await request(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: options.headers,
    body: options.body,
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

/** POST a prediction through the gateway with the test key. */
export function predict(
  gatewayUrl: string,
  options: { path?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  return http(`${gatewayUrl}${options.path ?? '/v1/models/iris:predict'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, ...options.headers },
    body: options.body ?? JSON.stringify({ instances: IRIS_ROWS }),
  });
}

export interface StandInStats {
  predictRequests: number;
  recentPredictions: Array<{ requestId?: string; idempotencyKey?: string; traceparent?: string }>;
  lastPredictionHeaders: Record<string, string | undefined>;
}

export async function standInStats(standIn: StandInProcess): Promise<StandInStats> {
  return (await http(`${standIn.url}/-/stats`)).json as StandInStats;
}

export async function setFaults(standIn: StandInProcess, faults: { latencyMs?: number; errorRate?: number }) {
  const result = await http(`${standIn.url}/-/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (result.status !== 200) throw new Error(`could not set faults on ${standIn.name}: ${result.text}`);
}

export async function providers(gatewayUrl: string) {
  const result = await http(`${gatewayUrl}/v1/providers`, { headers: { 'x-api-key': API_KEY } });
  return (
    result.json as {
      providers: Array<{
        name: string;
        breaker: string;
        health: string;
        skewedModels: string[];
        score: { total: number };
      }>;
    }
  ).providers;
}

/** The value of one sample in a Prometheus text exposition, or 0 when absent. */
export async function metricValue(
  gatewayUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = (await http(`${gatewayUrl}/metrics`)).text;
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** A gateway config for the given stand-ins; every test states the knobs it depends on. */
export function configFor(
  standIns: StandInProcess[],
  costs: Record<string, number>,
  overrides: Partial<GatewayConfigInput> = {},
): GatewayConfigInput {
  return {
    providers: standIns.map((standIn) => ({
      name: standIn.name,
      url: standIn.url,
      headers: { 'x-mesh-cluster': `${standIn.name}-cluster` },
      costPer1kRequests: costs[standIn.name] ?? 0.5,
      models: ['iris'],
    })),
    logLevel: 'info',
    ...overrides,
  };
}

export function servedBy(result: HttpResult): string {
  return String(result.headers['x-served-by']);
}

/**
 * A provider that misbehaves on purpose, in the test process on 127.0.0.1: it answers model
 * status and metadata like TF Serving (so health checks pass) unless told otherwise, and hands
 * every prediction to `predict`. For the answers a real model server never gives: a mesh 503,
 * an HTML page, an invalid status, metadata nested thousands of levels deep.
 */
export interface FakeProvider {
  url: string;
  /** Predictions received. */
  predictions: number;
  close(): Promise<void>;
}

export async function startFakeProvider(handlers: {
  predict: (response: ServerResponse) => void;
  /** The metadata answer's body, as text (it may be JSON no serialiser would write). */
  metadata?: () => string;
}): Promise<FakeProvider> {
  const sockets = new Set<Socket>();
  const fake = { url: '', predictions: 0, close: async () => {} };
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method === 'POST') {
        fake.predictions += 1;
        handlers.predict(response);
        return;
      }
      const body = request.url?.endsWith('/metadata')
        ? (handlers.metadata?.() ??
          JSON.stringify({
            model_spec: { name: 'iris', version: '1' },
            metadata: { signature_def: { signature_def: { serving_default: { method_name: 'predict' } } } },
          }))
        : JSON.stringify({
            model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK' } }],
          });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}

/** Writes raw bytes to the gateway and returns the raw answer (for what no HTTP client would send). */
export async function rawExchange(gatewayUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('connect', () => socket.write(bytes));
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error(`no answer from ${gatewayUrl}; received so far: ${received}`));
    });
  });
}
