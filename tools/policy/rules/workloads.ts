/** The shape of workload controllers: selectors, replica counts and spreading. */
import { type ILabelSelector, podTemplateOf, REPLICATED_KINDS, selectorMatches } from '../kube';
import type { Rule } from '../types';
import { minimumReplicas } from './replicas';

/** Controllers whose selector must select their own template (Jobs generate theirs). */
const SELECTOR_KINDS = new Set([...REPLICATED_KINDS, 'DaemonSet']);

export const selectorMatch: Rule = {
  id: 'SELECTOR-MATCH',
  severity: 'error',
  title: 'A controller’s selector selects the pods of its own template',
  rationale:
    'The API server rejects a controller whose selector does not match its template, so the sync fails in the ' +
    'cluster; a schema check cannot see it. Covers kube-linter’s mismatching-selector.',
  fix: 'Make spec.selector.matchLabels a subset of spec.template.metadata.labels.',
  check(object) {
    if (!SELECTOR_KINDS.has(object.kind)) return [];
    const template = podTemplateOf(object);
    const selector = (object.value.spec as { selector?: ILabelSelector } | undefined)?.selector;
    if (!template) return [];
    if (!selector || (!selector.matchLabels && !selector.matchExpressions))
      return [{ message: 'spec.selector is empty' }];
    return selectorMatches(selector, template.labels)
      ? []
      : [{ message: 'spec.selector does not select spec.template.metadata.labels' }];
  },
};

export const replicas: Rule = {
  id: 'REPLICAS',
  severity: 'warning',
  title: 'Deployments and StatefulSets run at least two replicas (or an autoscaler keeps two)',
  rationale:
    'A single replica is down during every rollout, eviction and node failure. Covers Polaris’ deploymentMissingReplicas.',
  fix: 'Set spec.replicas to 2 or more, or scale it with an HPA whose minReplicas is 2 or more.',
  check(object, context) {
    const count = minimumReplicas(object, context);
    return count !== undefined && count < 2 ? [{ message: `runs ${count} replica` }] : [];
  },
};

export const spread: Rule = {
  id: 'SPREAD',
  severity: 'warning',
  title: 'Replicas are spread across nodes and zones',
  rationale:
    'Replicas the scheduler packs onto one node or zone fail together. Covers kube-linter’s no-anti-affinity and ' +
    'Polaris’ topologySpreadConstraint.',
  fix: 'Add topologySpreadConstraints on topology.kubernetes.io/zone (and/or kubernetes.io/hostname) selecting the pods.',
  check(object, context) {
    const count = minimumReplicas(object, context);
    const template = podTemplateOf(object);
    if (!template || count === undefined || count < 2) return [];
    const spreads = (template.spec.topologySpreadConstraints ?? []).length > 0;
    const antiAffinity = template.spec.affinity?.podAntiAffinity !== undefined;
    return spreads || antiAffinity
      ? []
      : [{ message: `${count} replicas without topologySpreadConstraints or podAntiAffinity` }];
  },
};

export const WORKLOAD_RULES: readonly Rule[] = [selectorMatch, replicas, spread];
