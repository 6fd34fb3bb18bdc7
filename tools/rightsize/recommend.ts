import type { ClusterSpec, Fleet, ModelResources } from '../../clusters/types';
import { MODEL_SERVING } from '../../platform/mesh/workloads';
import { instance, nodeMonthlyUsd, poolOf, replicaNodeShare } from '../cost/estimate';
import { PRICES, type PriceTable } from '../cost/prices';
import { cpuCores, formatCpu, formatMemory, memoryBytes } from '../cost/quantity';
import type { Sample } from './prometheus';

/** How far right-sizing may go; one place, so the CLI and its tests agree. */
export interface RightsizingPolicy {
  /** Added on top of the p95 use, as a share of it: room for a burst before the autoscaler reacts. */
  readonly headroom: number;
  /** Never recommend a CPU request below this, cores: TF Serving needs it to load a model in time. */
  readonly minCpuCores: number;
  /** Never recommend a memory request below this, bytes: model load peaks are not in a p95. */
  readonly minMemoryBytes: number;
  /** A recommendation within this share of the current request is not worth a rollout. */
  readonly tolerance: number;
}

export const DEFAULT_POLICY: RightsizingPolicy = {
  headroom: 0.2,
  minCpuCores: 0.25,
  minMemoryBytes: 512 * 1024 ** 2,
  tolerance: 0.1,
};

/** The container of a model-serving pod that runs TF Serving (apps/model-serving/model-server.ts). */
export const SERVING_CONTAINER = 'serving';

/** A Prometheus duration such as `7d` or `12h`. */
export function checkWindow(window: string): string {
  if (!/^\d+[smhdw]$/.test(window))
    throw new Error(`--window must be a duration such as 7d or 12h, got ${window}`);
  return window;
}

/**
 * The PromQL for the p95 use per serving pod over the window: CPU as the
 * 5-minute rate of cAdvisor's usage counter sampled every minute, memory as
 * the working set (what the OOM killer looks at).
 */
export function queries(window: string): { cpu: string; memory: string } {
  const selector = `namespace="${MODEL_SERVING.namespace}",container="${SERVING_CONTAINER}"`;
  return {
    cpu: `max by (pod) (quantile_over_time(0.95, rate(container_cpu_usage_seconds_total{${selector}}[5m])[${checkWindow(window)}:1m]))`,
    memory: `max by (pod) (quantile_over_time(0.95, container_memory_working_set_bytes{${selector}}[${checkWindow(window)}]))`,
  };
}

/** What to do with a request. */
export type Action = 'lower' | 'raise' | 'keep';

/** A recommendation for one model of one cluster. */
export interface Recommendation {
  readonly model: string;
  /** Pods the p95 was taken over. */
  readonly pods: number;
  readonly cpu: { current: string; p95: number; recommended: string; action: Action };
  readonly memory: { current: string; p95: number; recommended: string; action: Action };
  /** Monthly saving at the minimum replica count (negative when requests must grow). */
  readonly monthlySavingUsd: number;
}

/** The model a serving pod belongs to: pods are `<model>-v<version>-<replicaset hash>-<pod hash>`. */
export function modelOfPod(pod: string, models: readonly string[]): string | undefined {
  const match = /^(.+)-v\d+-[a-z0-9]+-[a-z0-9]+$/.exec(pod);
  return match && models.includes(match[1]) ? match[1] : undefined;
}

function decide(current: number, p95: number, floor: number, policy: RightsizingPolicy) {
  const recommended = Math.max(p95 * (1 + policy.headroom), floor);
  const change = (recommended - current) / current;
  const action: Action = Math.abs(change) < policy.tolerance ? 'keep' : change < 0 ? 'lower' : 'raise';
  return { recommended: action === 'keep' ? current : recommended, action };
}

/** Compares the p95 use per pod with the fleet's requests for every model the cluster serves. */
export function recommend(
  cluster: ClusterSpec,
  fleet: Fleet,
  usage: { cpu: readonly Sample[]; memory: readonly Sample[] },
  policy: RightsizingPolicy = DEFAULT_POLICY,
  table: PriceTable = PRICES,
): Recommendation[] {
  const names = cluster.models.map((m) => m.model);
  const peak = (samples: readonly Sample[], model: string) => {
    const values = samples.filter((s) => modelOfPod(s.labels.pod ?? '', names) === model).map((s) => s.value);
    return { pods: values.length, value: values.length > 0 ? Math.max(...values) : undefined };
  };
  return cluster.models.flatMap((deployment) => {
    const spec = fleet.models.find((m) => m.name === deployment.model);
    const cpu = peak(usage.cpu, deployment.model);
    const memory = peak(usage.memory, deployment.model);
    // No data, no advice: a model that did not run in the window says nothing about its needs.
    if (!spec || cpu.value === undefined || memory.value === undefined) return [];
    const r = spec.resources;
    const cpuDecision = decide(cpuCores(r.cpuRequest), cpu.value, policy.minCpuCores, policy);
    const memoryDecision = decide(memoryBytes(r.memoryRequest), memory.value, policy.minMemoryBytes, policy);
    const recommended: ModelResources = {
      ...r,
      cpuRequest: cpuDecision.action === 'keep' ? r.cpuRequest : formatCpu(cpuDecision.recommended),
      memoryRequest:
        memoryDecision.action === 'keep' ? r.memoryRequest : formatMemory(memoryDecision.recommended),
    };
    const pool = poolOf(cluster, spec.needsGpu);
    let saving = 0;
    if (pool) {
      const machine = instance(table.clouds[cluster.cloud], cluster, pool);
      const perNode = nodeMonthlyUsd(table, cluster, pool);
      saving =
        (replicaNodeShare(machine, r) - replicaNodeShare(machine, recommended)) *
        perNode *
        deployment.minReplicas;
    }
    return [
      {
        model: deployment.model,
        pods: Math.max(cpu.pods, memory.pods),
        cpu: {
          current: r.cpuRequest,
          p95: cpu.value,
          recommended: recommended.cpuRequest,
          action: cpuDecision.action,
        },
        memory: {
          current: r.memoryRequest,
          p95: memory.value,
          recommended: recommended.memoryRequest,
          action: memoryDecision.action,
        },
        monthlySavingUsd: Math.round(saving * 100) / 100,
      },
    ];
  });
}

/** The recommendations as a table for a terminal or a PR comment. */
export function formatRecommendations(cluster: string, recommendations: readonly Recommendation[]): string {
  if (recommendations.length === 0)
    return `${cluster}: no serving pods with data in the window; nothing to recommend.\n`;
  const lines = [`Right-sizing for ${cluster} (requests per replica, p95 use over the window):`];
  for (const r of recommendations) {
    lines.push(
      `  ${r.model} (${r.pods} pods)`,
      `    cpu     ${r.cpu.current} → ${r.cpu.recommended} (${r.cpu.action}; p95 ${r.cpu.p95.toFixed(3)} cores)`,
      `    memory  ${r.memory.current} → ${r.memory.recommended} (${r.memory.action}; p95 ${formatMemory(r.memory.p95)})`,
      `    saving  $${r.monthlySavingUsd.toFixed(2)} per month at minimum replicas`,
    );
  }
  const total = recommendations.reduce((sum, r) => sum + r.monthlySavingUsd, 0);
  lines.push(`Total: $${total.toFixed(2)} per month. Change the requests in clusters/models.ts.`);
  return `${lines.join('\n')}\n`;
}
