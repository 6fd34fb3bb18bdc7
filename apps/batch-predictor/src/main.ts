/**
 * The batch predictor: scores one shard of a batch prediction's input files
 * with a TF Serving model. `npm run batch-predict -- --help` documents it;
 * apps/batch-predictor/README.md describes the design.
 */
import type { Registry } from 'prom-client';
import { BatchMetrics, MetricsPusher, outcomeRegistry } from './metrics';
import { type BatchOptions, helpText, parseOptions, UsageError } from './options';
import { PredictClient } from './predict';
import { Interrupted, runShard } from './run';
import { openStore } from './storage/open';

/** Seconds between two pushes of the metrics while the shard runs. */
const PUSH_INTERVAL_MS = 15_000;

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 143 } as const;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let options: BatchOptions | undefined;
  try {
    options = parseOptions(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`batch-predict: ${error.message}\nRun with --help for the options.\n`);
    return EXIT.usage;
  }
  if (options === undefined) {
    process.stdout.write(helpText());
    return EXIT.ok;
  }
  const opts = options;
  const log = (event: string, fields: Record<string, unknown>) =>
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), job: opts.jobName, shard: opts.shard, event, ...fields })}\n`,
    );

  let input: Awaited<ReturnType<typeof openStore>>;
  let output: Awaited<ReturnType<typeof openStore>>;
  try {
    input = await openStore(opts.input, '--input');
    output = await openStore(opts.output, '--output');
  } catch (error) {
    process.stderr.write(`batch-predict: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  if (output.location.startsWith(input.location) || input.location.startsWith(output.location)) {
    process.stderr.write(
      `batch-predict: --input (${input.location}) and --output (${output.location}) must not contain each other\n`,
    );
    return EXIT.usage;
  }

  const metrics = new BatchMetrics();
  const pusher = opts.pushgatewayUrl
    ? new MetricsPusher(opts.pushgatewayUrl, { jobName: opts.jobName, shard: String(opts.shard) })
    : undefined;
  const push = async (...registries: Registry[]) => {
    try {
      for (const registry of registries) await pusher?.push(registry);
    } catch (error) {
      log('warning', {
        message: `could not push metrics to ${opts.pushgatewayUrl}: ${(error as Error).message}`,
      });
    }
  };
  const stopping = new AbortController();
  const onSigterm = () => {
    log('stopping', { reason: 'SIGTERM: abandoning requests in flight, saving the checkpoint' });
    stopping.abort();
  };
  process.on('SIGTERM', onSigterm);
  process.on('SIGINT', onSigterm);
  metrics.running.set(1);
  const timer = pusher ? setInterval(() => void push(metrics.registry), PUSH_INTERVAL_MS) : undefined;
  let completed = false;
  try {
    const result = await runShard(opts, {
      input,
      output,
      client: new PredictClient(opts, metrics),
      metrics,
      log,
      signal: stopping.signal,
    });
    completed = true;
    log('done', { ...result });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof Interrupted) {
      log('interrupted', { message: error.message });
      return EXIT.interrupted;
    }
    log('failed', { message: (error as Error).message });
    process.stderr.write(`batch-predict: ${(error as Error).message}\n`);
    return EXIT.failed;
  } finally {
    if (timer) clearInterval(timer);
    metrics.running.set(0);
    await push(metrics.registry, outcomeRegistry(completed));
    process.off('SIGTERM', onSigterm);
    process.off('SIGINT', onSigterm);
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`batch-predict: ${error.stack ?? error.message}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
