/** Whether workloads stay up through node drains, upgrades and load: disruption budgets and autoscalers. */
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { describe, type ILabelSelector, podTemplateOf, selectorMatches } from '../kube';
import type { PolicyContext, PolicyObject, Rule } from '../types';
import { hpaSpec, minimumReplicas } from './replicas';

type PdbSpec = Partial<NonNullable<IPodDisruptionBudget['spec']>>;

function pdbSpec(object: PolicyObject): PdbSpec {
  return (object.value.spec ?? {}) as PdbSpec;
}

/** In policy/v1 an empty or absent PDB selector selects no pods. */
function pdbSelects(selector: ILabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  const empty = !selector?.matchLabels && !selector?.matchExpressions;
  return !empty && selectorMatches(selector as ILabelSelector, labels);
}

/** How many of `replicas` pods the budget lets an eviction take down (percentages round up, as the API does). */
export function allowedDisruptions(spec: PdbSpec, replicas: number): number {
  const scaled = (value: number | string) =>
    typeof value === 'number' ? value : Math.ceil((Number.parseFloat(value) * replicas) / 100);
  if (spec.maxUnavailable !== undefined) return scaled(spec.maxUnavailable);
  if (spec.minAvailable !== undefined) return replicas - scaled(spec.minAvailable);
  return replicas;
}

function coveringBudgets(object: PolicyObject, context: PolicyContext): PolicyObject[] {
  const template = podTemplateOf(object);
  if (!template) return [];
  return context
    .sameCluster(object)
    .filter(
      (candidate) =>
        candidate.kind === 'PodDisruptionBudget' &&
        candidate.namespace === object.namespace &&
        pdbSelects(pdbSpec(candidate).selector, template.labels),
    );
}

export const pdbCoverage: Rule = {
  id: 'PDB-COVERAGE',
  severity: 'error',
  title: 'Every workload with more than one replica is covered by exactly one PodDisruptionBudget',
  rationale:
    'Without a budget a node drain or cluster upgrade may evict every replica at once; with two budgets over the ' +
    'same pods the eviction API refuses to evict them at all and the drain hangs. Covers Polaris’ missingPodDisruptionBudget.',
  fix: 'Render one PodDisruptionBudget in the same namespace whose selector matches the pod template labels.',
  check(object, context) {
    const replicas = minimumReplicas(object, context);
    if (replicas === undefined || replicas < 2) return [];
    const budgets = coveringBudgets(object, context);
    if (budgets.length === 0)
      return [{ message: `runs ${replicas} replicas and no PodDisruptionBudget selects its pods` }];
    if (budgets.length > 1) {
      return [
        {
          message: `its pods are selected by ${budgets.length} PodDisruptionBudgets (${budgets.map((b) => b.name).join(', ')})`,
        },
      ];
    }
    return [];
  },
};

export const pdbAllowsDisruption: Rule = {
  id: 'PDB-ALLOWS-DISRUPTION',
  severity: 'error',
  title: 'Every PodDisruptionBudget lets at least one pod be evicted',
  rationale:
    'A budget that allows no disruption (maxUnavailable 0, minAvailable 100% or equal to the replicas) blocks ' +
    'node drains and cluster upgrades forever. Covers kube-linter’s pdb-max-unavailable and pdb-min-available, ' +
    'and Polaris’ pdbDisruptionsIsZero and pdbMinAvailableGreaterThanOrEqualToHPAMinReplicas.',
  fix: 'Use maxUnavailable: 1 (or a percentage), or a minAvailable below the workload’s minimum replicas.',
  check(object, context) {
    if (object.kind !== 'PodDisruptionBudget') return [];
    const spec = pdbSpec(object);
    const { maxUnavailable, minAvailable } = spec;
    if (maxUnavailable === 0 || maxUnavailable === '0%')
      return [{ message: `maxUnavailable is ${maxUnavailable}` }];
    if (minAvailable === '100%') return [{ message: 'minAvailable is 100%' }];
    return context
      .sameCluster(object)
      .filter((candidate) => candidate.namespace === object.namespace)
      .flatMap((workload) => {
        const template = podTemplateOf(workload);
        const replicas = minimumReplicas(workload, context);
        if (!template || replicas === undefined || !pdbSelects(spec.selector, template.labels)) return [];
        return allowedDisruptions(spec, replicas) < 1
          ? [{ message: `allows no eviction of ${describe(workload)} at its ${replicas} minimum replicas` }]
          : [];
      });
  },
};

