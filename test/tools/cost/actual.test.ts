import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { actualCost, formatActual } from '../../../tools/cost/actual';
import type { ClusterEstimate } from '../../../tools/cost/estimate';
import { type PrometheusProcess, startPrometheus } from '../prometheus-process';

/**
 * `npm run cost -- --actual` against a real Prometheus holding OpenCost-shaped series: node prices,
 * the control plane fee, load balancers, volumes and what each container is allocated.
 */

const STEP = 60;
const SAMPLES = 90;
const GIB = 1024 ** 3;

/** Constant series, each `[name, labels, value]`. */
const SERIES: readonly (readonly [string, Record<string, string>, number])[] = [
  ['node_total_hourly_cost', { node: 'n1' }, 0.2],
  ['node_total_hourly_cost', { node: 'n2' }, 0.2],
  ['node_total_hourly_cost', { node: 'gpu1' }, 0.6],
  ['node_cpu_hourly_cost', { node: 'n1' }, 0.03],
  ['node_ram_hourly_cost', { node: 'n1' }, 0.004],
  ['node_cpu_hourly_cost', { node: 'gpu1' }, 0.03],
  ['node_ram_hourly_cost', { node: 'gpu1' }, 0.004],
  ['node_gpu_hourly_cost', { node: 'gpu1' }, 0.4],
  ['kubecost_cluster_management_cost', { provisioner_name: 'EKS' }, 0.1],
  ['kubecost_load_balancer_cost', { namespace: 'istio-system', service_name: 'istio-ingressgateway' }, 0.025],
  [
    'kubecost_load_balancer_cost',
    { namespace: 'istio-system', service_name: 'istio-eastwestgateway' },
    0.025,
  ],
  ['pv_hourly_cost', { persistentvolume: 'pv-a' }, 0.0001],
  ['kube_persistentvolume_capacity_bytes', { persistentvolume: 'pv-a' }, 200 * GIB],
  // A serving pod on the CPU node (2 cores, 4 GiB) and one on the GPU node (1 core, 8 GiB, 1 GPU).
  [
    'container_cpu_allocation',
    { namespace: 'ml-serving', pod: 'fraud-1', node: 'n1', container: 'serving' },
    2,
  ],
  [
    'container_memory_allocation_bytes',
    { namespace: 'ml-serving', pod: 'fraud-1', node: 'n1', container: 'serving' },
    4 * GIB,
  ],
  [
    'container_cpu_allocation',
    { namespace: 'ml-serving', pod: 'image-1', node: 'gpu1', container: 'serving' },
    1,
  ],
  [
    'container_memory_allocation_bytes',
    { namespace: 'ml-serving', pod: 'image-1', node: 'gpu1', container: 'serving' },
    8 * GIB,
  ],
  [
    'container_gpu_allocation',
    { namespace: 'ml-serving', pod: 'image-1', node: 'gpu1', container: 'serving' },
    1,
  ],
  [
    'container_cpu_allocation',
    { namespace: 'ml-platform', pod: 'gateway-1', node: 'n1', container: 'gateway' },
    0.5,
  ],
  [
    'container_memory_allocation_bytes',
    { namespace: 'ml-platform', pod: 'gateway-1', node: 'n1', container: 'gateway' },
    GIB,
  ],
  ['kube_pod_labels', { namespace: 'ml-serving', pod: 'fraud-1', label_team: 'fraud' }, 1],
  ['kube_pod_labels', { namespace: 'ml-serving', pod: 'image-1', label_team: 'vision' }, 1],
  ['kube_pod_labels', { namespace: 'ml-platform', pod: 'gateway-1', label_team: 'platform' }, 1],
];

function openMetrics(end: number): string {
  const start = end - (SAMPLES - 1) * STEP;
  const byName = new Map<string, string[]>();
  for (const [name, labels, value] of SERIES) {
    const text = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    const lines = byName.get(name) ?? [];
    for (let i = 0; i < SAMPLES; i++) lines.push(`${name}{${text}} ${value} ${start + i * STEP}`);
    byName.set(name, lines);
  }
  return `${[...byName.values()].flat().join('\n')}\n# EOF\n`;
}

