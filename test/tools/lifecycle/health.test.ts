import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../gateway/dev/processes';
import { lifecycleAsync } from './helpers';

/**
 * `npm run health` against a real Prometheus (Debian package `prometheus`) on 127.0.0.1 that
 * scrapes a stand-in of the prediction gateway (a loopback HTTP server answering /readyz,
 * /v1/providers and /metrics) and evaluates alert rules over it, so the critical alert the
 * command reports is one Prometheus itself fires. kubectl is a fake script first on PATH that
 * prints the Argo CD Applications the test sets; Prometheus and the gateway are given by URL
 * (--prometheus-url, --gateway-url) instead of kubectl port-forward.
 */

const APPS_SYNCED = {
  items: ['base', 'mesh', 'gateway'].map((name) => ({
    metadata: { name },
    status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
  })),
};

describe('npm run health against a real Prometheus and a stand-in gateway', () => {
  let dir: string;
  let prometheus: ChildProcess | undefined;
  let gateway: Server;
  let prometheusUrl: string;
  let gatewayUrl: string;
  let output = '';
  /** What the stand-in gateway answers, set per test. */
  const state = { ready: true, criticalFlag: 0, providers: [{ name: 'eks-prod', health: 'healthy' }] };
  let env: Record<string, string>;

  const setApplications = (apps: unknown) =>
    writeFileSync(join(dir, 'applications.json'), JSON.stringify(apps));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'health-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // The fake kubectl: Applications from a file; any other call fails like an unreachable cluster.
    writeFileSync(
      join(bin, 'kubectl'),
      `#!/bin/sh\ncase "$*" in\n  *"get applications.argoproj.io -o json"*) cat "${join(dir, 'applications.json')}";;\n  *) echo "fake kubectl: $*" >&2; exit 1;;\nesac\n`,
    );
    chmodSync(join(bin, 'kubectl'), 0o755);
    setApplications(APPS_SYNCED);

    gateway = createHttpServer((request, response) => {
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.url === '/readyz') {
        return state.ready
          ? json(200, {
              status: 'ready',
              healthyProviders: state.providers.filter((p) => p.health === 'healthy').length,
            })
          : json(503, { error: 'service_unavailable', message: 'no healthy provider' });
      }
      if (request.url === '/v1/providers') {
        return request.headers['x-api-key'] === 'test-key'
          ? json(200, { providers: state.providers })
          : json(401, {});
      }
      if (request.url === '/metrics') {
        response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        return response.end(
          `# TYPE standin_critical_flag gauge\nstandin_critical_flag ${state.criticalFlag}\n`,
        );
      }
      json(404, {});
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const gatewayPort = (gateway.address() as { port: number }).port;
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;

    writeFileSync(
      join(dir, 'rules.yml'),
      [
        'groups:',
        '  - name: test',
        '    rules:',
        '      - alert: StandInCritical',
        '        expr: standin_critical_flag > 0',
        '        labels: { severity: critical }',
        // A warning that always fires: health reports critical alerts only.
        '      - alert: StandInWarning',
        '        expr: vector(1)',
        '        labels: { severity: warning }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${join(dir, 'rules.yml')}]`,
        'scrape_configs:',
        `  - job_name: gateway\n    static_configs: [{ targets: ['127.0.0.1:${gatewayPort}'] }]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (prometheus.exitCode !== null) throw new Error(`prometheus exited:\n${output}`);
      const ready = await fetch(`${prometheusUrl}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`prometheus not ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    env = { PATH: `${bin}:${process.env.PATH}`, GATEWAY_API_KEY: 'test-key' };
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus?.once('exit', r));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
    }
    await new Promise((r) => gateway.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const health = (extra: string[] = []) =>
    lifecycleAsync(
      [
        'health',
        '--cluster',
        'eks-prod',
        '--prometheus-url',
        prometheusUrl,
        '--gateway-url',
        gatewayUrl,
        ...extra,
      ],
      env,
    );

  /** Waits until Prometheus' own ALERTS series shows the critical alert as `firing` (true) or gone (false). */
  async function criticalFiring(firing: boolean): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const body = (await (
        await fetch(
          `${prometheusUrl}/api/v1/query?query=${encodeURIComponent('ALERTS{alertname="StandInCritical",alertstate="firing"}')}`,
        )
      ).json()) as { data: { result: unknown[] } };
      if (body.data.result.length > 0 === firing) return;
      if (Date.now() > deadline) throw new Error(`StandInCritical firing never became ${firing}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('is healthy (0) with every Application Synced and Healthy, the gateway ready and no critical alert', async () => {
    await criticalFiring(false);
    const { status, stdout } = await health();
    expect(stdout).toContain('OK       Argo CD Applications');
    expect(stdout).toContain('3 Synced and Healthy');
    expect(stdout).toContain('provider eks-prod: healthy');
    expect(stdout).toMatch(/OK +firing critical alerts\n +none/);
    expect(stdout).toContain('eks-prod: healthy');
    expect(status).toBe(0);
  }, 60_000);

  it('is degraded (1) while Prometheus fires a critical alert, and names it', async () => {
    state.criticalFlag = 1;
    await criticalFiring(true);
    const { status, stdout } = await health();
    expect(stdout).toMatch(/DEGRADED firing critical alerts\n +StandInCritical/);
    expect(stdout).not.toContain('StandInWarning');
    expect(status).toBe(1);
    state.criticalFlag = 0;
    await criticalFiring(false);
  }, 60_000);

  it('is degraded (1) with an Application stuck, or the gateway not ready, saying which', async () => {
    setApplications({
      items: [
        ...APPS_SYNCED.items,
        {
          metadata: { name: 'logging' },
          status: {
            sync: { status: 'OutOfSync' },
            health: { status: 'Degraded', message: 'Elasticsearch red' },
          },
        },
      ],
    });
    const stuck = await health();
    expect(stuck.stdout).toContain('1 of 4 not Synced and Healthy:');
    expect(stuck.stdout).toContain('logging: OutOfSync/Degraded (Elasticsearch red)');
    expect(stuck.status).toBe(1);
    setApplications(APPS_SYNCED);
    state.ready = false;
    const unready = await health();
    expect(unready.stdout).toContain('not ready (HTTP 503: no healthy provider)');
    expect(unready.status).toBe(1);
    state.ready = true;
  }, 60_000);

  it('cannot tell (2) when Prometheus does not answer, and says so', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { status, stdout } = await lifecycleAsync(
      ['health', '--cluster', 'eks-prod', '--prometheus-url', closed, '--gateway-url', gatewayUrl],
      env,
    );
    expect(stdout).toMatch(/UNKNOWN +firing critical alerts\n +cannot reach Prometheus/);
    expect(stdout).toContain('eks-prod: cannot tell');
    expect(status).toBe(2);
  }, 60_000);
});
