/**
 * The drill's scenarios. Each runs against a started box, measures, and returns its measures and
 * notes; expectations that fail make the drill exit 1:
 * - traffic moves off a failed or slowed provider within TRAFFIC_MOVE_LIMIT_S;
 * - an alert fires within its rendered `for` plus two evaluation intervals of going pending;
 * - no request carrying an Idempotency-Key fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Box } from './box';
import {
  busiest,
  durationSeconds,
  failures,
  findAlert,
  firstNotification,
  metricValue,
  type PrometheusAlert,
  quantileMs,
  type RequestRecord,
  type Sample,
  secondsUntilLastIncrease,
  secondsUntilShareAtMost,
  startedBetween,
  trafficSplit,
} from './measure';
import { prometheusRuleToRulesFile, type Rule } from './prometheus-rules';
import { atLeast, atMost, exactly, type Measure, observed, round } from './report';

/** How long traffic may keep going to a failed or slowed provider. */
export const TRAFFIC_MOVE_LIMIT_S = 5;
/** The predict body of the load: one row of four features, which every stand-in model takes. */
const PREDICT_BODY = JSON.stringify({ instances: [[5.1, 3.5, 1.4, 0.2]] });
const LOAD_RATE_PER_SECOND = 40;

export interface ScenarioResult {
  readonly measures: Measure[];
  readonly notes: string[];
}

export interface ScenarioContext {
  readonly box: Box;
  /** The clusters in fleet order. */
  readonly clusters: readonly string[];
  readonly evaluationIntervalS: number;
  /** The cluster to fail (cut, slow); chosen by the scenario when absent. */
  readonly target?: string;
  readonly log: (line: string) => void;
}

export type Scenario = (context: ScenarioContext) => Promise<ScenarioResult>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The load of a scenario: requests from an entry cluster's namespace to its gateway. */
class Load {
  readonly records: RequestRecord[] = [];
  private readonly listener = (r: RequestRecord) => this.records.push(r);

  constructor(
    private readonly box: Box,
    readonly entry: string,
  ) {}

  async start(): Promise<void> {
    const agent = this.box.agent(this.entry);
    agent.on('request', this.listener);
    const models = this.box.options.clusters.find((c) => c.spec.name === this.entry)?.rendered.models ?? [];
    await agent.send('load', {
      url: `${this.box.gatewayUrl(this.entry)}/v1/models/${models[0]}:predict`,
      ratePerSecond: LOAD_RATE_PER_SECOND,
      keys: this.box.options.apiKeys,
      body: PREDICT_BODY,
    });
  }

  async stop(): Promise<void> {
    const agent = this.box.agent(this.entry);
    await agent.send('stop-load');
    agent.off('request', this.listener);
  }

  between(from: number, to: number): RequestRecord[] {
    return startedBetween(this.records, from, to);
  }
}

/** Polls something every `intervalMs` until stopped, keeping what it returns with the time. */
function poll<T>(
  intervalMs: number,
  read: () => Promise<T>,
): { samples: Array<{ at: number; value: T }>; stop: () => void } {
  const samples: Array<{ at: number; value: T }> = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const at = Date.now();
      try {
        samples.push({ at, value: await read() });
      } catch {
        // a sample missed (a busy process); the next one counts
      }
      await sleep(Math.max(0, intervalMs - (Date.now() - at)));
    }
  };
  void loop();
  return {
    samples,
    stop: () => {
      stopped = true;
    },
  };
}

/** The rendered alert rule named `alert` in a cluster's PrometheusRules. */
function renderedAlert(box: Box, cluster: string, alert: string): Rule {
  const rendered = box.options.clusters.find((c) => c.spec.name === cluster)?.rendered;
  for (const rule of rendered?.prometheusRules ?? []) {
    for (const group of prometheusRuleToRulesFile(rule.object, rule.file).groups) {
      const found = group.rules.find((r) => r.alert === alert);
      if (found) return found;
    }
  }
  throw new Error(`${cluster}: no alert rule ${alert} in dist/${cluster}/**/PrometheusRule*`);
}