const estimate: ClusterEstimate = {
  cluster: 'eks-prod',
  cloud: 'aws',
  lines: [
    { key: 'node-pool/general', kind: 'node-pool', detail: '', monthlyUsd: 292 },
    { key: 'node-pool/gpu', kind: 'node-pool', detail: '', monthlyUsd: 438 },
    { key: 'cache', kind: 'cache', detail: '', monthlyUsd: 480 },
    { key: 'control-plane', kind: 'platform', detail: '', monthlyUsd: 73 },
    { key: 'load-balancers', kind: 'platform', detail: '', monthlyUsd: 41.61 },
    { key: 'volumes', kind: 'platform', detail: '', monthlyUsd: 20 },
  ],
  pools: [],
  models: [],
  monthlyUsd: 0,
  budgetUsd: 0,
  spotShare: 0,
};

describe('estimate against measured cost (OpenCost series in a real Prometheus)', () => {
  let prometheus: PrometheusProcess;
  let end: number;

  beforeAll(async () => {
    end = Math.floor(Date.now() / 1000 / STEP) * STEP;
    prometheus = await startPrometheus(openMetrics(end), 'cost-actual');
  }, 90_000);

  afterAll(() => prometheus?.stop());

  it('measures each line over the window as a monthly amount beside the estimate', async () => {
    const report = await actualCost(estimate, prometheus.url, { window: '1h', at: end });
    const line = (name: string) => report.lines.find((l) => l.line === name);
    expect(line('nodes')?.estimateUsd).toBe(292 + 438);
    expect(line('nodes')?.measuredUsd).toBeCloseTo((0.2 + 0.2 + 0.6) * 730, 6);
    expect(line('control-plane')?.measuredUsd).toBeCloseTo(0.1 * 730, 6);
    expect(line('load-balancers')?.measuredUsd).toBeCloseTo(2 * 0.025 * 730, 6);
    expect(line('volumes')?.measuredUsd).toBeCloseTo(0.0001 * 200 * 730, 6);
    // What the cluster cannot see keeps its estimate, with nothing measured.
    expect(line('cache')).toEqual({ line: 'cache', estimateUsd: 480 });
  });

  it('allocates by namespace and by team at each node’s rates', async () => {
    const report = await actualCost(estimate, prometheus.url, { window: '1h', at: end });
    const fraud = (2 * 0.03 + 4 * 0.004) * 730;
    const image = (1 * 0.03 + 8 * 0.004 + 0.4) * 730;
    const gateway = (0.5 * 0.03 + 1 * 0.004) * 730;
    expect(report.byNamespace.get('ml-serving')).toBeCloseTo(fraud + image, 6);
    expect(report.byNamespace.get('ml-platform')).toBeCloseTo(gateway, 6);
    expect(
      Object.fromEntries([...report.byTeam].map(([team, usd]) => [team, Math.round(usd * 100) / 100])),
    ).toEqual({
      fraud: Math.round(fraud * 100) / 100,
      vision: Math.round(image * 100) / 100,
      platform: Math.round(gateway * 100) / 100,
    });
    const text = formatActual(report, 'text');
    expect(text).toMatch(/^nodes\s+\$730\.00\s+\$730\.00\s+0 %$/m);
    expect(text).toMatch(/^load-balancers\s+\$41\.61\s+\$36\.50\s+−12 %$/m);
    expect(text).toMatch(/^cache\s+\$480\.00\s+–$/m);
  });

  it('exits 2 with a clear message when Prometheus cannot be reached', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join('tools', 'cost', 'cli.ts'),
        '--actual',
        '--prometheus',
        'http://127.0.0.1:1',
        '--cluster',
        'eks-prod',
      ],
      { encoding: 'utf8', cwd: join(__dirname, '..', '..', '..') },
    );
    expect(run.stderr).toMatch(/cannot reach Prometheus at http:\/\/127\.0\.0\.1:1/);
    expect(run.status).toBe(2);
  });

  it('refuses --actual without a cluster, and an unknown cluster', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join('tools', 'cost', 'cli.ts'), '--actual', ...args], {
        encoding: 'utf8',
        cwd: join(__dirname, '..', '..', '..'),
      });
    const missing = cli('--prometheus', 'http://127.0.0.1:1');
    expect(missing.stderr).toMatch(/--actual needs --prometheus URL and --cluster NAME/);
    expect(missing.status).toBe(2);
    const unknown = cli('--prometheus', 'http://127.0.0.1:1', '--cluster', 'nope');
    expect(unknown.stderr).toMatch(/--cluster nope is not in the fleet \(eks-prod, gke-prod, aks-prod\)/);
    expect(unknown.status).toBe(2);
  });
});
