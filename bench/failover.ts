/**
 * `npm run bench:failover [-- --concurrency N --seconds S --idempotency-keys]`
 *
 * Three stand-ins behind the gateway under steady load. After a few seconds the provider taking
 * the traffic is killed (SIGKILL, no warning). Reports how long until the gateway stopped
 * routing requests to it (from its attempt counter, sampled every 10 ms), when its breaker
 * opened, and how many client requests failed and why. Requests in flight on the killed
 * provider may have been processed, so without an Idempotency-Key they fail rather than run
 * twice; `--idempotency-keys` sends one with every request to show them retried instead.
 */
import { request } from 'undici';
import { type StandInProcess, sleep, startGateway, startStandIn } from '../gateway/dev/processes';
import { numberOption, PREDICT_BODY, table } from './lib/load';

const API_KEY = 'bench-key-0123456789abcdef';
const SAMPLE_MS = 10;

async function attemptsTo(gatewayUrl: string, provider: string): Promise<number> {
  const response = await request(`${gatewayUrl}/metrics`);
  const text = await response.body.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('gateway_upstream_attempts_total{') && line.includes(`provider="${provider}"`)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

async function breakerOf(gatewayUrl: string, provider: string): Promise<string | undefined> {
  const response = await request(`${gatewayUrl}/v1/providers`, { headers: { 'x-api-key': API_KEY } });
  const body = (await response.body.json()) as { providers: Array<{ name: string; breaker: string }> };
  return body.providers.find((entry) => entry.name === provider)?.breaker;
}

async function main(): Promise<void> {
  const concurrency = numberOption('concurrency', 16);
  const seconds = numberOption('seconds', 10);
  const killAfterMs = Math.min(3_000, (seconds * 1000) / 3);
  const withIdempotencyKeys = process.argv.includes('--idempotency-keys');
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
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (!stop && performance.now() < deadline) {
      sent += 1;
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
            : `${response.statusCode} ${String(JSON.parse(body).error).slice(0, 60)}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        const provider = String(response.headers['x-served-by']);
        if (response.statusCode === 200) servedBy.set(provider, (servedBy.get(provider) ?? 0) + 1);
      } catch (error) {
        const key = `client error ${(error as Error).message}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }
    }
  };
  const load = Promise.all(Array.from({ length: concurrency }, worker));

  try {
    await sleep(killAfterMs);
    // Kill whichever provider is taking most of the traffic.
    const victim = [...servedBy.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ?? 'aws';
    const victimProcess = standIns.find((standIn) => standIn.name === victim) as StandInProcess;
    let lastCount = await attemptsTo(gateway.url, victim);
    const killedAt = performance.now();
    victimProcess.process.signal('SIGKILL');
    let lastChangeAt = killedAt;
    let breakerOpenAt: number | undefined;
    while (!stop && performance.now() < deadline) {
      await sleep(SAMPLE_MS);
      const count = await attemptsTo(gateway.url, victim);
      if (count !== lastCount) {
        lastCount = count;
        lastChangeAt = performance.now();
      }
      if (breakerOpenAt === undefined && (await breakerOf(gateway.url, victim)) === 'open') {
        breakerOpenAt = performance.now();
      }
    }
    stop = true;
    await load;

    const elapsedSeconds = (performance.now() - started) / 1000;
    const failed = [...outcomes.entries()].filter(([key]) => key !== 'ok');
    const failedCount = failed.reduce((sum, [, count]) => sum + count, 0);
    process.stdout.write(
      `${concurrency} concurrent clients for ${elapsedSeconds.toFixed(1)} s; killed ${victim} after ${killAfterMs} ms; ` +
        `${withIdempotencyKeys ? 'with' : 'without'} Idempotency-Key\n\n`,
    );
    process.stdout.write(
      `${table([
        ['measure', 'value'],
        ['client requests', String(sent)],
        ['throughput (req/s)', (sent / elapsedSeconds).toFixed(0)],
        [
          'time until no request routed to the killed provider',
          `${(lastChangeAt - killedAt).toFixed(0)} ms (±${SAMPLE_MS} ms)`,
        ],
        [
          'time until its breaker was open',
          breakerOpenAt === undefined ? 'never' : `${(breakerOpenAt - killedAt).toFixed(0)} ms`,
        ],
        ['failed client requests', String(failedCount)],
        ['served by', [...servedBy.entries()].map(([name, count]) => `${name} ${count}`).join(', ')],
      ])}\n`,
    );
    if (failed.length > 0) {
      process.stdout.write('\nfailed client requests by status and message:\n');
      for (const [key, count] of failed) process.stdout.write(`  ${count} × ${key}\n`);
    }
  } finally {
    stop = true;
    await load;
    await Promise.all([gateway.process.stop(), ...standIns.map((standIn) => standIn.process.stop())]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:failover failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
