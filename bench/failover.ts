/**
 * `npm run bench:failover [-- --concurrency N --seconds S]`
 *
 * Three stand-ins behind the gateway under steady load; after a few seconds the provider taking
 * most of the traffic fails in one of two ways:
 *
 * - SIGKILL: it is gone, connections are refused or reset;
 * - SIGSTOP: it is hung, connections stay open and nothing answers (the harder case: nothing
 *   fails until a timeout).
 *
 * Each fault runs twice, without and with an Idempotency-Key on every request. For each run:
 * how long until the gateway sent no new request to the failed provider (from its
 * attempts-started counter, sampled every 10 ms), when its breaker opened, the failed client
 * requests and why, and the slowest answer. Requests in flight on the failed provider may have
 * been processed, so without a key they fail rather than run twice.
 */
import { request } from 'undici';
import { type StandInProcess, sleep, startGateway, startStandIn } from '../gateway/dev/processes';
import { numberOption, PREDICT_BODY, table } from './lib/load';

const API_KEY = 'bench-key-0123456789abcdef';
const SAMPLE_MS = 10;

type Fault = 'SIGKILL' | 'SIGSTOP';

interface RunResult {
  fault: Fault;
  withIdempotencyKeys: boolean;
  sent: number;
  elapsedSeconds: number;
  noNewRequestsAfterMs: number;
  breakerOpenAfterMs: number | undefined;
  failed: Array<[string, number]>;
  slowestMs: number;
  slowestAfterFaultMs: number;
  servedBy: Map<string, number>;
}

async function startedAttempts(gatewayUrl: string, provider: string): Promise<number> {
  const response = await request(`${gatewayUrl}/metrics`);
  const text = await response.body.text();
  if (response.statusCode !== 200) return Number.NaN;
  let total = 0;
  for (const line of text.split('\n')) {
    if (
      line.startsWith('gateway_upstream_attempts_started_total{') &&
      line.includes(`provider="${provider}"`)
    ) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

async function breakerOf(gatewayUrl: string, provider: string): Promise<string | undefined> {
  const response = await request(`${gatewayUrl}/v1/providers`, { headers: { 'x-api-key': API_KEY } });
  // Under load the gateway may shed this call (503 from under-pressure): no sample then.
  const body = (await response.body.json()) as { providers?: Array<{ name: string; breaker: string }> };
  return body.providers?.find((entry) => entry.name === provider)?.breaker;
}

async function run(
  fault: Fault,
  withIdempotencyKeys: boolean,
  concurrency: number,
  seconds: number,
): Promise<RunResult> {
  const faultAfterMs = Math.min(3_000, (seconds * 1000) / 3);
  const standIns: StandInProcess[] = await Promise.all(
    ['aws', 'gcp', 'azure'].map((name, index) => startStandIn({ name, latencyMs: 2 + index * 3 })),
  );
  const gateway = await startGateway(
    {
      providers: standIns.map((standIn, index) => ({
        name: standIn.name,
        url: standIn.url,
        costPer1kRequests: 0.3 + index * 0.1,
        models: ['iris'],
      })),
      limits: { rateLimit: { max: 1_000_000_000, windowMs: 60_000 } },
      logLevel: 'warn',
    },
    { GATEWAY_API_KEYS: `bench:${API_KEY}` },
  );

  const outcomes = new Map<string, number>();
  const servedBy = new Map<string, number>();
  let sent = 0;
  let stop = false;
  let slowestMs = 0;
  let slowestAfterFaultMs = 0;
  let faultAt = Number.POSITIVE_INFINITY;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (!stop && performance.now() < deadline) {
      sent += 1;
      const sentAt = performance.now();
      try {
        const response = await request(`${gateway.url}/v1/models/iris:predict`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-api-key': API_KEY,
            ...(withIdempotencyKeys ? { 'idempotency-key': `bench-${sent}` } : {}),
          },
          body: PREDICT_BODY,
        });
        const body = await response.body.text();
        const key =
          response.statusCode === 200
            ? 'ok'
            : `${response.statusCode} ${String(JSON.parse(body).error).slice(0, 70)}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        const provider = String(response.headers['x-served-by']);
        if (response.statusCode === 200) servedBy.set(provider, (servedBy.get(provider) ?? 0) + 1);
      } catch (error) {
        const key = `client error ${(error as Error).message}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }
      const tookMs = performance.now() - sentAt;
      slowestMs = Math.max(slowestMs, tookMs);
      // Answers to requests in flight at the fault or sent after it.
      if (performance.now() > faultAt) slowestAfterFaultMs = Math.max(slowestAfterFaultMs, tookMs);
    }
  };
  const load = Promise.all(Array.from({ length: concurrency }, worker));

  let victimProcess: StandInProcess | undefined;
  try {
    await sleep(faultAfterMs);
    const victim = [...servedBy.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ?? 'aws';
    victimProcess = standIns.find((standIn) => standIn.name === victim) as StandInProcess;
    let lastCount = await startedAttempts(gateway.url, victim);
    faultAt = performance.now();
    victimProcess.process.signal(fault);
    let lastChangeAt = faultAt;
    let breakerOpenAt: number | undefined;
    while (performance.now() < deadline) {
      await sleep(SAMPLE_MS);
      const count = await startedAttempts(gateway.url, victim);
      if (!Number.isNaN(count) && count !== lastCount) {
        lastCount = count;
        lastChangeAt = performance.now();
      }
      if (breakerOpenAt === undefined && (await breakerOf(gateway.url, victim)) === 'open') {
        breakerOpenAt = performance.now();
      }
    }
    stop = true;
    await load;
    return {
      fault,
      withIdempotencyKeys,
      sent,
      elapsedSeconds: (performance.now() - started) / 1000,
      noNewRequestsAfterMs: lastChangeAt - faultAt,
      breakerOpenAfterMs: breakerOpenAt === undefined ? undefined : breakerOpenAt - faultAt,
      failed: [...outcomes.entries()].filter(([key]) => key !== 'ok'),
      slowestMs,
      slowestAfterFaultMs,
      servedBy,
    };
  } finally {
    stop = true;
    await load;
    if (fault === 'SIGSTOP') victimProcess?.process.signal('SIGCONT');
    await Promise.all([gateway.process.stop(), ...standIns.map((standIn) => standIn.process.stop())]);
  }
}