/** The route Alertmanager's own configuration gives an alert (amtool config routes test). */
function expectedReceiver(box: Box, labels: Record<string, string>): string {
  const result = spawnSync(
    'amtool',
    [
      'config',
      'routes',
      'test',
      `--config.file=${join(box.work, 'alertmanager', 'alertmanager.yml')}`,
      ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    ],
    { encoding: 'utf8' },
  );
  return result.stdout.trim();
}

async function prometheusAlerts(box: Box, cluster: string): Promise<PrometheusAlert[]> {
  const answer = await box.monitoring.json<{ data: { alerts: PrometheusAlert[] } }>(
    `${box.prometheusUrl(cluster)}/api/v1/alerts`,
  );
  return answer.data.alerts;
}

/**
 * Waits for an alert to go pending then firing in a cluster's Prometheus and be delivered, and
 * measures it against its rendered `for`.
 */
async function alertMeasures(
  context: ScenarioContext,
  options: {
    observer: string;
    alert: string;
    labels: Record<string, string>;
    since: number;
    label: string;
    extraWaitS: number;
  },
): Promise<{ measures: Measure[]; firedAt: number | null }> {
  const { box, evaluationIntervalS } = context;
  const rule = renderedAlert(box, options.observer, options.alert);
  const forS = rule.for ? durationSeconds(rule.for) : 0;
  const limitS = forS + 2 * evaluationIntervalS;
  const labels = { ...options.labels, alertname: options.alert, cluster: options.observer, ...rule.labels };
  const receiver = expectedReceiver(box, labels);
  const route = box.options.clusters.find((c) => c.spec.name === options.observer)?.rendered.routeTimings;
  const groupWaitS = route?.groupWait ? durationSeconds(route.groupWait) : 30;
  context.log(
    `waiting for ${options.alert} ${JSON.stringify(options.labels)} in ${options.observer}'s Prometheus (for: ${rule.for ?? '0s'})`,
  );
  let pendingAt: number | null = null;
  let firedAt: number | null = null;
  const deadline = Date.now() + (options.extraWaitS + limitS + 5) * 1000;
  while (Date.now() < deadline && firedAt === null) {
    const alert = findAlert(
      await prometheusAlerts(box, options.observer).catch(() => []),
      options.alert,
      options.labels,
    );
    if (alert?.activeAt && pendingAt === null) pendingAt = Date.parse(alert.activeAt);
    if (alert?.state === 'firing') firedAt = Date.now();
    await sleep(500);
  }
  let deliveredAt: number | null = null;
  let deliveredTo: string | null = null;
  if (firedAt !== null) {
    const waitUntil = firedAt + (groupWaitS + 15) * 1000;
    while (Date.now() < waitUntil && deliveredAt === null) {
      const n = firstNotification(box.notifications, options.alert, options.labels, 'firing', options.since);
      if (n) {
        deliveredAt = n.at;
        deliveredTo = n.payload.receiver ?? null;
      }
      await sleep(250);
    }
  }
  const s = (t: number | null) => (t === null ? null : (t - options.since) / 1000);
  return {
    firedAt,
    measures: [
      observed(`${options.alert} pending after ${options.label}`, s(pendingAt), 's'),
      atMost(
        `${options.alert} firing after pending (for ${rule.for ?? '0s'} + 2 × ${evaluationIntervalS} s evaluation)`,
        pendingAt === null || firedAt === null ? null : (firedAt - pendingAt) / 1000,
        limitS,
        's',
      ),
      observed(`${options.alert} firing after ${options.label}`, s(firedAt), 's'),
      observed(
        `${options.alert} delivered after ${options.label} (group_wait ${route?.groupWait ?? '?'})`,
        s(deliveredAt),
        's',
      ),
      {
        name: `${options.alert} delivered to the receiver the rendered routing names`,
        value: deliveredTo,
        expectation: { description: `= ${receiver}`, ok: deliveredTo !== null && deliveredTo === receiver },
      },
    ],
  };
}

/** Warms the load up and picks the provider to fail: the given one, or the busiest seen from `entry`. */
async function warmUp(context: ScenarioContext, load: Load, seconds: number) {
  const from = Date.now();
  await sleep(seconds * 1000);
  const split = trafficSplit(load.between(from, Date.now()));
  context.log(`traffic split during warm-up: ${JSON.stringify(split)}`);
  return split;
}

