/**
 * The fleet in a box: the network (network.ts), and in it every process of the drill.
 *
 * - per cluster of the declared fleet (its own namespace): the gateway with the routing table
 *   rendered for it, a TF Serving stand-in answering for the routing table's models with the
 *   cloud's latency, a Pushgateway, and an agent (for load and for running Jobs);
 * - in the monitoring namespace: one Redis shared by the gateways (the rate limit's store), one
 *   Prometheus per cluster (each cluster's rules are its own: an expression such as
 *   `max by (provider) (gateway_provider_healthy)` means "every gateway of this cluster", so the
 *   three rule sets cannot share one Prometheus without changing what they say), one Alertmanager
 *   for all, the webhook recorder, and an agent through which the drill queries everything.
 *
 * Every process listens on its node's in-box address only.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ClusterSpec } from '../../clusters/types';
import { waitFor } from '../../gateway/dev/processes';
import { Agent } from './agent-client';
import { alertmanagerConfigToYaml } from './alertmanager-config';
import {
  type ClusterAddresses,
  inBoxGatewayConfig,
  type PrometheusTimings,
  prometheusConfig,
} from './configs';
import { type BoxNode, createNetwork, cut, PREFIX, removeAll, restore, writeHosts } from './network';
import { prometheusRuleToRulesFile } from './prometheus-rules';
import type { RenderedCluster } from './rendered';

const REPO_ROOT = join(__dirname, '..', '..');
export const MONITORING = 'monitoring';
const PORTS = {
  gateway: 8080,
  modelServer: 8501,
  pushgateway: 9091,
  redis: 6379,
  alertmanager: 9093,
  webhook: 9095,
};
const PROMETHEUS_BASE_PORT = 9090;
/** The in-cluster name the rendered data-sync Jobs push to; the box's hosts files resolve it. */
const PUSHGATEWAY_HOST = 'pushgateway.monitoring.svc.cluster.local';

/**
 * Each cloud's stand-in latency: the distance to that cloud's model servers (the same figures
 * as `npm run dev`). The fleet does not declare latencies; these only make the clouds differ.
 */
export const CLOUD_LATENCY_MS: Readonly<Record<ClusterSpec['cloud'], number>> = {
  aws: 15,
  gcp: 25,
  azure: 40,
};

export interface BoxCluster {
  readonly spec: Pick<ClusterSpec, 'name' | 'cloud' | 'region'>;
  readonly rendered: RenderedCluster;
}

export interface BoxOptions {
  readonly clusters: readonly BoxCluster[];
  readonly timings: PrometheusTimings;
  /** API keys the gateways accept and the load uses (several: the rate limit counts per key). */
  readonly apiKeys: readonly string[];
  /** Echo each process' output (for debugging a drill). */
  readonly verbose?: boolean;
}

/** A process of the box and the tail of its output, for the error when it dies. */
interface BoxProcess {
  readonly label: string;
  readonly child: ChildProcess;
  output: string;
}

export interface Notification {
  readonly at: number;
  readonly path: string;
  readonly payload: {
    status?: string;
    receiver?: string;
    alerts?: Array<{ status: string; labels: Record<string, string> }>;
  };
}

export class Box {
  readonly work: string;
  readonly nodes = new Map<string, BoxNode>();
  readonly addresses = new Map<string, ClusterAddresses>();
  readonly agents = new Map<string, Agent>();
  readonly notifications: Notification[] = [];
  private readonly processes: BoxProcess[] = [];
  private stopped = false;

  constructor(readonly options: BoxOptions) {
    this.work = mkdtempSync(join('/tmp', PREFIX));
  }

  get monitoring(): Agent {
    return this.agent(MONITORING);
  }

  agent(node: string): Agent {
    const agent = this.agents.get(node);
    if (!agent) throw new Error(`no agent in ${node}`);
    return agent;
  }

  address(cluster: string): ClusterAddresses {
    const address = this.addresses.get(cluster);
    if (!address) throw new Error(`no cluster ${cluster} in the box`);
    return address;
  }

