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

export const rollingUpdate: Rule = {
  id: 'ROLLING-UPDATE',
  severity: 'error',
  title: 'Deployments, StatefulSets and DaemonSets roll out pod by pod',
  rationale:
    'Recreate stops every replica before starting the new ones, and OnDelete never rolls out at all until someone ' +
    'deletes the pods by hand: either way a change in git is an outage or does not happen. Covers kube-linter’s ' +
    'no-rolling-update-strategy.',
  fix: 'Leave spec.strategy (Deployment) or spec.updateStrategy (StatefulSet, DaemonSet) at RollingUpdate.',
  check(object) {
    const spec = object.value.spec as
      | { strategy?: { type?: string }; updateStrategy?: { type?: string } }
      | undefined;
    const field =
      object.kind === 'Deployment'
        ? 'strategy'
        : ['StatefulSet', 'DaemonSet'].includes(object.kind)
          ? 'updateStrategy'
          : undefined;
    if (!field) return [];
    const type = spec?.[field]?.type;
    return type === undefined || type === 'RollingUpdate'
      ? []
      : [{ message: `spec.${field}.type is ${type}` }];
  },
};

export const jobCleanup: Rule = {
  id: 'JOB-TTL',
  severity: 'error',
  title: 'Standalone Jobs are cleaned up after they finish; CronJobs keep their history limits instead',
  rationale:
    'A finished Job and its pods stay until deleted; a standalone Job without ttlSecondsAfterFinished accumulates. ' +
    'A CronJob already keeps its last runs (successful/failedJobsHistoryLimit); a TTL on its jobTemplate deletes ' +
    'failed runs before anyone reads them. Covers kube-linter’s job-ttl-seconds-after-finished.',
  fix: 'Set spec.ttlSecondsAfterFinished on standalone Jobs; remove it from CronJob jobTemplates.',
  check(object) {
    if (object.kind === 'Job') {
      return (object.value.spec as { ttlSecondsAfterFinished?: number } | undefined)
        ?.ttlSecondsAfterFinished === undefined
        ? [{ message: 'spec.ttlSecondsAfterFinished is not set' }]
        : [];
    }
    if (object.kind === 'CronJob') {
      const ttl = (
        object.value.spec as { jobTemplate?: { spec?: { ttlSecondsAfterFinished?: number } } } | undefined
      )?.jobTemplate?.spec?.ttlSecondsAfterFinished;
      return ttl === undefined
        ? []
        : [{ message: `spec.jobTemplate.spec.ttlSecondsAfterFinished is ${ttl}` }];
    }
    return [];
  },
};

export const ownNamespace: Rule = {
  id: 'NAMESPACE',
  severity: 'error',
  title: 'Workloads and Services sit in a namespace of their own, never default',
  rationale:
    'The default namespace has none of the platform’s guardrails (Pod Security level, quota, default-deny ' +
    'NetworkPolicy) and is shared by whatever lands there. Covers kube-linter’s use-namespace (CIS 5.7.1, 5.7.4).',
  fix: 'Set metadata.namespace to the component’s namespace.',
  check(object) {
    if (!podTemplateOf(object) && object.kind !== 'Service') return [];
    return object.namespace === undefined || object.namespace === 'default'
      ? [{ message: `metadata.namespace is ${object.namespace ?? 'not set (default)'}` }]
      : [];
  },
};

export const WORKLOAD_RULES: readonly Rule[] = [
  selectorMatch,
  replicas,
  spread,
  rollingUpdate,
  jobCleanup,
  ownNamespace,
];