/**
 * Steady load on a cluster other than the target (the first that is not it; without a target the
 * last cluster, so the one failed is a remote provider), warmed up for 10 s: the load and the
 * traffic split it saw.
 */
async function loadAwayFromTarget(context: ScenarioContext) {
  const entry = context.target
    ? entryFor(context, context.target)
    : (context.clusters[context.clusters.length - 1] as string);
  const load = new Load(context.box, entry);
  await load.start();
  const before = await warmUp(context, load, 10);
  return { entry, load, before };
}

/** The entry cluster: the first one that is not the target (its gateway gets the load). */
function entryFor(context: ScenarioContext, target?: string): string {
  const entry = context.clusters.find((c) => c !== target);
  if (!entry) throw new Error('the drill needs at least two clusters');
  return entry;
}

function attemptsStarted(box: Box, entry: string, provider: string) {
  return poll(200, async () => {
    const metrics = await box.agent(entry).http(`${box.gatewayUrl(entry)}/metrics`, { timeoutMs: 2_000 });
    return metricValue(metrics.body, 'gateway_upstream_attempts_started_total', { provider }) ?? 0;
  });
}

function splitText(split: Record<string, number>): string {
  const entries = Object.entries(split).sort();
  return entries.length === 0
    ? 'nothing served'
    : entries.map(([p, s]) => `${p} ${Math.round(s * 100)} %`).join(', ');
}

export const cloudOutage: Scenario = async (context) => {
  const { box } = context;
  const { entry, load, before } = await loadAwayFromTarget(context);
  const target = context.target ?? busiest(before, entry) ?? entryFor(context, entry);
  const notes = [
    `load: ${LOAD_RATE_PER_SECOND} requests/s to ${entry}'s gateway, every second one with an Idempotency-Key`,
  ];
  notes.push(
    `cut: ${target}'s link to the WAN (its gateway, stand-in and Pushgateway are unreachable from everywhere else)`,
  );
  const attempts = attemptsStarted(box, entry, target);
  await sleep(1_000);
  const cutAt = Date.now();
  box.cut(target);
  context.log(`cut ${target} at ${new Date(cutAt).toISOString()}`);
  const fired = await alertMeasures(context, {
    observer: entry,
    alert: 'CloudProviderUnreachable',
    labels: { provider: target },
    since: cutAt,
    label: 'the cut',
    // The gateway marks a provider unhealthy after its failed health checks (≈ 3 × 5 s plus timeouts).
    extraWaitS: 40,
  });
  const restoredAt = Date.now();
  attempts.stop();
  const outage = load.between(cutAt, restoredAt);
  const failed = failures(outage);
  const moved = secondsUntilLastIncrease(attempts.samples as Sample[], cutAt);
  box.restore(target);
  context.log(`restored ${target} at ${new Date(restoredAt).toISOString()}`);
  // Back: the first request it serves again, and the alert resolving in Prometheus and by notification.
  const backAt = await box
    .waitFor(
      `traffic back on ${target}`,
      120_000,
      async () => load.records.find((r) => r.start >= restoredAt && r.servedBy === target)?.start,
    )
    .catch(() => null);
  const resolvedInPrometheus = await box
    .waitFor('the alert to resolve in Prometheus', 120_000, async () => {
      const alert = findAlert(await prometheusAlerts(box, entry), 'CloudProviderUnreachable', {
        provider: target,
      });
      return alert === undefined ? Date.now() : undefined;
    })
    .catch(() => null);
  const route = box.options.clusters.find((c) => c.spec.name === entry)?.rendered.routeTimings;
  const groupIntervalS = route?.groupInterval ? durationSeconds(route.groupInterval) : 300;
  const resolvedNotification =
    fired.firedAt === null
      ? null
      : await box
          .waitFor(
            'the resolved notification',
            (groupIntervalS + 30) * 1000,
            async () =>
              firstNotification(
                box.notifications,
                'CloudProviderUnreachable',
                { provider: target },
                'resolved',
                restoredAt,
              )?.at,
            500,
          )
          .catch(() => null);
  await load.stop();
  const after = trafficSplit(load.between(restoredAt, Date.now()));
  const since = (t: number | null) => (t === null ? null : (t - restoredAt) / 1000);
  return {
    measures: [
      observed('traffic split before the cut', splitText(before)),
      observed('requests during the outage', failed.total),
      atMost(`seconds until no request goes to ${target}`, moved, TRAFFIC_MOVE_LIMIT_S, 's'),
      observed('failed requests without Idempotency-Key', failed.withoutKey),
      exactly('failed requests with Idempotency-Key', failed.withKey, 0),
      observed('p99 latency during the outage', quantileMs(outage, 0.99), 'ms'),
      ...fired.measures,
      observed(`traffic back on ${target} after the restore`, since(backAt), 's'),
      observed(
        'CloudProviderUnreachable resolved in Prometheus after the restore',
        since(resolvedInPrometheus),
        's',
      ),
      observed(
        `resolved notification delivered after the restore (group_interval ${route?.groupInterval ?? '?'})`,
        since(resolvedNotification),
        's',
      ),
      observed('traffic split after the restore', splitText(after)),
    ],
    notes,
  };
};

