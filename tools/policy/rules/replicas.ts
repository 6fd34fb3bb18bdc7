import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { REPLICATED_KINDS } from '../kube';
import type { PolicyContext, PolicyObject } from '../types';

export type HpaSpec = Partial<NonNullable<IHorizontalPodAutoscaler['spec']>>;

export function hpaSpec(object: PolicyObject): HpaSpec {
  return (object.value.spec ?? {}) as HpaSpec;
}

/** HorizontalPodAutoscalers in the same cluster and namespace that scale the object. */
export function autoscalersOf(object: PolicyObject, context: PolicyContext): PolicyObject[] {
  return context.sameCluster(object).filter((candidate) => {
    if (candidate.kind !== 'HorizontalPodAutoscaler' || candidate.namespace !== object.namespace)
      return false;
    const target = hpaSpec(candidate).scaleTargetRef;
    return target?.kind === object.kind && target?.name === object.name;
  });
}

/**
 * The fewest replicas a workload runs in steady state: the autoscaler's
 * minimum when one scales it, else spec.replicas (default 1). Undefined for
 * kinds without replicas (DaemonSet, Job, Pod).
 */
export function minimumReplicas(object: PolicyObject, context: PolicyContext): number | undefined {
  if (!REPLICATED_KINDS.has(object.kind)) return undefined;
  const [autoscaler] = autoscalersOf(object, context);
  if (autoscaler) return hpaSpec(autoscaler).minReplicas ?? 1;
  return (object.value.spec as { replicas?: number } | undefined)?.replicas ?? 1;
}
