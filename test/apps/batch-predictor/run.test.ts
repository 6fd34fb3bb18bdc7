import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC_NAMES } from '../../../apps/batch-predictor/src/metrics';
import { checkpointKey } from '../../../apps/batch-predictor/src/run';
import {
  freePort,
  ManagedProcess,
  REPO_ROOT,
  type StandInProcess,
  startStandIn,
  waitFor,
} from '../../../gateway/dev/processes';

/**
 * The batch predictor as a real process against local directories and the
 * real stand-in model server on 127.0.0.1 (TF Serving's REST API with a real
 * model), and a Pushgateway stand-in recording what is pushed.
 */
jest.setTimeout(120_000);

const MAIN = join(REPO_ROOT, 'apps', 'batch-predictor', 'src', 'main.ts');

let standIn: StandInProcess;
let pushgateway: Server;
let pushgatewayUrl: string;
/** Bodies pushed, by method and URL path, in the order they arrived. */
const pushes = new Map<string, string[]>();
let work: string;

beforeAll(async () => {
  standIn = await startStandIn({ name: 'batch' });
  const port = await freePort();
  pushgateway = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const key = `${request.method} ${request.url}`;
      pushes.set(key, [...(pushes.get(key) ?? []), body]);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => pushgateway.listen(port, '127.0.0.1', resolve));
  pushgatewayUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await standIn?.process.stop();
  await new Promise((resolve) => pushgateway?.close(resolve));
});

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'batch-predictor-'));
  pushes.clear();
});
afterEach(async () => {
  await setFaults({ latencyMs: 0, errorRate: 0 });
  rmSync(work, { recursive: true, force: true });
});

const modelUrl = () => `${standIn.url}/v1/models/iris:predict`;