export const pdbUnhealthyEviction: Rule = {
  id: 'PDB-UNHEALTHY-EVICTION',
  severity: 'warning',
  title: 'PodDisruptionBudgets let unhealthy pods be evicted (unhealthyPodEvictionPolicy: AlwaysAllow)',
  rationale:
    'With the default policy a crash-looping pod counts against the budget and blocks the drain that might fix it. ' +
    'Covers kube-linter’s pdb-unhealthy-pod-eviction-policy.',
  fix: 'Set spec.unhealthyPodEvictionPolicy: AlwaysAllow.',
  check(object) {
    if (object.kind !== 'PodDisruptionBudget') return [];
    const policy = pdbSpec(object).unhealthyPodEvictionPolicy;
    return policy === 'AlwaysAllow'
      ? []
      : [{ message: `unhealthyPodEvictionPolicy is ${policy ?? 'unset (IfHealthyBudget)'}` }];
  },
};

const SERVING_MIN_REPLICAS = 2;

export const hpaReplicas: Rule = {
  id: 'HPA-REPLICAS',
  severity: 'error',
  title: `HorizontalPodAutoscalers keep at least ${SERVING_MIN_REPLICAS} replicas and can scale above their minimum`,
  rationale:
    'Every autoscaled workload of the platform serves requests: one replica means every restart, eviction or ' +
    'zone loss is an outage; a maximum equal to the minimum cannot absorb load. Covers Polaris’ hpaMinAvailability ' +
    'and hpaMaxAvailability.',
  fix: `Set spec.minReplicas to ${SERVING_MIN_REPLICAS} or more and spec.maxReplicas above it (from the fleet’s model and gateway settings).`,
  check(object) {
    if (object.kind !== 'HorizontalPodAutoscaler') return [];
    const { minReplicas = 1, maxReplicas } = hpaSpec(object);
    return [
      ...(minReplicas < SERVING_MIN_REPLICAS ? [{ message: `minReplicas is ${minReplicas}` }] : []),
      ...(maxReplicas !== undefined && maxReplicas <= minReplicas
        ? [{ message: `maxReplicas ${maxReplicas} leaves no room above minReplicas ${minReplicas}` }]
        : []),
    ];
  },
};

export const hpaTarget: Rule = {
  id: 'HPA-TARGET',
  severity: 'error',
  title: 'HorizontalPodAutoscalers scale a workload rendered in the same namespace',
  rationale:
    'An autoscaler whose target does not exist scales nothing, and the workload it was meant for runs unscaled. Covers kube-linter’s dangling-horizontalpodautoscaler.',
  fix: 'Point spec.scaleTargetRef at the kind and name of the Deployment or StatefulSet, in the HPA’s namespace.',
  check(object, context) {
    if (object.kind !== 'HorizontalPodAutoscaler') return [];
    const target = hpaSpec(object).scaleTargetRef;
    const found = context
      .sameCluster(object)
      .some((c) => c.namespace === object.namespace && c.kind === target?.kind && c.name === target?.name);
    return found
      ? []
      : [
          {
            message: `scaleTargetRef ${target?.kind}/${target?.name} is not rendered in ${object.namespace}`,
          },
        ];
  },
};

export const AVAILABILITY_RULES: readonly Rule[] = [
  pdbCoverage,
  pdbAllowsDisruption,
  pdbUnhealthyEviction,
  hpaReplicas,
  hpaTarget,
];
