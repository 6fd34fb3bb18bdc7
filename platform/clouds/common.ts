import type { ClusterSpec, NodePool, Taint } from '../../clusters/types';
import type { Team } from '../kernel/contribution';
import type { NodePlacement, SpotPair, Toleration } from './profile';

/**
 * The team that owns what the cloud profiles install (the load balancer controller,
 * metrics-server, the GPU device plugin, cluster-autoscaler): the team of the base component and
 * of the cloud add-ons that install them, and the `team` label of their pods.
 */
export const CLOUD_CONTROLLERS_TEAM: Team = 'platform';

/** One toleration per taint, matching its value exactly (or any value when it has none). */
export function tolerationsFor(taints: readonly Taint[]): Toleration[] {
  return taints.map((taint) =>
    taint.value === ''
      ? { key: taint.key, operator: 'Exists', effect: taint.effect }
      : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect },
  );
}

/** Taints in a stable order with duplicates removed (the cloud may add one the fleet also sets). */
export function mergeTaints(...lists: (readonly Taint[])[]): Taint[] {
  const byKey = new Map<string, Taint>();
  for (const taint of lists.flat()) byKey.set(`${taint.key}:${taint.effect}`, taint);
  return [...byKey.values()];
}

/** Node placement from the cloud's pool label and the pool's taints. */
export function placement(poolLabel: string, poolName: string, taints: readonly Taint[]): NodePlacement {
  return { nodeSelector: { [poolLabel]: poolName }, tolerations: tolerationsFor(taints) };
}

export function isSpot(pool: NodePool): boolean {
  return pool.capacityType === 'spot';
}

/** The label each cloud's node pools put on their nodes with the pool's role (infra/). */
export const POOL_ROLE_LABEL = 'platform.ml/pool-role';

/** Every spot pool of the cluster paired with the on-demand pool the fleet names as its fallback. */
export function spotPairs(cluster: ClusterSpec): SpotPair[] {
  return cluster.nodePools.flatMap((fallback) => {
    const spot = cluster.nodePools.find((p) => p.name === fallback.fallbackFor && isSpot(p));
    return spot ? [{ spot, fallback }] : [];
  });
}

/**
 * Placement on a pool: pinned to it by the cloud's pool label, except for the
 * pools of a spot pair. Pods for either go by role onto both, tolerating both
 * pools' taints, so that nodes the autoscaler adds to the fallback when spot is
 * gone can take them; the autoscaler's priorities keep spot the first choice.
 */
export function poolPlacement(
  cluster: ClusterSpec,
  pool: NodePool,
  poolLabel: string,
  poolLabelValue: (pool: NodePool) => string,
  taintsOf: (pool: NodePool) => readonly Taint[],
): NodePlacement {
  const pair = spotPairs(cluster).find((p) => p.spot.name === pool.name || p.fallback.name === pool.name);
  if (!pair) return placement(poolLabel, poolLabelValue(pool), taintsOf(pool));
  return {
    nodeSelector: { [POOL_ROLE_LABEL]: pool.role },
    tolerations: tolerationsFor(mergeTaints(taintsOf(pair.spot), taintsOf(pair.fallback))),
  };
}

/** The CSI drivers that provision a cloud's StorageClasses, each once: the drivers whose volumes are snapshotted. */
export function storageDrivers(
  classes: Readonly<Record<string, { readonly provisioner: string }>>,
): string[] {
  return [...new Set(Object.values(classes).map((c) => c.provisioner))].sort();
}
