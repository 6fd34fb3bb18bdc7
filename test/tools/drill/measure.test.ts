import {
  busiest,
  durationSeconds,
  failures,
  findAlert,
  firstNotification,
  metricValue,
  quantileMs,
  type RequestRecord,
  secondsUntilLastIncrease,
  secondsUntilShareAtMost,
  trafficSplit,
} from '../../../tools/drill/measure';
import {
  atLeast,
  atMost,
  buildReport,
  exactly,
  formatJson,
  formatText,
  observed,
} from '../../../tools/drill/report';

const T = 1_000_000;
const request = (start: number, fields: Partial<RequestRecord> = {}): RequestRecord => ({
  start: T + start,
  end: T + start + 10,
  status: 200,
  servedBy: 'a',
  idempotent: false,
  ...fields,
});

describe('measures over the request log', () => {
  it('counts failures by whether the request carried an Idempotency-Key', () => {
    const records = [
      request(0),
      request(1, { status: 502 }),
      request(2, { status: 0, idempotent: true }),
      request(3, { status: 504, idempotent: true }),
      request(4, { status: 429 }),
    ];
    expect(failures(records)).toEqual({ withKey: 2, withoutKey: 2, total: 5 });
  });

  it('splits traffic by the provider that answered, ignoring failures', () => {
    const split = trafficSplit([
      request(0),
      request(1, { servedBy: 'b' }),
      request(2),
      request(3, { status: 502, servedBy: 'gateway' }),
    ]);
    expect(split).toEqual({ a: 2 / 3, b: 1 / 3 });
    expect(busiest(split)).toBe('a');
    expect(busiest(split, 'a')).toBe('b');
    expect(busiest({})).toBeUndefined();
  });

  it('takes the nearest-rank quantile of durations', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ ...request(i), end: T + i + i + 1 }));
    expect(quantileMs(records, 0.99)).toBe(99);
    expect(quantileMs(records, 0.5)).toBe(50);
    expect(quantileMs([], 0.99)).toBeNull();
  });

  it("finds when a provider's share fell and stayed low, ignoring a relapse that recovered", () => {
    const records: RequestRecord[] = [];
    // 0–3 s all on b; 3–4 s on a; 4–5 s back on b (a relapse); from 5 s on a.
    for (let ms = 0; ms < 10_000; ms += 100) {
      const second = Math.floor(ms / 1000);
      records.push(request(ms, { servedBy: second < 3 || second === 4 ? 'b' : 'a' }));
    }
    expect(secondsUntilShareAtMost(records, 'b', 0.25, T, T + 10_000)).toBe(6);
    expect(secondsUntilShareAtMost(records, 'a', 0.25, T, T + 10_000)).toBeNull();
    // Windows with nothing served say nothing.
    expect(secondsUntilShareAtMost([request(2500, { servedBy: 'a' })], 'b', 0, T, T + 5_000)).toBe(3);
  });

  it('finds the last time a counter grew after a moment', () => {
    const samples = [
      { at: T - 100, value: 5 },
      { at: T + 100, value: 7 },
      { at: T + 300, value: 8 },
      { at: T + 500, value: 8 },
      { at: T + 2_000, value: 8 },
    ];
    expect(secondsUntilLastIncrease(samples, T)).toBe(0.3);
    expect(
      secondsUntilLastIncrease(
        [
          { at: T + 1, value: 1 },
          { at: T + 500, value: 1 },
        ],
        T,
      ),
    ).toBe(0);
  });
});

