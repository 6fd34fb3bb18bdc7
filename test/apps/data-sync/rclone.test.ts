import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkArgs,
  copyArgs,
  jobScript,
  remoteEnv,
  replicationSeries,
  SOURCE,
  TARGET,
} from '../../../apps/data-sync/rclone';

/**
 * The replication commands exactly as the CronJobs run them, executed by the
 * real rclone (Debian's package) against local directories standing in for
 * the buckets.
 */
const work = mkdtempSync(join(tmpdir(), 'model-sync-'));
const source = join(work, 'source-bucket');
const target = join(work, 'target-bucket');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = {
  ...process.env,
  ...remoteEnv(SOURCE, { TYPE: 'local' }),
  ...remoteEnv(TARGET, { TYPE: 'local' }),
  RCLONE_CONFIG: '/dev/null',
};

function rclone(args: string[]) {
  return spawnSync('rclone', args, { env, encoding: 'utf8' });
}

function put(root: string, path: string, content: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
}

const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');

describe('model replication with rclone', () => {
  beforeAll(() => {
    expect(spawnSync('rclone', ['version']).status).toBe(0);
    put(source, 'fraud-detector/3/saved_model.pb', 'weights of version 3');
    put(source, 'fraud-detector/3/variables/variables.index', 'index 3');
    put(source, 'fraud-detector/4/saved_model.pb', 'weights of version 4');
    put(target, 'fraud-detector/3/saved_model.pb', 'weights of version 3');
    put(target, 'fraud-detector/3/variables/variables.index', 'index 3');
  });

  it('copies the versions the target lacks and leaves identical ones alone', () => {
    const copy = rclone(copyArgs(source, target));
    expect(copy.stderr).not.toMatch(/"level":"error"/);
    expect(copy.status).toBe(0);
    expect(read(target, 'fraud-detector/4/saved_model.pb')).toBe('weights of version 4');
    expect(rclone(checkArgs(source, target)).status).toBe(0);
  });

  it('reports a version that exists with other content at the target, and never overwrites it', () => {
    put(target, 'fraud-detector/4/saved_model.pb', 'weights tampered with');
    put(source, 'fraud-detector/5/saved_model.pb', 'weights of version 5');
    const copy = rclone(copyArgs(source, target));
    expect(copy.status).not.toBe(0);
    expect(copy.stderr).toContain('fraud-detector/4/saved_model.pb');
    expect(copy.stderr).toMatch(/immutable/i);
    expect(read(target, 'fraud-detector/4/saved_model.pb')).toBe('weights tampered with');
    // Other new versions still arrive.
    expect(read(target, 'fraud-detector/5/saved_model.pb')).toBe('weights of version 5');

    const check = rclone(checkArgs(source, target));
    expect(check.status).not.toBe(0);
    expect(check.stderr).toContain('fraud-detector/4/saved_model.pb');
  });

  describe('the job script', () => {
    let server: Server;
    let pushed: { path: string; body: string }[];
    /** HTTP status the stand-in Pushgateway answers with. */
    let answer = 200;
    let url: string;
    beforeAll(async () => {
      pushed = [];
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => {
          body += chunk;
        });
        request.on('end', () => {
          pushed.push({ path: request.url ?? '', body });
          response.statusCode = answer;
          response.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
      pushed.length = 0;
      answer = 200;
    });

    /** Runs the script without blocking, so this process's stand-in Pushgateway can answer. */
    const runScript = (job: string, args: string[], pushTo = url) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        let stderr = '';
        const child = spawn('sh', ['-c', jobScript(job, args, pushTo)], {
          env,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
        });
        child.on('close', (status) => resolve({ status, stderr }));
      });

    it('exits with rclone status and pushes the outcome to the Pushgateway', async () => {
      expect((await runScript('model-sync', copyArgs(source, target))).status).not.toBe(0);
      const clean = join(work, 'clean-target');
      expect((await runScript('model-sync-verify', copyArgs(source, clean))).status).toBe(0);

      expect(pushed.map((p) => p.path)).toEqual([
        '/metrics/job/model-sync',
        '/metrics/job/model-sync-verify',
      ]);
      const failed = replicationSeries('model-sync');
      const succeeded = replicationSeries('model-sync-verify');
      expect(pushed[0].body).toMatch(new RegExp(`^${failed.lastSuccess} 0$`, 'm'));
      expect(pushed[0].body).toMatch(new RegExp(`^${failed.lastRun} \\d{10}$`, 'm'));
      // A failed run leaves the last success time as it was (a POST keeps unpushed series).
      expect(pushed[0].body).not.toContain(failed.lastSuccessTime);
      expect(pushed[1].body).toMatch(new RegExp(`^${succeeded.lastSuccess} 1$`, 'm'));
      expect(pushed[1].body).toMatch(new RegExp(`^# TYPE ${succeeded.lastSuccessTime} gauge$`, 'm'));
      expect(pushed[1].body).toMatch(new RegExp(`^${succeeded.lastSuccessTime} \\d{10}$`, 'm'));
    });

    it('keeps rclone status when rclone failed and the Pushgateway is down', async () => {
      const { status } = await runScript('model-sync', copyArgs(source, target), 'http://127.0.0.1:9');
      expect(status).toBe(rclone(copyArgs(source, target)).status);
      expect(status).not.toBe(0);
    });

    it('fails a successful replication whose outcome cannot be reported, saying why', async () => {
      const clean = join(work, 'unreported-target');
      const down = await runScript('model-sync', copyArgs(source, clean), 'http://127.0.0.1:9');
      expect(down.status).toBe(1);
      expect(down.stderr).toContain('model-sync: could not report the outcome to the Pushgateway');
      // The copy itself did happen.
      expect(read(clean, 'fraud-detector/5/saved_model.pb')).toBe('weights of version 5');

      answer = 500;
      const refused = await runScript('model-sync', copyArgs(source, clean));
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('could not report the outcome');
      // curl retried before giving up.
      expect(pushed.length).toBeGreaterThan(1);
    }, 30_000);
  });
});
