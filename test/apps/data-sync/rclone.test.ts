import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkArgs, copyArgs, jobScript, remoteEnv, SOURCE, TARGET } from '../../../apps/data-sync/rclone';

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
          response.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Runs the script without blocking, so this process's stand-in Pushgateway can answer. */
    const runScript = (job: string, args: string[]) =>
      new Promise<number | null>((resolve) => {
        spawn('sh', ['-c', jobScript(job, args, url)], { env, stdio: 'ignore' }).on('close', resolve);
      });

    it('exits with rclone status and pushes the outcome to the Pushgateway', async () => {
      expect(await runScript('model-sync', copyArgs(source, target))).not.toBe(0);
      const clean = join(work, 'clean-target');
      expect(await runScript('model-sync-verify', copyArgs(source, clean))).toBe(0);

      expect(pushed.map((p) => p.path)).toEqual([
        '/metrics/job/model-sync',
        '/metrics/job/model-sync-verify',
      ]);
      expect(pushed[0].body).toMatch(/^model_sync_last_success 0$/m);
      expect(pushed[1].body).toMatch(/^model_sync_verify_last_success 1$/m);
      expect(pushed[1].body).toMatch(/^model_sync_verify_last_run_timestamp_seconds \d{10}$/m);
    });

    it('keeps rclone status when the Pushgateway is down', () => {
      const status = spawnSync(
        'sh',
        ['-c', jobScript('model-sync', copyArgs(source, target), 'http://127.0.0.1:9')],
        {
          env,
          encoding: 'utf8',
        },
      ).status;
      expect(status).toBe(rclone(copyArgs(source, target)).status);
      expect(status).not.toBe(0);
    });
  });
});