async function setFaults(faults: { latencyMs?: number; errorRate?: number }): Promise<void> {
  const response = await fetch(`${standIn.url}/-/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.ok).toBe(true);
}

async function predictRequests(): Promise<number> {
  const stats = (await (await fetch(`${standIn.url}/-/stats`)).json()) as { predictRequests: number };
  return stats.predictRequests;
}

/** A feature row of the iris-like model (4 numbers), different for each record. */
const row = (file: number, record: number) => [
  4 + file / 10,
  3 + record / 20,
  1 + (record % 7) / 3,
  0.2 * (file + 1),
];

/** Writes `files` input files of `records` records (with a blank line in the middle); returns the rows. */
function writeInputs(files: number, records: number): Map<string, number[][]> {
  const input = join(work, 'in');
  mkdirSync(join(input, 'day=1'), { recursive: true });
  const written = new Map<string, number[][]>();
  for (let f = 0; f < files; f += 1) {
    const rows = Array.from({ length: records }, (_, r) => row(f, r));
    const lines = rows.map((r) => JSON.stringify(r));
    lines.splice(Math.floor(records / 2), 0, '');
    // Files in a nested folder too: the listing is recursive and keys keep their folders.
    const name = f % 2 === 0 ? `part-${f}.jsonl` : `day=1/part-${f}.jsonl`;
    writeFileSync(join(input, name), `${lines.join('\n')}\n`);
    written.set(name, rows);
  }
  writeFileSync(join(input, 'README.txt'), 'not an input: wrong suffix\n');
  return written;
}

/** What the model server answers for the rows, asked directly in one request. */
async function expectedPredictions(rows: number[][]): Promise<unknown[]> {
  const response = await fetch(modelUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instances: rows }),
  });
  return ((await response.json()) as { predictions: unknown[] }).predictions;
}

/** Output lines of a file: line numbers of the input and predictions. */
function outputOf(name: string): Array<{ line: number; prediction: unknown }> {
  return readFileSync(join(work, 'out', name), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** Input line numbers of `records` records with the blank line written by writeInputs. */
const inputLines = (records: number) =>
  Array.from({ length: records }, (_, r) => (r < Math.floor(records / 2) ? r + 1 : r + 2));

function start(args: string[], env: NodeJS.ProcessEnv = {}): ManagedProcess {
  return new ManagedProcess(
    'batch-predict',
    MAIN,
    [`--input=${join(work, 'in')}`, `--output=${join(work, 'out')}`, `--model-url=${modelUrl()}`, ...args],
    env,
  );
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = start(args, env);
  const { code } = await child.exited;
  return { code, logs: child.logs };
}

/** Log lines of a run, parsed; non-JSON lines (stderr) dropped. */
function events(logs: string): Array<Record<string, any>> {
  return logs.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

/**
 * The last value pushed to a group for a metric, as the Pushgateway would hold it: a push
 * (POST) replaces the series of the names it carries and keeps the others.
 */
function sample(group: string, metric: string, labels = ''): number | undefined {
  const values = (pushes.get(`POST ${group}`) ?? []).flatMap((body) =>
    body
      .split('\n')
      .filter((l) => l.startsWith(`${metric}${labels ? `{${labels}}` : ''} `))
      .map((l) => Number(l.split(' ').pop())),
  );
  return values.at(-1);
}

describe('batch predictor (real process, real stand-in model server)', () => {
  it('scores every file once across the shards, in input order, and pushes its metrics per shard', async () => {
    const inputs = writeInputs(5, 23);
    const results = await Promise.all(
      [0, 1].map((shard) =>
        run(
          [
            '--shards=2',
            '--batch-size=4',
            '--concurrency=3',
            `--pushgateway-url=${pushgatewayUrl}`,
            '--job-name=nightly',
          ],
          {
            JOB_COMPLETION_INDEX: String(shard),
          },
        ),
      ),
    );
    for (const result of results) expect([result.code, result.logs]).toEqual([0, result.logs]);

    const names = [...inputs.keys()].sort();
    const byShard = results.map((r) =>
      events(r.logs)
        .filter((e) => e.event === 'file-written')
        .map((e) => e.file),
    );
    // File i of the sorted listing belongs to shard i mod 2.
    expect(byShard).toEqual([names.filter((_, i) => i % 2 === 0), names.filter((_, i) => i % 2 === 1)]);
    for (const [name, rows] of inputs) {
      const output = outputOf(name);
      expect(output.map((o) => o.line)).toEqual(inputLines(23));
      expect(output.map((o) => o.prediction)).toEqual(await expectedPredictions(rows));
    }
    expect(existsSync(join(work, 'out', 'README.txt'))).toBe(false);
    // Nothing temporary or checkpointed is left behind.
    expect(readdirSync(join(work, 'out')).sort()).toEqual([
      'day=1',
      'part-0.jsonl',
      'part-2.jsonl',
      'part-4.jsonl',
    ]);

    const shard0 = '/metrics/job/nightly/shard/0';
    const shard1 = '/metrics/job/nightly/shard/1';
    expect(sample(shard0, METRIC_NAMES.records, 'outcome="predicted"')).toBe(3 * 23);
    expect(sample(shard1, METRIC_NAMES.records, 'outcome="predicted"')).toBe(2 * 23);
    expect(sample(shard0, METRIC_NAMES.shardFiles)).toBe(3);
    expect(sample(shard0, METRIC_NAMES.running)).toBe(0);
    expect(sample(shard1, METRIC_NAMES.lastRunSuccess)).toBe(1);
    expect(sample(shard0, METRIC_NAMES.lastSuccess)).toBeGreaterThan(Date.now() / 1000 - 120);

    // A second run finds every output and sends nothing; outputs are never rewritten.
    const before = await predictRequests();
    const again = await run(['--shards=2'], { JOB_COMPLETION_INDEX: '0' });
    expect(again.code).toBe(0);
    expect(await predictRequests()).toBe(before);
    expect(events(again.logs).filter((e) => e.event === 'file-skipped')).toHaveLength(3);
  });

  it('retries failed requests with backoff and still writes every prediction', async () => {
    const inputs = writeInputs(1, 60);
    await setFaults({ errorRate: 0.3 });
    const before = await predictRequests();
    const result = await run([
      '--batch-size=2',
      '--max-attempts=12',
      '--retry-base-ms=5',
      '--retry-max-ms=50',
      `--pushgateway-url=${pushgatewayUrl}`,
    ]);
    expect([result.code, result.logs]).toEqual([0, result.logs]);
    const sent = (await predictRequests()) - before;
    await setFaults({ errorRate: 0 });
    const [name, rows] = [...inputs][0];
    expect(outputOf(name).map((o) => o.prediction)).toEqual(await expectedPredictions(rows));
    // 30 batches; with 30% of requests failing, some were sent again.
    const pushed = '/metrics/job/batch-predictor/shard/0';
    const retries = sample(pushed, METRIC_NAMES.retries) ?? 0;
    expect(retries).toBeGreaterThan(0);
    expect(sent).toBe(30 + retries);
    expect(sample(pushed, METRIC_NAMES.requests, 'outcome="retryable"')).toBe(retries);
  });

  it('fails the shard after its attempts, keeping the batches that succeeded, and writes no output', async () => {
    writeInputs(1, 10);
    await setFaults({ errorRate: 1 });
    const result = await run([
      '--max-attempts=3',
      '--retry-base-ms=1',
      '--retry-max-ms=2',
      `--pushgateway-url=${pushgatewayUrl}`,
    ]);
    expect(result.code).toBe(1);
    expect(result.logs).toMatch(/predict failed after 3 attempts: HTTP 500: .*injected failure/);
    expect(existsSync(join(work, 'out', 'part-0.jsonl'))).toBe(false);
    // The failure is reported; no success time is pushed (an earlier one is left to age).
    const group = '/metrics/job/batch-predictor/shard/0';
    expect(sample(group, METRIC_NAMES.lastRunSuccess)).toBe(0);
    expect(sample(group, METRIC_NAMES.lastSuccess)).toBeUndefined();
    expect(sample(group, METRIC_NAMES.requests, 'outcome="retryable"')).toBe(2);
    expect(sample(group, METRIC_NAMES.requests, 'outcome="failed"')).toBe(1);
  });

  it('resumes a killed shard from its checkpoint, sending only the batches not checkpointed', async () => {
    const inputs = writeInputs(1, 40);
    await setFaults({ latencyMs: 40 });
    const child = start(['--batch-size=1', '--concurrency=1', '--checkpoint-every=3']);
    const checkpoint = join(work, 'out', checkpointKey(0, 'part-0.jsonl'));
    await waitFor(
      'a checkpoint with 9 batches',
      () => {
        if (!existsSync(checkpoint)) return false;
        return Object.keys(JSON.parse(readFileSync(checkpoint, 'utf8')).batches).length >= 9;
      },
      60_000,
    );
    child.signal('SIGKILL');
    await child.exited;
    expect(existsSync(join(work, 'out', 'part-0.jsonl'))).toBe(false);
    const saved = Object.keys(JSON.parse(readFileSync(checkpoint, 'utf8')).batches).length;
    expect(saved).toBeLessThan(40);

    await setFaults({ latencyMs: 0 });
    const before = await predictRequests();
    const resumed = await run(['--batch-size=1', '--concurrency=1', '--checkpoint-every=3']);
    expect([resumed.code, resumed.logs]).toEqual([0, resumed.logs]);
    expect((await predictRequests()) - before).toBe(40 - saved);
    expect(events(resumed.logs).find((e) => e.event === 'file-resumed')).toMatchObject({
      batchesDone: saved,
    });
    const [name, rows] = [...inputs][0];
    expect(outputOf(name).map((o) => o.line)).toEqual(inputLines(40));
    expect(outputOf(name).map((o) => o.prediction)).toEqual(await expectedPredictions(rows));
    expect(existsSync(checkpoint)).toBe(false);
  });

  it('on SIGTERM abandons its requests, saves every completed batch and exits 143; the rerun completes', async () => {
    const inputs = writeInputs(1, 30);
    await setFaults({ latencyMs: 40 });
    const child = start(['--batch-size=1', '--concurrency=2', '--checkpoint-every=1000']);
    const checkpoint = join(work, 'out', checkpointKey(0, 'part-0.jsonl'));
    await waitFor(
      'some predictions',
      async () => (await predictRequests()) > 0 && child.logs.includes('"shard"'),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.signal('SIGTERM');
    const { code } = await child.exited;
    expect([code, child.logs]).toEqual([143, child.logs]);
    expect(events(child.logs).map((e) => e.event)).toEqual(
      expect.arrayContaining(['stopping', 'interrupted']),
    );
    const saved = Object.keys(JSON.parse(readFileSync(checkpoint, 'utf8')).batches).length;
    expect(saved).toBeGreaterThan(0);

    await setFaults({ latencyMs: 0 });
    const before = await predictRequests();
    const rerun = await run(['--batch-size=1', '--concurrency=2']);
    expect(rerun.code).toBe(0);
    expect((await predictRequests()) - before).toBe(30 - saved);
    const [name, rows] = [...inputs][0];
    expect(outputOf(name).map((o) => o.prediction)).toEqual(await expectedPredictions(rows));
  });

  it('on SIGTERM does not wait for a slow model server: requests in flight are abandoned', async () => {
    writeInputs(1, 10);
    await setFaults({ latencyMs: 10_000 });
    const before = await predictRequests();
    const child = start(['--batch-size=1', '--concurrency=2']);
    await waitFor('requests in flight', async () => (await predictRequests()) - before >= 2);
    const stoppedAt = Date.now();
    child.signal('SIGTERM');
    const { code } = await child.exited;
    expect([code, child.logs]).toEqual([143, child.logs]);
    // Far less than the 10 s a request takes: the pod's grace period (30 s) is never the limit.
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(existsSync(join(work, 'out', 'part-0.jsonl'))).toBe(false);
  });

  it('a checkpoint of another version of the input is discarded', async () => {
    writeInputs(1, 6);
    const checkpoint = join(work, 'out', checkpointKey(0, 'part-0.jsonl'));
    mkdirSync(join(checkpoint, '..'), { recursive: true });
    writeFileSync(
      checkpoint,
      JSON.stringify({
        input: 'part-0.jsonl',
        version: 'older',
        batchSize: 2,
        batches: {
          0: [
            [1, 0, 0],
            [1, 0, 0],
          ],
        },
      }),
    );
    const result = await run(['--batch-size=2']);
    expect(result.code).toBe(0);
    expect(events(result.logs).some((e) => e.event === 'checkpoint-discarded')).toBe(true);
    expect(outputOf('part-0.jsonl')[0].prediction).not.toEqual([1, 0, 0]);
  });

  it('names the file and line of an input that is not JSON Lines', async () => {
    mkdirSync(join(work, 'in'));
    writeFileSync(join(work, 'in', 'bad.jsonl'), '[1,2,3,4]\n[1,2,\n');
    const result = await run([]);
    expect(result.code).toBe(1);
    expect(result.logs).toContain(`${join(work, 'in')}/bad.jsonl:2: not a JSON value`);
  });

  it('refuses bad options with exit code 2, naming the option', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--batch-size=0'], /--batch-size: "0" must be an integer ≥ 1/],
      [['--shards=2', '--shard=2'], /--shard: 2 must be below --shards \(2\)/],
      [['--output=ftp://x/y'], /--output: "ftp:\/\/x\/y" has an unknown scheme ftp:/],
      [['--nope=1'], /Unknown option '--nope'/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect([args, result.code]).toEqual([args, 2]);
      expect(result.logs).toMatch(message);
    }
  });
});
