/**
 * The series OpenCost exports on its `/metrics` (pkg/costmodel/metrics.go, `initCostModelMetrics`),
 * with the labels the dashboard and alerts group by. Plain data: the monitoring dashboards, the cost
 * alerts and their tests read it.
 */
export const OPENCOST_SERIES = {
  /** Hourly price of each node (labels node, instance_type, region, provider_id). */
  nodeTotalHourlyCost: 'node_total_hourly_cost',
  /** Hourly price of one CPU, one GiB of memory and one GPU of each node (label node). */
  nodeCpuHourlyCost: 'node_cpu_hourly_cost',
  nodeRamHourlyCost: 'node_ram_hourly_cost',
  nodeGpuHourlyCost: 'node_gpu_hourly_cost',
  /** Hourly price of one GiB of each persistent volume (label persistentvolume). */
  pvHourlyCost: 'pv_hourly_cost',
  /** What each container is allocated (labels namespace, pod, container, node): CPUs, bytes, GPUs. */
  containerCpuAllocation: 'container_cpu_allocation',
  containerMemoryAllocationBytes: 'container_memory_allocation_bytes',
  containerGpuAllocation: 'container_gpu_allocation',
  /** The cloud's hourly fee for the managed control plane. */
  clusterManagementCost: 'kubecost_cluster_management_cost',
  /** Hourly price of each load balancer (labels namespace, service_name). */
  loadBalancerCost: 'kubecost_load_balancer_cost',
} as const;

/** Every series name OpenCost exports that the platform reads. */
export const OPENCOST_SERIES_NAMES: readonly string[] = Object.values(OPENCOST_SERIES);

/**
 * The series kube-state-metrics exports that the cost queries join: each pod's labels (the `team`
 * label as `label_team`) and each volume's capacity.
 */
export const KUBE_STATE_SERIES = {
  podLabels: 'kube_pod_labels',
  persistentVolumeCapacityBytes: 'kube_persistentvolume_capacity_bytes',
} as const;

const GIB = 1073741824;

/** The parts of the cluster's hourly cost OpenCost prices, each a PromQL expression in USD an hour. */
export const COST_PARTS = {
  nodes: `sum(${OPENCOST_SERIES.nodeTotalHourlyCost})`,
  // pv_hourly_cost is per GiB: times each volume's capacity from kube-state-metrics.
  volumes: `sum(${OPENCOST_SERIES.pvHourlyCost} * on (persistentvolume) group_left () (${KUBE_STATE_SERIES.persistentVolumeCapacityBytes} / ${GIB}))`,
  loadBalancers: `sum(${OPENCOST_SERIES.loadBalancerCost})`,
  controlPlane: `sum(${OPENCOST_SERIES.clusterManagementCost})`,
} as const;

/**
 * The cluster's hourly cost as OpenCost prices it: nodes, and volumes, load balancers and the control
 * plane where the cluster has them (a part with no series counts as nothing, not as the whole sum missing).
 */
export const CLUSTER_HOURLY_COST = [
  COST_PARTS.nodes,
  `(${COST_PARTS.volumes} or vector(0))`,
  `(${COST_PARTS.loadBalancers} or vector(0))`,
  `(${COST_PARTS.controlPlane} or vector(0))`,
].join(' + ');

/**
 * The hourly cost of what each container is allocated (CPU, memory, GPUs) priced at its node's
 * rates, summed by namespace or by the pods' `team` label (joined from kube_pod_labels). Each part
 * is labelled with its resource before the union, so a cluster without GPUs still sums its CPU and
 * memory.
 */
export function allocationHourlyCost(by: 'namespace' | 'team'): string {
  const s = OPENCOST_SERIES;
  const join =
    by === 'team' ? ` * on (namespace, pod) group_left (label_team) ${KUBE_STATE_SERIES.podLabels}` : '';
  const group = by === 'team' ? 'label_team' : 'namespace';
  const parts = [
    ['cpu', `${s.containerCpuAllocation} * on (node) group_left () ${s.nodeCpuHourlyCost}`],
    [
      'memory',
      `${s.containerMemoryAllocationBytes} / ${GIB} * on (node) group_left () ${s.nodeRamHourlyCost}`,
    ],
    ['gpu', `${s.containerGpuAllocation} * on (node) group_left () ${s.nodeGpuHourlyCost}`],
  ].map(([resource, cost]) => `label_replace(${cost}${join}, "resource", "${resource}", "", "")`);
  return `sum by (${group}) (${parts.join(' or ')})`;
}
