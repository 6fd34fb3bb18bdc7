import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { loadDeclaredFleet } from '../../../clusters';
import { freePort, waitFor } from '../../../gateway/dev/processes';
import {
  LOG_SNAPSHOTS,
  SNAPSHOT_SERIES,
  snapshotIntervalSeconds,
  snapshotLifecyclePolicy,
  snapshotSchedule,
  snapshotStatusScript,
} from '../../../platform/logging/snapshots';
import { elasticsearchCronGapSeconds } from '../../../tools/backup/cron';

/**
 * The status CronJob's script, run for real with sh and curl: against a stand-in for
 * Elasticsearch's SLM API on loopback (answering as Elasticsearch does with `filter_path`) and a
 * real Pushgateway process (Debian package prometheus-pushgateway), whose metrics are read back.
 */
const PASSWORD = 'es-test-password';
let slmAnswer: { status: number; body: string };
let requests: { url: string; authorization: string | undefined }[] = [];
let elasticsearch: Server;
let esUrl: string;
let pushgateway: ChildProcess;
let pushgatewayUrl: string;

beforeAll(async () => {
  elasticsearch = createServer((request, response) => {
    requests.push({ url: request.url ?? '', authorization: request.headers.authorization });
    response.writeHead(slmAnswer.status, { 'content-type': 'application/json' });
    response.end(slmAnswer.body);
  });
  const esPort = await freePort();
  await new Promise<void>((resolve) => elasticsearch.listen(esPort, '127.0.0.1', resolve));
  esUrl = `http://127.0.0.1:${esPort}`;
  const port = await freePort();
  pushgatewayUrl = `http://127.0.0.1:${port}`;
  pushgateway = spawn('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  await waitFor('the Pushgateway', async () => (await fetch(`${pushgatewayUrl}/-/ready`)).ok);
});

afterAll(async () => {
  pushgateway?.kill();
  await new Promise((resolve) => elasticsearch?.close(resolve));
});

/**
 * Runs the rendered script as the CronJob does, with the environment the chart gives it; as a child
 * process the test awaits, so the stand-in in this process can answer it.
 */
function runStatus(): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('/bin/sh', ['-c', snapshotStatusScript()], {
    env: {
      PATH: process.env.PATH,
      ES_URL: esUrl,
      ES_CA: '/dev/null',
      ELASTIC_PASSWORD: PASSWORD,
      PUSHGATEWAY_URL: pushgatewayUrl,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** The values the Pushgateway holds for the status job. */
async function pushed(): Promise<Record<string, number>> {
  const text = await (await fetch(`${pushgatewayUrl}/metrics`)).text();
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.startsWith('log_snapshot_') && line.includes(`job="${LOG_SNAPSHOTS.statusJob}"`))
      .map((line) => [line.slice(0, line.indexOf('{')), Number(line.slice(line.lastIndexOf(' ') + 1))]),
  );
}

describe('the snapshot status script', () => {
  beforeEach(() => {
    requests = [];
  });

  it('reads the policy as the elastic user and pushes its last success and failure, in seconds', async () => {
    slmAnswer = {
      status: 200,
      body: `{"${LOG_SNAPSHOTS.policy}":{"last_success":{"time":1764460800123},"last_failure":{"time":1764439200456}}}`,
    };
    const before = Math.floor(Date.now() / 1000);
    const run = await runStatus();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(requests).toEqual([
      {
        url: `/_slm/policy/${LOG_SNAPSHOTS.policy}?filter_path=*.last_success.time,*.last_failure.time`,
        authorization: `Basic ${Buffer.from(`elastic:${PASSWORD}`).toString('base64')}`,
      },
    ]);
    const values = await pushed();
    expect(values[SNAPSHOT_SERIES.lastSuccess]).toBe(1764460800);
    expect(values[SNAPSHOT_SERIES.lastFailure]).toBe(1764439200);
    expect(values[SNAPSHOT_SERIES.statusRead]).toBeGreaterThanOrEqual(before);
  });

  it('replaces the group: a policy that never succeeded leaves no success behind', async () => {
    slmAnswer = { status: 200, body: `{"${LOG_SNAPSHOTS.policy}":{"last_failure":{"time":1764500000000}}}` };
    expect((await runStatus()).status).toBe(0);
    const values = await pushed();
    expect(values[SNAPSHOT_SERIES.lastFailure]).toBe(1764500000);
    expect(values[SNAPSHOT_SERIES.lastSuccess]).toBeUndefined();
  });

  it('fails, pushing nothing, when the policy is missing', async () => {
    const before = (await pushed())[SNAPSHOT_SERIES.statusRead];
    slmAnswer = {
      status: 404,
      body: '{"error":{"type":"resource_not_found_exception","reason":"snapshot lifecycle policy or policies [ml-platform-logs] not found"},"status":404}',
    };
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const run = await runStatus();
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('resource_not_found_exception');
    expect((await pushed())[SNAPSHOT_SERIES.statusRead]).toBe(before);
  });
});

describe('the SLM policy', () => {
  it('takes snapshots at the interval the alerts and the recovery point assume', () => {
    expect(elasticsearchCronGapSeconds(snapshotSchedule())).toBe(snapshotIntervalSeconds());
  });

  it('keeps the snapshots as long as the logs, and never fewer than the minimum', () => {
    const fleet = loadDeclaredFleet();
    const days = fleet.settings.observability.logs.deleteAfterDays;
    const policy = snapshotLifecyclePolicy(fleet);
    expect(policy.retention.expire_after).toBe(`${days}d`);
    expect(policy.retention.min_count).toBe(LOG_SNAPSHOTS.minCount);
    expect(policy.retention.max_count).toBeGreaterThanOrEqual((days * 86400) / snapshotIntervalSeconds());
    expect(policy.config.include_global_state).toBe(false);
  });
});