describe('reading what the processes say', () => {
  const text = [
    '# HELP gateway_rate_limit_backend Which store',
    '# TYPE gateway_rate_limit_backend gauge',
    'gateway_rate_limit_backend{backend="redis"} 1',
    'gateway_rate_limit_backend{backend="memory"} 0',
    'gateway_upstream_attempts_started_total{provider="eks-prod"} 42',
    'gateway_rate_limit_fallbacks_total 3',
    'gateway_x{a="1",b="2"} 7',
  ].join('\n');

  it('reads a sample by name and exact labels', () => {
    expect(metricValue(text, 'gateway_rate_limit_backend', { backend: 'redis' })).toBe(1);
    expect(metricValue(text, 'gateway_rate_limit_backend', { backend: 'memory' })).toBe(0);
    expect(metricValue(text, 'gateway_upstream_attempts_started_total', { provider: 'eks-prod' })).toBe(42);
    expect(metricValue(text, 'gateway_rate_limit_fallbacks_total')).toBe(3);
    expect(metricValue(text, 'gateway_x', { b: '2', a: '1' })).toBe(7);
    expect(metricValue(text, 'gateway_x', { a: '1' })).toBeUndefined();
    expect(metricValue(text, 'gateway_rate_limit_backend')).toBeUndefined();
  });

  it('finds an alert and a notification by name and labels', () => {
    const alerts = [
      { labels: { alertname: 'A', provider: 'x' }, state: 'pending' as const },
      { labels: { alertname: 'A', provider: 'y' }, state: 'firing' as const },
    ];
    expect(findAlert(alerts, 'A', { provider: 'y' })?.state).toBe('firing');
    expect(findAlert(alerts, 'B', {})).toBeUndefined();
    const notifications = [
      {
        at: 5,
        path: '/',
        payload: { alerts: [{ status: 'firing', labels: { alertname: 'A', provider: 'y' } }] },
      },
      {
        at: 20,
        path: '/',
        payload: { alerts: [{ status: 'resolved', labels: { alertname: 'A', provider: 'y' } }] },
      },
    ];
    expect(firstNotification(notifications, 'A', { provider: 'y' }, 'firing', 0)?.at).toBe(5);
    expect(firstNotification(notifications, 'A', { provider: 'y' }, 'firing', 6)).toBeUndefined();
    expect(firstNotification(notifications, 'A', { provider: 'y' }, 'resolved', 6)?.at).toBe(20);
    expect(firstNotification(notifications, 'A', { provider: 'x' }, 'resolved', 0)).toBeUndefined();
  });

  it('reads Prometheus durations and refuses anything else', () => {
    expect(durationSeconds('2m')).toBe(120);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('500ms')).toBe(0.5);
    expect(() => durationSeconds('2 minutes')).toThrow('not a duration: "2 minutes"');
    expect(() => durationSeconds('')).toThrow('not a duration');
  });
});

describe('the report and its expectations', () => {
  it('fails an expectation whose event never happened', () => {
    expect(atMost('moved', null, 5, 's').expectation?.ok).toBe(false);
    expect(atMost('moved', 5, 5, 's').expectation?.ok).toBe(true);
    expect(atMost('moved', 5.01, 5, 's').expectation?.ok).toBe(false);
    expect(atLeast('fallbacks', 0, 1).expectation?.ok).toBe(false);
    expect(exactly('failed', 1, 0).expectation?.ok).toBe(false);
    expect(exactly('failed', null, 0).expectation?.ok).toBe(false);
  });

  const fields = {
    scenario: 'redis-loss',
    startedAt: '2026-11-29T22:00:00.000Z',
    durationSeconds: 51.234,
    machine: { cores: 2, loadAverage: [1, 2, 3] },
    notes: ['a note'],
  };

  it('passes only when every expectation holds; observations do not count', () => {
    expect(
      buildReport({ ...fields, measures: [observed('p99', 900, 'ms'), exactly('failed', 0, 0)] }).ok,
    ).toBe(true);
    expect(
      buildReport({ ...fields, measures: [exactly('failed', 0, 0), atMost('moved', 7, 5, 's')] }).ok,
    ).toBe(false);
  });

  it('prints a line per measure, marking failures, and JSON for machines', () => {
    const report = buildReport({
      ...fields,
      measures: [atMost('moved', 7, 5, 's'), observed('alert', null, 's')],
    });
    const text = formatText(report);
    expect(text).toMatch(/^drill redis-loss: FAILED \(51\.23 s, 2 cores, load average 1\.0 2\.0 3\.0\)/);
    expect(text).toMatch(/^FAIL +moved +7 s +≤ 5 s$/m);
    expect(text).toMatch(/^ +alert +never$/m);
    expect(text).toMatch(/^note: a note$/m);
    const json = JSON.parse(formatJson(report));
    expect(json.ok).toBe(false);
    expect(json.measures[0]).toEqual({
      name: 'moved',
      value: 7,
      unit: 's',
      expectation: { description: '≤ 5 s', ok: false },
    });
    expect(json.measures[1]).toEqual({ name: 'alert', value: null, unit: 's' });
  });
});
