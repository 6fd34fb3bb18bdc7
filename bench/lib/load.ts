/** Load generation and reporting shared by the gateway benchmarks. */
import { textTable } from '../../tools/table/table';

interface AutocannonHistogram {
  average: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: AutocannonHistogram & { total: number };
  latency: AutocannonHistogram;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonOptions {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
}
// autocannon ships no type declarations; this is the part of its API the benchmarks use.
const autocannon: (options: AutocannonOptions) => Promise<AutocannonResult> = require('autocannon');

export interface LoadResult {
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  failed: number;
}

export const PREDICT_BODY = JSON.stringify({
  instances: [
    [5.1, 3.5, 1.4, 0.2],
    [6.7, 3.0, 5.2, 2.3],
  ],
});

/** Runs autocannon against one target after a short warm-up, and returns the measured run. */
export async function measure(
  label: string,
  url: string,
  options: { headers?: Record<string, string>; connections: number; durationSeconds: number },
): Promise<LoadResult> {
  const base = {
    url,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: PREDICT_BODY,
    connections: options.connections,
  };
  await autocannon({ ...base, duration: 2 });
  const result = await autocannon({ ...base, duration: options.durationSeconds });
  return {
    label,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** A left-aligned text table; the first row is the header. */
export function table(rows: string[][]): string {
  const [header, ...body] = rows;
  return textTable(
    header.map((h) => ({ header: h })),
    body,
  ).join('\n');
}

/** Reads a numeric command-line option `--name value`, with a default. */
export function numberOption(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}
