import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { elasticsearchCronGapSeconds, humanDuration, longestGapSeconds } from '../../../tools/backup/cron';
import { recoveryPointLines, recoveryPoints } from '../../../tools/backup/recovery-points';
import { DIST_DIR } from '../../../tools/tree/layout';

describe('the longest gap of a cron schedule', () => {
  it.each([
    ['*/15 * * * *', 15 * 60],
    ['0 */6 * * *', 6 * 3600],
    ['30 1 * * *', 24 * 3600],
    ['0 2,20 * * *', 18 * 3600],
    ['0 3 * * 1-5', 3 * 24 * 3600],
  ])('%s: %i s', (cron, seconds) => {
    expect(longestGapSeconds(cron)).toBe(seconds);
  });

  it('names what it cannot read', () => {
    expect(() => longestGapSeconds('0 3 1 * *', 'Schedule x')).toThrow(
      /Schedule x: "0 3 1 \* \*": only schedules with day of month/,
    );
    expect(() => longestGapSeconds('61 * * * *')).toThrow(/out of range 0-59/);
    expect(() => longestGapSeconds('* *')).toThrow(/five fields/);
  });

  it.each([
    ['0 0 */6 * * ?', 6 * 3600],
    ['0 30 1 * * ?', 24 * 3600],
    ['30 0 0,12 ? * *', 12 * 3600],
    ['0 */15 * * * ? *', 15 * 60],
  ])('Elasticsearch cron %s: %i s', (cron, seconds) => {
    expect(elasticsearchCronGapSeconds(cron)).toBe(seconds);
  });

  it('names the Elasticsearch schedules it cannot read', () => {
    expect(() => elasticsearchCronGapSeconds('0 0 1 * *', 'SLM x')).toThrow(
      /SLM x: "0 0 1 \* \*" must have six or seven fields/,
    );
    expect(() => elasticsearchCronGapSeconds('0 0 1 ? * MON')).toThrow(/only daily schedules are read/);
    expect(() => elasticsearchCronGapSeconds('*/10 0 1 * * ?')).toThrow(/one second of the minute/);
  });

  it('reads as a person says it', () => {
    expect(humanDuration(900)).toBe('15 min');
    expect(humanDuration(93600)).toBe('1 day 2 h');
  });
});

describe('recovery points from the rendered tree', () => {
  const points = recoveryPoints();
  const byKind = Object.fromEntries(points.map((p) => [p.kind, p]));

  it('covers every kind of data', () => {
    expect(points.map((p) => p.kind)).toEqual([
      'Git',
      'models',
      'database',
      'logs',
      'volumes',
      'cluster objects',
    ]);
  });

  it("takes the cluster objects' from the rendered Velero Schedules, and the models' from model-sync's schedule", () => {
    const schedule = readFileSync(join(DIST_DIR, 'eks-prod/backup/Schedule.velero.cluster.yaml'), 'utf8');
    const cron = /schedule: "?([^"\n]+)"?/.exec(schedule)?.[1] as string;
    expect(byKind['cluster objects'].seconds).toBe(longestGapSeconds(cron));
    const sync = readFileSync(
      join(DIST_DIR, 'gke-prod/data-sync/CronJob.ml-serving.model-sync.yaml'),
      'utf8',
    );
    expect(byKind.models.seconds).toBe(
      longestGapSeconds(/schedule: "?([^"\n]+)"?/.exec(sync)?.[1] as string),
    );
  });

  it("takes the volumes' from the rendered Schedule that moves their data, naming what its volume policy skips", () => {
    const schedule = readFileSync(
      join(DIST_DIR, 'eks-prod/backup/Schedule.velero.stateful-namespaces.yaml'),
      'utf8',
    );
    const cron = /schedule: "?([^"\n]+)"?/.exec(schedule)?.[1] as string;
    expect(byKind.volumes.seconds).toBe(longestGapSeconds(cron));
    expect(byKind.volumes.basis).toContain(
      'skipping claims labelled common.k8s.elastic.co/type=elasticsearch',
    );
  });

  it('says which cluster backs up no volume data, and names a volume policy that is not rendered', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rpo-'));
    try {
      cpSync(DIST_DIR, copy, { recursive: true });
      const file = join(copy, 'gke-prod/backup/Schedule.velero.stateful-namespaces.yaml');
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, original.replace('snapshotMoveData: true', 'snapshotMoveData: false'));
      const volumes = recoveryPoints(copy).find((p) => p.kind === 'volumes');
      expect(volumes?.seconds).toBeUndefined();
      expect(volumes?.basis).toMatch(/^not backed up in gke-prod: /);
      writeFileSync(file, original);
      rmSync(join(copy, 'gke-prod/backup/ConfigMap.velero.volume-policy.yaml'));
      expect(() => recoveryPoints(copy)).toThrow(
        'gke-prod: the backup names resource policies configmap volume-policy, but dist/gke-prod/backup/ConfigMap.velero.volume-policy.yaml is not rendered',
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("takes the logs' from the SLM schedule the setup ConfigMap of each cluster renders", () => {
    for (const cluster of ['eks-prod', 'gke-prod', 'aks-prod']) {
      const map = load(
        readFileSync(join(DIST_DIR, cluster, 'logging/ConfigMap.logging.elasticsearch-setup.yaml'), 'utf8'),
      ) as { data: Record<string, string> };
      const policy = JSON.parse(map.data['slm-policy.json']);
      expect(byKind.logs.seconds).toBe(elasticsearchCronGapSeconds(policy.schedule));
      expect(byKind.logs.basis).toContain(policy.schedule);
    }
  });

  it('follows the rendered SLM policy: a slower one in one cluster is the worst case, a missing one is no backup', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rpo-'));
    try {
      cpSync(DIST_DIR, copy, { recursive: true });
      const file = join(copy, 'gke-prod/logging/ConfigMap.logging.elasticsearch-setup.yaml');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace(/"schedule": "[^"]*"/, '"schedule": "0 30 1 * * ?"'));
      expect(recoveryPoints(copy).find((p) => p.kind === 'logs')?.seconds).toBe(24 * 3600);
      writeFileSync(file, text.replace('slm-policy.json', 'other.json'));
      const logs = recoveryPoints(copy).find((p) => p.kind === 'logs');
      expect(logs?.seconds).toBeUndefined();
      expect(logs?.basis).toContain('no Elasticsearch snapshot policy is rendered for gke-prod');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('follows the rendered tree: a slower Schedule in one cluster is the worst case', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rpo-'));
    try {
      cpSync(DIST_DIR, copy, { recursive: true });
      const file = join(copy, 'aks-prod/backup/Schedule.velero.cluster.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/schedule: .*/, 'schedule: 30 1 * * 0'));
      expect(recoveryPoints(copy).find((p) => p.kind === 'cluster objects')?.seconds).toBe(7 * 24 * 3600);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('is the table docs/operations.md states (cells compared: the formatter aligns the columns)', () => {
    const docs = readFileSync(join(__dirname, '../../../docs/operations.md'), 'utf8');
    const cells = (line: string) =>
      line
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
    const rows = (lines: string[]) => lines.map(cells);
    const expected = rows(recoveryPointLines(points)).slice(2);
    const start = docs.split('\n').findIndex((l) => l.startsWith('| Data '));
    expect(start).toBeGreaterThan(0);
    expect(rows(docs.split('\n').slice(start + 2, start + 2 + expected.length))).toEqual(expected);
  });
});