  node(name: string): BoxNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name} in the box`);
    return node;
  }

  prometheusUrl(cluster: string): string {
    const index = this.options.clusters.findIndex((c) => c.spec.name === cluster);
    return `http://${this.node(MONITORING).address}:${PROMETHEUS_BASE_PORT + index}`;
  }

  get alertmanagerUrl(): string {
    return `http://${this.node(MONITORING).address}:${PORTS.alertmanager}`;
  }

  gatewayUrl(cluster: string): string {
    const a = this.addresses.get(cluster);
    return `http://${a?.address}:${a?.gatewayPort}`;
  }

  modelServerUrl(cluster: string): string {
    const a = this.addresses.get(cluster);
    return `http://${a?.address}:${a?.modelServerPort}`;
  }

  get redisAddress(): string {
    return `${this.node(MONITORING).address}:${PORTS.redis}`;
  }

  async start(): Promise<void> {
    const { clusters } = this.options;
    const names = clusters.map((c) => c.spec.name);
    for (const node of createNetwork([...names, MONITORING])) this.nodes.set(node.name, node);
    for (const name of names) {
      const node = this.node(name);
      this.addresses.set(name, {
        address: node.address,
        gatewayPort: PORTS.gateway,
        modelServerPort: PORTS.modelServer,
        pushgatewayPort: PORTS.pushgateway,
      });
      writeHosts(node, [[PUSHGATEWAY_HOST, node.address]]);
    }
    for (const node of this.nodes.values()) this.agents.set(node.name, new Agent(node));
    this.monitoring.on('notification', (n: Notification) => this.notifications.push(n));
    const mon = this.node(MONITORING);
    await this.monitoring.send('webhook', { host: mon.address, port: PORTS.webhook });

    this.startRedis();
    this.startAlertmanager();
    clusters.forEach((cluster, index) => {
      this.startPushgateway(cluster.spec.name);
      this.startModelServer(cluster);
      this.startGateway(cluster);
      this.startPrometheus(cluster, index);
    });
    await this.waitReady();
  }

  private spawnIn(
    node: string,
    label: string,
    argv: readonly string[],
    env: NodeJS.ProcessEnv = {},
    cwd = REPO_ROOT,
  ) {
    const [command, ...args] = ['ip', 'netns', 'exec', this.node(node).namespace, ...argv];
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const entry: BoxProcess = { label, child, output: '' };
    const keep = (chunk: Buffer) => {
      entry.output = (entry.output + chunk.toString('utf8')).slice(-8_000);
      if (this.options.verbose) process.stderr.write(`[${label}] ${chunk.toString('utf8')}`);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      if (!this.stopped) entry.output += `\n(exited: code ${code}, signal ${signal})`;
    });
    this.processes.push(entry);
    return entry;
  }

  private startRedis() {
    const mon = this.node(MONITORING);
    this.spawnIn(MONITORING, 'redis', [
      'redis-server',
      '--bind',
      mon.address,
      '--port',
      String(PORTS.redis),
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
      '--dir',
      this.work,
    ]);
  }

  /** Stops Redis (SIGKILL: the store is lost, not shut down politely). */
  stopRedis(): void {
    const redis = this.processes.find((p) => p.label === 'redis' && p.child.exitCode === null);
    spawnSync('ip', [
      'netns',
      'exec',
      this.node(MONITORING).namespace,
      'redis-cli',
      '-h',
      this.node(MONITORING).address,
      'shutdown',
      'nosave',
    ]);
    redis?.child.kill('SIGKILL');
  }

  restartRedis(): void {
    this.startRedis();
  }

  private startAlertmanager() {
    const mon = this.node(MONITORING);
    const configs = this.options.clusters.flatMap((c) =>
      c.rendered.alertmanagerConfigs.map((o) => ({ cluster: c.spec.name, object: o.object, where: o.file })),
    );
    const config = alertmanagerConfigToYaml(
      configs,
      (cluster, receiver) =>
        `http://${mon.address}:${PORTS.webhook}/${cluster || '-'}/${encodeURIComponent(receiver)}`,
    );
    const dir = join(this.work, 'alertmanager');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(config));
    this.spawnIn(MONITORING, 'alertmanager', [
      'prometheus-alertmanager',
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${dir}`,
      `--web.listen-address=${mon.address}:${PORTS.alertmanager}`,
      // One Alertmanager, no peers: the gossip listener would bind 0.0.0.0 by default.
      '--cluster.listen-address=',
    ]);
  }

  private startPushgateway(cluster: string) {
    const a = this.address(cluster);
    this.spawnIn(cluster, `pushgateway-${cluster}`, [
      'prometheus-pushgateway',
      `--web.listen-address=${a.address}:${a.pushgatewayPort}`,
      // In memory, as the fleet's Pushgateway (persistentVolume disabled): Debian's default persistence file,
      // /var/lib/prometheus/pushgateway.data, would be shared by the three and outlive the drill,
      // so one run's (or cluster's) pushes would reappear in the next.
      '--persistence.file=',
    ]);
  }

  private startModelServer(cluster: BoxCluster) {
    const a = this.address(cluster.spec.name);
    const { models } = cluster.rendered;
    this.spawnIn(cluster.spec.name, `model-server-${cluster.spec.name}`, [
      process.execPath,
      '--import',
      'tsx',
      join(REPO_ROOT, 'gateway', 'dev', 'model-server.ts'),
      '--name',
      cluster.spec.name,
      '--host',
      a.address,
      '--port',
      String(a.modelServerPort),
      '--latency-ms',
      String(CLOUD_LATENCY_MS[cluster.spec.cloud]),
      ...models.flatMap((m) => ['--model-name', m]),
    ]);
  }

  private startGateway(cluster: BoxCluster) {
    const name = cluster.spec.name;
    const dir = join(this.work, name);
    mkdirSync(dir, { recursive: true });
    const keysFile = join(dir, 'api-keys.json');
    writeFileSync(
      keysFile,
      JSON.stringify(this.options.apiKeys.map((key, i) => ({ id: `drill-${i}`, key }))),
    );
    const config = inBoxGatewayConfig(
      cluster.rendered.gatewayConfig.config,
      cluster.rendered.gatewayConfig.file,
      this.address(name),
      this.addresses,
      keysFile,
    );
    writeFileSync(join(dir, 'gateway.json'), JSON.stringify(config, null, 2));
    this.spawnIn(
      name,
      `gateway-${name}`,
      [
        process.execPath,
        '--import',
        'tsx',
        join(REPO_ROOT, 'gateway', 'src', 'main.ts'),
        '--config',
        join(dir, 'gateway.json'),
      ],
      { REDIS_URL: `redis://${this.redisAddress}` },
    );
  }

  private startPrometheus(cluster: BoxCluster, index: number) {
    const name = cluster.spec.name;
    const dir = join(this.work, `prometheus-${name}`);
    mkdirSync(dir, { recursive: true });
    const ruleFiles = cluster.rendered.prometheusRules.map((rule, i) => {
      const file = join(dir, `rules-${i}.yml`);
      writeFileSync(file, stringify(prometheusRuleToRulesFile(rule.object, rule.file)));
      return file;
    });
    const mon = this.node(MONITORING);
    const config = prometheusConfig({
      cluster: cluster.spec,
      own: this.address(name),
      ruleFiles,
      alertmanager: `${mon.address}:${PORTS.alertmanager}`,
      timings: this.options.timings,
    });
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    this.spawnIn(MONITORING, `prometheus-${name}`, [
      'prometheus',
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=${mon.address}:${PROMETHEUS_BASE_PORT + index}`,
    ]);
  }

  /** Waits until every process answers; names the ones that do not (with their output). */
  private async waitReady(timeoutMs = 120_000): Promise<void> {
    const checks: Array<{ label: string; agent: Agent; url: string }> = [
      { label: 'alertmanager', agent: this.monitoring, url: `${this.alertmanagerUrl}/-/ready` },
    ];
    for (const c of this.options.clusters) {
      const name = c.spec.name;
      const a = this.address(name);
      checks.push(
        {
          label: `pushgateway-${name}`,
          agent: this.agent(name),
          url: `http://${a.address}:${a.pushgatewayPort}/-/ready`,
        },
        { label: `prometheus-${name}`, agent: this.monitoring, url: `${this.prometheusUrl(name)}/-/ready` },
        { label: `gateway-${name}`, agent: this.agent(name), url: `${this.gatewayUrl(name)}/readyz` },
      );
    }
    const deadline = Date.now() + timeoutMs;
    let waiting = checks;
    while (waiting.length > 0) {
      const dead = this.processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
      if (dead) throw new Error(`${dead.label} exited while the box started:\n${dead.output.trim()}`);
      if (Date.now() > deadline) {
        const named = waiting.map((w) => w.label);
        const outputs = this.processes
          .filter((p) => named.includes(p.label))
          .map((p) => `[${p.label}]\n${p.output.trim()}`);
        throw new Error(`not ready after ${timeoutMs / 1000} s: ${named.join(', ')}\n${outputs.join('\n')}`);
      }
      const results = await Promise.all(
        waiting.map((w) =>
          w.agent.http(w.url, { timeoutMs: 2_000 }).then(
            (answer) => answer.status === 200,
            () => false,
          ),
        ),
      );
      waiting = waiting.filter((_, i) => !results[i]);
      if (waiting.length > 0) await new Promise((r) => setTimeout(r, 500));
    }
    // Every gateway sees every provider healthy: the health checks crossed the WAN.
    for (const c of this.options.clusters) {
      await this.waitFor(`${c.spec.name}'s gateway to see every provider healthy`, timeoutMs, async () => {
        const metrics = await this.agent(c.spec.name).http(`${this.gatewayUrl(c.spec.name)}/metrics`);
        const healthy = [...metrics.body.matchAll(/^gateway_provider_healthy\{provider="([^"]+)"\} 1$/gm)];
        return healthy.length === this.options.clusters.length;
      });
    }
  }

  waitFor<T>(
    what: string,
    timeoutMs: number,
    check: () => Promise<T | undefined | false>,
    intervalMs = 250,
  ): Promise<T> {
    return waitFor(what, check, timeoutMs, intervalMs);
  }

  cut(cluster: string): void {
    cut(this.node(cluster));
  }

  restore(cluster: string): void {
    restore(this.node(cluster));
  }

  /** Runs a shell command in a cluster's namespace (a rendered Job's command), in `cwd`. */
  runJob(cluster: string, argv: readonly string[], env: Record<string, string>, cwd: string) {
    const result = spawnSync('ip', ['netns', 'exec', this.node(cluster).namespace, ...argv], {
      cwd,
      // Only the Job's environment and a PATH: nothing of the drill's own environment leaks in.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  }

  /** Stops every process and removes the namespaces, links, /etc/netns entries and the work directory. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const agent of this.agents.values()) agent.stop();
    for (const p of this.processes) p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    for (const p of this.processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    removeAll();
    rmSync(this.work, { recursive: true, force: true });
  }

  /** The output of one process (for a report's notes when something went wrong). */
  output(label: string): string {
    return this.processes.find((p) => p.label === label)?.output ?? '';
  }
}
