import { Counter, Gauge, Histogram, Pushgateway, Registry } from 'prom-client';

/**
 * What the batch predictor reports. A Job's pods are too short-lived to be
 * scraped reliably, so the metrics are pushed to the Pushgateway (as the
 * model replication Jobs do), grouped by job and shard. The alert rules read
 * these names (platform/monitoring/rules.ts).
 */
export const METRIC_NAMES = {
  records: 'batch_predictor_records_total',
  requests: 'batch_predictor_requests_total',
  retries: 'batch_predictor_retries_total',
  requestDuration: 'batch_predictor_request_duration_seconds',
  files: 'batch_predictor_files_total',
  shardFiles: 'batch_predictor_shard_files',
  lastSuccess: 'batch_predictor_last_success_timestamp_seconds',
  running: 'batch_predictor_running',
  lastRunSuccess: 'batch_predictor_last_run_success',
} as const;

export class BatchMetrics {
  readonly registry = new Registry();
  /** Records scored (`outcome="predicted"`) or skipped as already done by an earlier run (`"resumed"`). */
  readonly records = new Counter({
    name: METRIC_NAMES.records,
    help: 'Input records of this shard, by outcome (predicted, resumed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: METRIC_NAMES.requests,
    help: 'Predict request attempts, by outcome (success; retryable: sent again; failed: given up)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: METRIC_NAMES.retries,
    help: 'Predict requests sent again after a retryable failure',
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: METRIC_NAMES.requestDuration,
    help: 'Duration of predict request attempts',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly files = new Counter({
    name: METRIC_NAMES.files,
    help: 'Input files of this shard finished, by outcome (written, already-done)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly shardFiles = new Gauge({
    name: METRIC_NAMES.shardFiles,
    help: 'Input files assigned to this shard',
    registers: [this.registry],
  });
  readonly running = new Gauge({
    name: METRIC_NAMES.running,
    help: '1 while the shard runs, 0 once it completed or failed',
    registers: [this.registry],
  });
}

/**
 * The outcome of a run, pushed once at its end: whether it completed, and
 * when it last did. Kept apart from the progress registry, so the pushes while
 * a run goes on leave the previous run's outcome in place, and a failed run
 * leaves the last success time to age.
 */
export function outcomeRegistry(completed: boolean, now = Date.now()): Registry {
  const registry = new Registry();
  new Gauge({
    name: METRIC_NAMES.lastRunSuccess,
    help: '1 when the last run of this shard completed, 0 when it failed or was stopped',
    registers: [registry],
  }).set(completed ? 1 : 0);
  if (completed) {
    new Gauge({
      name: METRIC_NAMES.lastSuccess,
      help: 'When a run of this shard last completed',
      registers: [registry],
    }).set(now / 1000);
  }
  return registry;
}

/**
 * Pushes to a Pushgateway with POST (`pushAdd`): the series pushed replace
 * those of the same names in the group (job, shard) and leave the others.
 */
export class MetricsPusher {
  constructor(
    private readonly url: string,
    private readonly group: { jobName: string; shard: string },
  ) {}

  async push(registry: Registry): Promise<void> {
    const gateway = new Pushgateway(this.url, { timeout: 5_000 }, registry);
    await gateway.pushAdd({ jobName: this.group.jobName, groupings: { shard: this.group.shard } });
  }
}
