import type { ClusterSpec } from '../../clusters/types';

/**
 * The most nodes the cluster can have at once: every pool at its maximum, plus
 * one surge node per pool while the cloud upgrades it. A DaemonSet has a pod on each.
 */
export function maxNodes(cluster: ClusterSpec): number {
  return cluster.nodePools.reduce((sum, pool) => sum + pool.maxSize + 1, 0);
}

/** The total GPUs the cluster's GPU pools can hold at their maximum size. */
export function gpuCapacity(cluster: ClusterSpec): number {
  return cluster.nodePools.reduce((sum, pool) => sum + (pool.gpu ? pool.gpu.count * pool.maxSize : 0), 0);
}