export const slowCloud: Scenario = async (context) => {
  const { box } = context;
  const { entry, load, before } = await loadAwayFromTarget(context);
  const target = context.target ?? busiest(before) ?? entry;
  const beforeRecords = load.records.slice(-LOAD_RATE_PER_SECOND * 8);
  const addedMs = 300;
  const faults = await box
    .agent(target)
    .json<{ latencyMs: number }>(`${box.modelServerUrl(target)}/-/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: addedMs }),
    });
  const slowAt = Date.now();
  context.log(`${target}'s stand-in now answers after ${faults.latencyMs} ms`);
  await sleep(20_000);
  const slowEnd = Date.now();
  const during = load.between(slowAt, slowEnd);
  const settled = load.between(slowEnd - 10_000, slowEnd);
  const beforeShare = before[target] ?? 0;
  const moved = secondsUntilShareAtMost(load.records, target, beforeShare / 2, slowAt, slowEnd);
  const failed = failures(during);
  await load.stop();
  return {
    measures: [
      observed('traffic split before', splitText(before)),
      observed('p99 latency before', quantileMs(beforeRecords, 0.99), 'ms'),
      atMost(
        `seconds until ${target}'s share is at most half of its ${round(beforeShare * 100)} %`,
        moved,
        TRAFFIC_MOVE_LIMIT_S,
        's',
      ),
      observed('traffic split while slow (last 10 s)', splitText(trafficSplit(settled))),
      observed(
        'p99 latency, first 5 s of the slowness',
        quantileMs(load.between(slowAt, slowAt + 5_000), 0.99),
        'ms',
      ),
      observed('p99 latency while slow (last 10 s)', quantileMs(settled, 0.99), 'ms'),
      observed('failed requests without Idempotency-Key', failed.withoutKey),
      exactly('failed requests with Idempotency-Key', failed.withKey, 0),
    ],
    notes: [
      `load: ${LOAD_RATE_PER_SECOND} requests/s to ${entry}'s gateway`,
      `slowed: ${target}'s stand-in, ${addedMs} ms per answer instead of its cloud's latency`,
    ],
  };
};

export const redisLoss: Scenario = async (context) => {
  const { box } = context;
  const entry = context.clusters[0];
  const load = new Load(box, entry);
  await load.start();
  await warmUp(context, load, 5);
  const metrics = async () => (await box.agent(entry).http(`${box.gatewayUrl(entry)}/metrics`)).body;
  const backend = (text: string, name: string) =>
    metricValue(text, 'gateway_rate_limit_backend', { backend: name });
  const start = await metrics();
  const onRedisBefore = backend(start, 'redis');
  const fallbacksBefore = metricValue(start, 'gateway_rate_limit_fallbacks_total') ?? 0;
  const stoppedAt = Date.now();
  box.stopRedis();
  context.log(`stopped Redis at ${new Date(stoppedAt).toISOString()}`);
  const fellBack = await box
    .waitFor(
      'the rate limit to fall back to memory',
      30_000,
      async () => backend(await metrics(), 'memory') === 1 && Date.now(),
      100,
    )
    .catch(() => null);
  await sleep(10_000);
  const down = await metrics();
  const restartedAt = Date.now();
  box.restartRedis();
  const backOn = await box
    .waitFor(
      'the rate limit to use Redis again',
      60_000,
      async () => backend(await metrics(), 'redis') === 1 && Date.now(),
      100,
    )
    .catch(() => null);
  await sleep(3_000);
  await load.stop();
  const outage = load.between(stoppedAt, restartedAt);
  const failed = failures(outage);
  const rateLimited = outage.filter((r) => r.status === 429).length;
  return {
    measures: [
      exactly('rate limit on Redis before', onRedisBefore ?? null, 1),
      atMost(
        'seconds until the rate limit decides from memory',
        fellBack === null ? null : (fellBack - stoppedAt) / 1000,
        TRAFFIC_MOVE_LIMIT_S,
        's',
      ),
      atLeast(
        'gateway_rate_limit_fallbacks_total increase while Redis was down',
        (metricValue(down, 'gateway_rate_limit_fallbacks_total') ?? 0) - fallbacksBefore,
        1,
      ),
      observed(
        'gateway_rate_limit_redis_timeouts_total',
        metricValue(down, 'gateway_rate_limit_redis_timeouts_total') ?? 0,
      ),
      observed('requests while Redis was down', failed.total),
      observed('429 answers while Redis was down', rateLimited),
      observed('failed requests without Idempotency-Key', failed.withoutKey),
      exactly('failed requests with Idempotency-Key', failed.withKey, 0),
      observed('p99 latency while Redis was down', quantileMs(outage, 0.99), 'ms'),
      observed(
        'seconds until the rate limit uses Redis again after its restart',
        backOn === null ? null : (backOn - restartedAt) / 1000,
        's',
      ),
    ],
    notes: [
      `load: ${LOAD_RATE_PER_SECOND} requests/s to ${entry}'s gateway over ${box.options.apiKeys.length} API keys (under each key's limit)`,
      'Redis was killed (SHUTDOWN NOSAVE), not paused: its counters are lost',
    ],
  };
};

/**
 * model-rollout: a new model version in the source cluster's bucket; every other cluster's
 * model-sync Job (the rendered command, run unchanged by sh in that cluster's namespace, rclone's
 * local backend standing in for the object stores) copies it and pushes its outcome to its
 * Pushgateway; then one copy is tampered with, the next run refuses to overwrite it (--immutable),
 * reports the conflict, and ModelReplicationFailed fires.
 */
export const modelRollout: Scenario = async (context) => {
  const { box } = context;
  const buckets = join(box.work, 'buckets');
  mkdirSync(buckets, { recursive: true });
  const jobs = box.options.clusters.flatMap((c) => {
    const job = c.rendered.dataSyncJobs.get('model-sync');
    return job ? [{ cluster: c.spec.name, job }] : [];
  });
  if (jobs.length === 0) throw new Error('no cluster of dist/ has a model-sync CronJob');
  // The buckets each command names: `rclone copy source:<bucket> target:<bucket> …`.
  const bucketsOf = (command: readonly string[]) => {
    const match = /rclone copy source:(\S+) target:(\S+)/.exec(command.join(' '));
    if (!match) throw new Error(`the model-sync command names no source and target: ${command.join(' ')}`);
    return { source: match[1], target: match[2] };
  };
  const sources = new Set(jobs.map((j) => bucketsOf(j.job.command).source));
  if (sources.size !== 1)
    throw new Error(`the model-sync Jobs copy from several buckets: ${[...sources].join(', ')}`);
  const [source] = sources;
  const version = `${Date.now()}`;
  const file = `fraud-detector/${version}/saved_model.pb`;
  mkdirSync(join(buckets, source, 'fraud-detector', version), { recursive: true });
  writeFileSync(join(buckets, source, file), `weights of version ${version}\n`);
  const runJob = (cluster: string, name: string) => {
    const job = box.options.clusters.find((c) => c.spec.name === cluster)?.rendered.dataSyncJobs.get(name);
    if (!job) throw new Error(`${cluster}: no ${name} CronJob in dist/`);
    // The buckets are local folders: rclone's local backend, relative to the Job's working directory.
    const env: Record<string, string> = { RCLONE_CONFIG: '/dev/null' };
    for (const [key, value] of Object.entries(job.env))
      if (!key.startsWith('RCLONE_CONFIG_')) env[key] = value;
    env.RCLONE_CONFIG_SOURCE_TYPE = 'local';
    env.RCLONE_CONFIG_TARGET_TYPE = 'local';
    const started = Date.now();
    const result = box.runJob(cluster, job.command, env, buckets);
    return { ...result, seconds: (Date.now() - started) / 1000 };
  };
  const measures: Measure[] = [];
  const publishedAt = Date.now();
  for (const { cluster, job } of jobs) {
    const run = runJob(cluster, 'model-sync');
    const copied = readOr(join(buckets, bucketsOf(job.command).target, file));
    measures.push(
      exactly(`${cluster}: model-sync exit code`, run.status, 0),
      exactly(
        `${cluster}: new version copied byte for byte`,
        copied === `weights of version ${version}\n` ? 1 : 0,
        1,
      ),
      observed(`${cluster}: model-sync run time`, run.seconds, 's'),
    );
  }
  // Prometheus scraped what every Job pushed: the outcome of a run that started after the publication.
  const thisRun = `model_sync_last_success and on () (model_sync_last_run_timestamp_seconds >= ${Math.floor(publishedAt / 1000)})`;
  for (const { cluster } of jobs) {
    const seen = await box
      .waitFor(`${cluster}'s Prometheus to scrape model_sync_last_success`, 30_000, async () => {
        const answer = await box.monitoring.json<{ data: { result: Array<{ value: [number, string] }> } }>(
          `${box.prometheusUrl(cluster)}/api/v1/query?query=${encodeURIComponent(thisRun)}`,
        );
        return answer.data.result[0] ? Number(answer.data.result[0].value[1]) : undefined;
      })
      .catch(() => null);
    measures.push(exactly(`${cluster}: model_sync_last_success in Prometheus`, seen, 1));
  }
  measures.push(
    observed('seconds from publishing to every copy scraped', (Date.now() - publishedAt) / 1000, 's'),
  );
  // Tamper with the first replica, publish nothing new, and run its Job again.
  const victim = jobs[0];
  const tampered = join(buckets, bucketsOf(victim.job.command).target, file);
  writeFileSync(tampered, 'tampered by hand\n');
  const tamperedAt = Date.now();
  const rerun = runJob(victim.cluster, 'model-sync');
  const conflict = rerun.stderr.split('\n').find((line) => line.includes('"level":"error"'));
  measures.push(
    atLeast(`${victim.cluster}: model-sync exit code after tampering`, rerun.status, 1),
    observed(`${victim.cluster}: conflict reported`, conflict ? conflictText(conflict) : null),
    exactly(
      `${victim.cluster}: tampered copy left as it was (--immutable)`,
      readOr(tampered) === 'tampered by hand\n' ? 1 : 0,
      1,
    ),
  );
  if (
    victim.job &&
    box.options.clusters
      .find((c) => c.spec.name === victim.cluster)
      ?.rendered.dataSyncJobs.has('model-sync-verify')
  ) {
    const verify = runJob(victim.cluster, 'model-sync-verify');
    measures.push(atLeast(`${victim.cluster}: model-sync-verify exit code`, verify.status, 1));
  }
  const fired = await alertMeasures(context, {
    observer: victim.cluster,
    alert: 'ModelReplicationFailed',
    labels: {},
    since: tamperedAt,
    label: 'the failed run',
    extraWaitS: 15,
  });
  measures.push(...fired.measures);
  return {
    measures,
    notes: [
      `buckets: local folders under the drill's work directory; the source is ${source}`,
      `tampered: ${victim.cluster}'s copy of ${file}`,
    ],
  };
};

/** rclone's JSON log line as "file: message" (the object is the file in conflict). */
function conflictText(line: string): string {
  try {
    const entry = JSON.parse(line) as { object?: string; msg?: string };
    return entry.object ? `${entry.object}: ${entry.msg}` : (entry.msg ?? line);
  } catch {
    return line;
  }
}

function readOr(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  'cloud-outage': cloudOutage,
  'slow-cloud': slowCloud,
  'model-rollout': modelRollout,
  'redis-loss': redisLoss,
};
