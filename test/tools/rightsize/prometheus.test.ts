import { loadDeclaredFleet } from '../../../clusters';
import { instantQuery } from '../../../tools/rightsize/prometheus';
import { DEFAULT_POLICY, queries, recommend } from '../../../tools/rightsize/recommend';
import { type PrometheusProcess, startPrometheus } from '../prometheus-process';

/**
 * Right-sizing against a real Prometheus (Debian package `prometheus`): its
 * TSDB is filled with synthetic cAdvisor series by promtool, and it listens on
 * 127.0.0.1 only. Missing binaries fail the test: CI installs the package.
 */

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const STEP = 60;
const SAMPLES = 120;

/** Serving pods with a constant CPU rate (cores) and working set (bytes). */
const PODS = [
  { namespace: 'ml-serving', pod: 'fraud-detector-v3-7d9f8c6b5-abcde', cpu: 0.3, memory: 600 * MIB },
  { namespace: 'ml-serving', pod: 'fraud-detector-v4-5c6b7d8e9-fghij', cpu: 0.4, memory: 500 * MIB },
  { namespace: 'ml-serving', pod: 'image-classifier-v7-6b5d4c3f2-klmno', cpu: 1.2, memory: 7.5 * GIB },
  // Another namespace's container of the same name: never counted.
  { namespace: 'monitoring', pod: 'fraud-detector-v3-aaaaaaaaa-zzzzz', cpu: 9, memory: 60 * GIB },
];

function openMetrics(end: number): string {
  const start = end - (SAMPLES - 1) * STEP;
  const lines: string[] = [];
  const labels = (p: (typeof PODS)[number]) =>
    `{namespace="${p.namespace}",pod="${p.pod}",container="serving"}`;
  for (const p of PODS)
    for (let i = 0; i < SAMPLES; i++)
      lines.push(
        `container_cpu_usage_seconds_total${labels(p)} ${(p.cpu * i * STEP).toFixed(3)} ${start + i * STEP}`,
      );
  for (const p of PODS)
    for (let i = 0; i < SAMPLES; i++)
      lines.push(`container_memory_working_set_bytes${labels(p)} ${p.memory} ${start + i * STEP}`);
  return `${lines.join('\n')}\n# EOF\n`;
}

describe('right-sizing against a real Prometheus', () => {
  let prometheus: PrometheusProcess;
  let url: string;
  let end: number;

  beforeAll(async () => {
    // Recent data: Prometheus drops blocks older than its retention when it starts.
    end = Math.floor(Date.now() / 1000 / STEP) * STEP;
    prometheus = await startPrometheus(openMetrics(end), 'rightsize');
    url = prometheus.url;
  }, 90_000);

  afterAll(() => prometheus?.stop());

  it('reads the p95 use per serving pod in the window', async () => {
    const { cpu, memory } = queries('1h');
    const cpuUse = await instantQuery(url, cpu, { at: end });
    const byPod = Object.fromEntries(cpuUse.map((s) => [s.labels.pod, s.value]));
    expect(Object.keys(byPod).sort()).toEqual(PODS.slice(0, 3).map((p) => p.pod));
    expect(byPod['fraud-detector-v3-7d9f8c6b5-abcde']).toBeCloseTo(0.3, 6);
    expect(byPod['image-classifier-v7-6b5d4c3f2-klmno']).toBeCloseTo(1.2, 6);
    const memoryUse = await instantQuery(url, memory, { at: end });
    expect(memoryUse.find((s) => s.labels.pod.startsWith('fraud-detector-v4'))?.value).toBe(500 * MIB);
  });

  it('recommends lower and higher requests with the saving, from the fleet and the price table', async () => {
    const fleet = loadDeclaredFleet();
    const cluster = fleet.clusters.find((c) => c.name === 'eks-prod');
    if (!cluster) throw new Error('eks-prod is not in the fleet');
    const { cpu, memory } = queries('1h');
    const usage = {
      cpu: await instantQuery(url, cpu, { at: end }),
      memory: await instantQuery(url, memory, { at: end }),
    };
    const [fraud, image] = recommend(cluster, fleet, usage);
    // fraud-detector requests 1 CPU and 2Gi; its busiest pod uses 0.4 cores and 600Mi: + 20 % headroom.
    expect(fraud.cpu).toMatchObject({ current: '1', recommended: '480m', action: 'lower' });
    expect(fraud.memory).toMatchObject({ current: '2Gi', recommended: '720Mi', action: 'lower' });
    // On c6i.4xlarge spot ($0.68 × 730 h × 0.35 = $173.74 a node, 14.4 vCPU allocatable):
    // (1 − 0.48) / 14.4 of a node × $173.74 × 2 replicas.
    expect(fraud.monthlySavingUsd).toBeCloseTo(12.55, 2);
    expect(fraud.pods).toBe(2);
    // image-classifier: 1.2 cores of 2 requested; 7.5Gi × 1.2 = 9Gi is above its 8Gi: raise.
    expect(image.cpu).toMatchObject({ current: '2', recommended: '1440m', action: 'lower' });
    expect(image.memory).toMatchObject({ current: '8Gi', recommended: '9Gi', action: 'raise' });
    // It fills its GPU node whatever its CPU: no saving.
    expect(image.monthlySavingUsd).toBe(0);
  });

  it('answers a bad query with Prometheus’ own error', async () => {
    await expect(instantQuery(url, 'rate(', { at: end })).rejects.toThrow(/Prometheus refused rate\(/);
  });
});

describe('right-sizing safety floor', () => {
  it('never recommends below the floor, however idle the model', () => {
    const fleet = loadDeclaredFleet();
    const cluster = fleet.clusters[0];
    const pod = 'fraud-detector-v3-7d9f8c6b5-abcde';
    const [fraud] = recommend(cluster, fleet, {
      cpu: [{ labels: { pod }, value: 0.001 }],
      memory: [{ labels: { pod }, value: 10 * MIB }],
    });
    expect(fraud.cpu.recommended).toBe('250m');
    expect(fraud.memory.recommended).toBe(`${DEFAULT_POLICY.minMemoryBytes / MIB}Mi`);
  });
});
