import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENVIRONMENT,
  helpText,
  OPTIONS,
  parseOptions,
  UsageError,
} from '../../../apps/batch-predictor/src/options';
import { backoffDelay } from '../../../apps/batch-predictor/src/retry';
import { LocalStore } from '../../../apps/batch-predictor/src/storage/local';
import { parseLocation } from '../../../apps/batch-predictor/src/storage/store';
import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import { PUSHGATEWAY_URL } from '../../../platform/monitoring/services';
import { renderFleet } from '../../../tools/synth/render';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);

/** The pod specs of every rendered batch prediction, with where they are. */
const batchJobs = tree.resources.flatMap((resource) => {
  const object = resource.object as Json;
  if (object.metadata?.labels?.['app.kubernetes.io/component'] !== 'batch-prediction') return [];
  const job =
    resource.kind === 'CronJob'
      ? object.spec.jobTemplate.spec
      : resource.kind === 'Job'
        ? object.spec
        : undefined;
  return job ? [{ file: resource.file, cluster: resource.cluster, job }] : [];
});

describe('the batch Jobs and the program agree', () => {
  it('renders batch Jobs to check', () => {
    expect(batchJobs.length).toBeGreaterThan(0);
  });

  it.each(batchJobs.map((j) => [j.file, j] as const))(
    '%s: the program parses its args; the env it reads is set',
    (_file, { cluster, job }) => {
      const container = job.template.spec.containers[0];
      const env = Object.fromEntries((container.env ?? []).map((e: Json) => [e.name, e.value]));
      // Kubernetes sets JOB_COMPLETION_INDEX in the pods of an Indexed Job; everything else comes from the spec.
      expect(job.completionMode).toBe('Indexed');
      const unset = ENVIRONMENT.filter((name) => name !== 'JOB_COMPLETION_INDEX' && !(name in env));
      const setByFlag = unset.filter((name) =>
        Object.entries(OPTIONS).some(
          ([flag, spec]) =>
            'env' in spec &&
            spec.env === name &&
            container.args.some((a: string) => a.startsWith(`--${flag}=`)),
        ),
      );
      expect(unset).toEqual(setByFlag);

      for (let shard = 0; shard < job.completions; shard += 1) {
        const options = parseOptions(container.args, { ...env, JOB_COMPLETION_INDEX: String(shard) });
        expect(options).toMatchObject({ shard, shards: job.completions, pushgatewayUrl: PUSHGATEWAY_URL });
        expect(() => parseLocation(options?.input ?? '', '--input')).not.toThrow();
      }
      const spec = fleet.clusters.find((c) => c.name === cluster);
      expect(spec?.batchJobs.length).toBeGreaterThan(0);
    },
  );

  it('an option the program does not know fails the parse, naming it', () => {
    expect(() =>
      parseOptions(
        ['--input=/a', '--output=/b', '--model-url=http://m/v1/models/x:predict', '--shard-count=2'],
        {},
      ),
    ).toThrow(UsageError);
    expect(() => parseOptions(['--output=/b', '--model-url=http://m/v1/models/x:predict'], {})).toThrow(
      '--input is required',
    );
  });
});

describe('options', () => {
  it('--help documents every option, its default and its environment variable, and the exit codes', () => {
    const help = helpText();
    for (const [name, spec] of Object.entries(OPTIONS)) {
      expect(help).toContain(`--${name}=${spec.value}`);
      if ('default' in spec) expect(help).toContain(`default ${spec.default}`);
      if ('env' in spec) expect(help).toContain(`env ${spec.env}`);
    }
    expect(help).toMatch(/exit codes: 0 .*; 1 .*; 2 .*; 143 /s);
    expect(parseOptions(['--help'], {})).toBeUndefined();
  });

  it('the shard comes from --shard, else JOB_COMPLETION_INDEX, else 0', () => {
    const base = ['--input=/a', '--output=/b', '--model-url=http://m:8501/v1/models/x:predict', '--shards=4'];
    expect(parseOptions(base, {})?.shard).toBe(0);
    expect(parseOptions(base, { JOB_COMPLETION_INDEX: '3' })?.shard).toBe(3);
    expect(parseOptions([...base, '--shard=1'], { JOB_COMPLETION_INDEX: '3' })?.shard).toBe(1);
    expect(() => parseOptions(base, { JOB_COMPLETION_INDEX: '4' })).toThrow(
      '--shard: 4 must be below --shards (4)',
    );
  });
});

describe('storage locations', () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    '%s: the data-lake URIs its profile renders name the right adapter and place',
    (_name, cluster) => {
      const uri = profileFor(cluster).objectUri('data-lake', 'batch/x/input');
      const location = parseLocation(uri, '--input');
      const expected = { aws: 's3', gcp: 'gcs', azure: 'azure-blob' }[cluster.cloud];
      expect(location.kind).toBe(expected);
      expect(location).toMatchObject({ prefix: 'batch/x/input/' });
    },
  );

  it('reads each form, and names what is wrong with a bad one', () => {
    expect(parseLocation('abfss://data-lake@mlpacct01.dfs.core.windows.net/a/b', '--output')).toEqual({
      kind: 'azure-blob',
      account: 'mlpacct01',
      container: 'data-lake',
      prefix: 'a/b/',
    });
    expect(parseLocation('file:///tmp/x', '--input')).toEqual({ kind: 'local', directory: '/tmp/x' });
    expect(() => parseLocation('abfss://mlpacct01.dfs.core.windows.net/a', '--input')).toThrow(
      '--input: "abfss://mlpacct01.dfs.core.windows.net/a" must be abfss://<container>@<account>.dfs.core.windows.net/<path>',
    );
    expect(() => parseLocation('s3:///a', '--input')).toThrow('names no bucket');
  });
});

describe('the local store', () => {
  it('writes whole objects; create-if-absent never replaces one; keys cannot leave the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-store-'));
    try {
      const store = new LocalStore(dir);
      expect(await store.write('a/b.txt', Buffer.from('one'), { ifAbsent: true })).toBe(true);
      expect(await store.write('a/b.txt', Buffer.from('two'), { ifAbsent: true })).toBe(false);
      expect(readFileSync(join(dir, 'a', 'b.txt'), 'utf8')).toBe('one');
      expect(await store.write('a/b.txt', Buffer.from('three'))).toBe(true);
      expect((await store.read('a/b.txt'))?.toString()).toBe('three');
      expect((await store.list('')).map((o) => o.key)).toEqual(['a/b.txt']);
      expect(await store.read('missing')).toBeUndefined();
      await expect(store.read('../outside')).rejects.toThrow('leaves the directory');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('backoff', () => {
  it('doubles its ceiling per attempt up to the maximum, with full jitter', () => {
    expect([1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, 100, 1000, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(3, 100, 1000, () => 0)).toBe(0);
  });
});
