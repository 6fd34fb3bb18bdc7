import type { NodePool, Taint } from '../../clusters/types';
import type { NodePlacement, Toleration } from './profile';

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
