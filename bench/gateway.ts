/**
 * `npm run bench:gateway [-- --duration S --connections N]`
 *
 * Throughput and latency of the same stand-in model server reached four ways, in one run:
 * directly, through the gateway, through the gateway exporting a span for every request to a
 * loopback OTLP receiver (the worst case for tracing: the fleet samples a few percent), and
 * through nginx as a plain reverse proxy. Prints req/s, p50 and p99 for each, and the ratios
 * gateway/direct, gateway/nginx and traced/untraced. Everything runs on
 * this machine on 127.0.0.1, load generator included, so absolute numbers depend on the host;
 * the ratios are the result.
 */
import { OtlpReceiver } from '../gateway/dev/otlp-receiver';
import { startGateway, startStandIn } from '../gateway/dev/processes';
import type { GatewayConfigInput } from '../gateway/src/config';
import { type LoadResult, measure, numberOption, table } from './lib/load';
import { startNginx } from './lib/nginx';

const API_KEY = 'bench-key-0123456789abcdef';

async function main(): Promise<void> {
  const durationSeconds = numberOption('duration', 10);
  const connections = numberOption('connections', 32);
  const standIn = await startStandIn({ name: 'aws' });
  const receiver = new OtlpReceiver(false);
  const otlpEndpoint = await receiver.start();
  const gatewayWith = (tracing: GatewayConfigInput['tracing']) =>
    startGateway(
      {
        providers: [{ name: 'aws', url: standIn.url, costPer1kRequests: 0.4, models: ['iris'] }],
        // The benchmark measures proxying, not the rate limit; access logs off like nginx's.
        limits: { rateLimit: { max: 1_000_000_000, windowMs: 60_000 } },
        logLevel: 'warn',
        tracing,
      },
      { GATEWAY_API_KEYS: `bench:${API_KEY}` },
    );
  // Requests arrive without a traceparent, so the ratio decides: none kept, or every one exported.
  const gateway = await gatewayWith({ samplingRatio: 0 });
  const traced = await gatewayWith({ samplingRatio: 1, otlpEndpoint, exportIntervalMs: 1_000 });
  const nginx = await startNginx(standIn.port);
  try {
    const path = '/v1/models/iris:predict';
    const options = { connections, durationSeconds };
    process.stdout.write(
      `${connections} connections, ${durationSeconds} s per target (after a 2 s warm-up)\n`,
    );
    const direct = await measure('stand-in direct', `${standIn.url}${path}`, options);
    const viaGateway = await measure('gateway', `${gateway.url}${path}`, {
      ...options,
      headers: { 'x-api-key': API_KEY },
    });
    const viaTraced = await measure('gateway, all traced', `${traced.url}${path}`, {
      ...options,
      headers: { 'x-api-key': API_KEY },
    });
    const viaNginx = await measure('nginx proxy', `${nginx.url}${path}`, options);
    const rows = [direct, viaGateway, viaTraced, viaNginx];
    process.stdout.write(
      `\n${table([
        ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'failed'],
        ...rows.map((row: LoadResult) => [
          row.label,
          row.requestsPerSecond.toFixed(0),
          row.p50Ms.toFixed(2),
          row.p99Ms.toFixed(2),
          String(row.total),
          String(row.failed),
        ]),
      ])}\n\n`,
    );
    const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(2));
    process.stdout.write(
      `gateway/direct: throughput ${ratio(viaGateway.requestsPerSecond, direct.requestsPerSecond)}, ` +
        `p50 ${ratio(viaGateway.p50Ms, direct.p50Ms)}, p99 ${ratio(viaGateway.p99Ms, direct.p99Ms)}\n` +
        `gateway/nginx:  throughput ${ratio(viaGateway.requestsPerSecond, viaNginx.requestsPerSecond)}, ` +
        `p50 ${ratio(viaGateway.p50Ms, viaNginx.p50Ms)}, p99 ${ratio(viaGateway.p99Ms, viaNginx.p99Ms)}\n` +
        `traced/untraced: throughput ${ratio(viaTraced.requestsPerSecond, viaGateway.requestsPerSecond)}, ` +
        `p50 ${ratio(viaTraced.p50Ms, viaGateway.p50Ms)}, p99 ${ratio(viaTraced.p99Ms, viaGateway.p99Ms)} ` +
        `(${receiver.spanCount} spans received)\n`,
    );
    if (rows.some((row) => row.failed > 0)) {
      process.stdout.write('warning: some requests failed; the figures above are not comparable\n');
      process.exitCode = 1;
    }
  } finally {
    await Promise.all([nginx.stop(), gateway.process.stop(), traced.process.stop(), standIn.process.stop()]);
    await receiver.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:gateway failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
