import { Counter, Gauge, Histogram, Pushgateway, Registry } from 'prom-client';

/**
 * What the batch predictor reports. A Job's pods are too short-lived to be
 * scraped reliably, so the metrics are pushed to the Pushgateway (as the
 * model replication Jobs do), grouped by job and shard.
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
    help: 'Predict request attempts, by outcome (success, retryable, failed)',
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
  readonly lastSuccess = new Gauge({
    name: METRIC_NAMES.lastSuccess,
    help: 'When this shard last completed',
    registers: [this.registry],
  });
  readonly running = new Gauge({
    name: METRIC_NAMES.running,
    help: '1 while the shard runs, 0 once it completed or failed',
    registers: [this.registry],
  });
}

/** Pushes the registry to a Pushgateway; `push` replaces the group's series (job, shard). */
export class MetricsPusher {
  private readonly gateway: Pushgateway<'text/plain; version=0.0.4; charset=utf-8'>;

  constructor(
    url: string,
    metrics: BatchMetrics,
    private readonly group: { jobName: string; shard: string },
  ) {
    this.gateway = new Pushgateway(url, { timeout: 5_000 }, metrics.registry);
  }

  async push(): Promise<void> {
    await this.gateway.push({ jobName: this.group.jobName, groupings: { shard: this.group.shard } });
  }
}
