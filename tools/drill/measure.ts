/**
 * Pure measurement over what the drill recorded: the load's request log, metric samples,
 * Prometheus' alerts and the recorder's notifications. No I/O, so every rule is unit-tested.
 */

/** One request of the load, as the agent reports it (epoch milliseconds). */
export interface RequestRecord {
  readonly start: number;
  readonly end: number;
  /** 0 when no HTTP answer arrived (connection error, client timeout). */
  readonly status: number;
  readonly servedBy?: string;
  readonly idempotent: boolean;
}

/** Requests that started in [from, to). */
export function startedBetween(records: readonly RequestRecord[], from: number, to: number): RequestRecord[] {
  return records.filter((r) => r.start >= from && r.start < to);
}

/** Failed requests: anything but 200, split by whether they carried an Idempotency-Key. */
export function failures(records: readonly RequestRecord[]): {
  withKey: number;
  withoutKey: number;
  total: number;
} {
  const failed = records.filter((r) => r.status !== 200);
  const withKey = failed.filter((r) => r.idempotent).length;
  return { withKey, withoutKey: failed.length - withKey, total: records.length };
}

/** The share of answered requests each provider served (0..1), by `x-served-by`. */
export function trafficSplit(records: readonly RequestRecord[]): Record<string, number> {
  const served = records.filter((r) => r.status === 200 && r.servedBy);
  const counts: Record<string, number> = {};
  for (const r of served) counts[r.servedBy as string] = (counts[r.servedBy as string] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).map(([p, n]) => [p, n / served.length]));
}

/** The provider with the largest share, or undefined when nothing was served. */
export function busiest(split: Readonly<Record<string, number>>, except?: string): string | undefined {
  return Object.entries(split)
    .filter(([p]) => p !== except)
    .sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The q-quantile (0..1) of the requests' durations in ms, nearest rank; null when there are none. */
export function quantileMs(records: readonly RequestRecord[], q: number): number | null {
  if (records.length === 0) return null;
  const sorted = records.map((r) => r.end - r.start).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Seconds after `from` until `provider`'s share of the served requests, in consecutive windows
 * of `windowMs`, fell to `threshold` or below and stayed there for every later window up to `to`;
 * null when it never did. Windows without any served request say nothing and are skipped.
 */
export function secondsUntilShareAtMost(
  records: readonly RequestRecord[],
  provider: string,
  threshold: number,
  from: number,
  to: number,
  windowMs = 1_000,
): number | null {
  let settled: number | null = null;
  for (let start = from; start < to; start += windowMs) {
    const served = startedBetween(records, start, Math.min(start + windowMs, to)).filter(
      (r) => r.status === 200,
    );
    if (served.length === 0) continue;
    const share = served.filter((r) => r.servedBy === provider).length / served.length;
    if (share <= threshold) settled ??= start + windowMs;
    else settled = null;
  }
  return settled === null ? null : (settled - from) / 1000;
}

/** A sample of a counter at a time. */
export interface Sample {
  readonly at: number;
  readonly value: number;
}

/**
 * Seconds from `from` to the last sample at which the counter grew (the last time something was
 * sent there), or 0 when it never grew after `from`. The samples must reach past `from` far
 * enough that "no growth since" means something; the caller says how far.
 */
export function secondsUntilLastIncrease(samples: readonly Sample[], from: number): number {
  let last = from;
  for (let i = 1; i < samples.length; i += 1) {
    if (samples[i].at > from && samples[i].value > samples[i - 1].value) last = samples[i].at;
  }
  return (last - from) / 1000;
}

/** Reads one sample from Prometheus' text format, by name and exact label set; undefined when absent. */
export function metricValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_][a-zA-Z0-9_]*=")/)
      .filter(Boolean)
      .sort()
      .join(',');
    if (have === wanted) return Number(match[3]);
  }
  return undefined;
}

/** An alert as Prometheus' /api/v1/alerts lists it. */
export interface PrometheusAlert {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly activeAt?: string;
}

/** The alert named `alertname` whose labels include `labels`, if Prometheus lists it. */
export function findAlert(
  alerts: readonly PrometheusAlert[],
  alertname: string,
  labels: Readonly<Record<string, string>>,
): PrometheusAlert | undefined {
  return alerts.find(
    (a) => a.labels.alertname === alertname && Object.entries(labels).every(([k, v]) => a.labels[k] === v),
  );
}

/** A notification the recorder received from Alertmanager. */
export interface RecordedNotification {
  readonly at: number;
  readonly path: string;
  readonly payload: {
    readonly status?: string;
    readonly receiver?: string;
    readonly alerts?: ReadonlyArray<{ readonly status: string; readonly labels: Record<string, string> }>;
  };
}

/** The first notification at or after `from` carrying the alert in `status` (firing or resolved). */
export function firstNotification(
  notifications: readonly RecordedNotification[],
  alertname: string,
  labels: Readonly<Record<string, string>>,
  status: 'firing' | 'resolved',
  from: number,
): RecordedNotification | undefined {
  return notifications.find(
    (n) =>
      n.at >= from &&
      (n.payload.alerts ?? []).some(
        (a) =>
          a.status === status &&
          a.labels.alertname === alertname &&
          Object.entries(labels).every(([k, v]) => a.labels[k] === v),
      ),
  );
}

/** A Prometheus/Go duration (`2m`, `1h30m`, `90s`, `500ms`) in seconds. */
export function durationSeconds(text: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new Error(`not a duration: ${JSON.stringify(text)}`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
}