async function main(): Promise<void> {
  const concurrency = numberOption('concurrency', 16);
  const seconds = numberOption('seconds', 10);
  const results: RunResult[] = [];
  for (const fault of ['SIGKILL', 'SIGSTOP'] as const) {
    for (const withIdempotencyKeys of [false, true]) {
      results.push(await run(fault, withIdempotencyKeys, concurrency, seconds));
    }
  }
  const count = (result: RunResult) => result.failed.reduce((sum, [, value]) => sum + value, 0);
  process.stdout.write(
    `${concurrency} concurrent clients, ${seconds} s per run; the busiest provider fails after ${Math.min(3, seconds / 3).toFixed(1)} s\n\n`,
  );
  process.stdout.write(
    `${table([
      [
        'fault',
        'Idempotency-Key',
        'req/s',
        'no new request to it after',
        'its breaker open after',
        'failed requests',
        'slowest answer',
        'slowest after the fault',
      ],
      ...results.map((result) => [
        result.fault,
        result.withIdempotencyKeys ? 'every request' : 'none',
        (result.sent / result.elapsedSeconds).toFixed(0),
        `${result.noNewRequestsAfterMs.toFixed(0)} ms (±${SAMPLE_MS})`,
        result.breakerOpenAfterMs === undefined
          ? 'not in the run'
          : `${result.breakerOpenAfterMs.toFixed(0)} ms`,
        `${count(result)} of ${result.sent}`,
        `${result.slowestMs.toFixed(0)} ms`,
        `${result.slowestAfterFaultMs.toFixed(0)} ms`,
      ]),
    ])}\n`,
  );
  for (const result of results) {
    if (result.failed.length === 0) continue;
    process.stdout.write(
      `\n${result.fault}, ${result.withIdempotencyKeys ? 'with' : 'without'} Idempotency-Key: failed requests by status and message\n`,
    );
    for (const [key, value] of result.failed) process.stdout.write(`  ${value} × ${key}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:failover failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
