/** Who may talk to whom: NetworkPolicies and how Services are exposed. */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IService } from 'kubernetes-models/v1/Service';
import { PUBLIC_SERVICES } from '../exposure';
import { mapSelects, podTemplateOf, selectorMatches } from '../kube';
import type { PolicyContext, PolicyObject, Rule } from '../types';

type NetworkPolicySpec = Partial<NonNullable<INetworkPolicy['spec']>>;

function policiesIn(namespace: string | undefined, object: PolicyObject, context: PolicyContext) {
  return context
    .sameCluster(object)
    .filter((candidate) => candidate.kind === 'NetworkPolicy' && candidate.namespace === namespace)
    .map((policy) => ({ policy, spec: (policy.value.spec ?? {}) as NetworkPolicySpec }));
}

/** Policy types a NetworkPolicy applies, with the API's default when policyTypes is omitted. */
function policyTypes(spec: NetworkPolicySpec): string[] {
  return spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
}

export const networkPolicyCoverage: Rule = {
  id: 'NETPOL-COVERAGE',
  severity: 'error',
  title: 'Every pod is selected by a NetworkPolicy of its namespace',
  rationale:
    'A pod no NetworkPolicy selects accepts traffic from anywhere in the cluster (and across the mesh). ' +
    'Covers kube-linter’s non-isolated-pod and Polaris’ missingNetworkPolicy.',
  fix: 'Render the namespace’s default-deny NetworkPolicy (podSelector: {}) and allow what the pods need explicitly.',
  check(object, context) {
    const template = podTemplateOf(object);
    if (!template) return [];
    const selected = policiesIn(object.namespace, object, context).some(({ spec }) =>
      selectorMatches(spec.podSelector ?? {}, template.labels),
    );
    return selected
      ? []
      : [{ message: `no NetworkPolicy in namespace ${object.namespace ?? '(none)'} selects its pods` }];
  },
};

/** Whether the namespace denies all ingress and all egress by default, in one policy or two. */
function hasDefaultDeny(
  namespace: string | undefined,
  object: PolicyObject,
  context: PolicyContext,
): string[] {
  const denies = (direction: 'Ingress' | 'Egress') =>
    policiesIn(namespace, object, context).some(({ spec }) => {
      const selector = spec.podSelector ?? {};
      const selectsAll =
        Object.keys(selector.matchLabels ?? {}).length === 0 &&
        (selector.matchExpressions ?? []).length === 0;
      const rules = direction === 'Ingress' ? spec.ingress : spec.egress;
      return selectsAll && policyTypes(spec).includes(direction) && (rules ?? []).length === 0;
    });
  return (['Ingress', 'Egress'] as const).filter((direction) => !denies(direction));
}

export const networkPolicyDefaultDeny: Rule = {
  id: 'NETPOL-DEFAULT-DENY',
  severity: 'error',
  title: 'Every namespace denies ingress and egress by default',
  rationale:
    'With a default deny, traffic flows only where an allow rule says so, and a new workload starts isolated ' +
    'instead of open.',
  fix: 'Render a NetworkPolicy with podSelector: {}, policyTypes [Ingress, Egress] and no rules in the namespace.',
  check(object, context) {
    // Checked on the Namespace object; for workloads only when their namespace is not rendered here.
    const namespace =
      object.kind === 'Namespace' ? object.name : podTemplateOf(object) ? object.namespace : undefined;
    if (namespace === undefined) return [];
    if (
      object.kind !== 'Namespace' &&
      context.sameCluster(object).some((c) => c.kind === 'Namespace' && c.name === namespace)
    ) {
      return [];
    }
    const missing = hasDefaultDeny(namespace, object, context);
    return missing.length > 0
      ? [{ message: `namespace ${namespace} has no default-deny NetworkPolicy for ${missing.join(' and ')}` }]
      : [];
  },
};

function serviceSpec(object: PolicyObject): Partial<NonNullable<IService['spec']>> {
  return (object.value.spec ?? {}) as Partial<NonNullable<IService['spec']>>;
}

export const serviceExposure: Rule = {
  id: 'SERVICE-EXPOSURE',
  severity: 'error',
  title: 'Load balancers are internal unless listed as public; no NodePorts or externalIPs',
  rationale:
    'A public load balancer puts a service on the internet; only the entry points in tools/policy/exposure.ts ' +
    'are meant to be there. NodePorts open a port on every node, and externalIPs let a Service capture traffic ' +
    'for any address (CVE-2020-8554). Covers kube-linter’s exposed-services.',
  fix: 'Use type ClusterIP, or add the cloud profile’s loadBalancerAnnotations("internal") to the Service.',
  check(object, context) {
    if (object.kind !== 'Service') return [];
    const spec = serviceSpec(object);
    const problems: string[] = [];
    if (spec.type === 'NodePort') problems.push('type is NodePort');
    if ((spec.externalIPs ?? []).length > 0) problems.push(`externalIPs ${spec.externalIPs?.join(', ')}`);
    if (spec.type === 'LoadBalancer') {
      const listed = PUBLIC_SERVICES.some((s) => s.namespace === object.namespace && s.name === object.name);
      const profile = context.profileOf(object);
      const profiles = profile ? [profile] : context.allProfiles();
      const annotations = object.value.metadata?.annotations ?? {};
      const internal = profiles.some((p) =>
        Object.entries(p.loadBalancerAnnotations('internal')).every(
          ([key, value]) => annotations[key] === value,
        ),
      );
      if (!listed && !internal) {
        problems.push(
          'type is LoadBalancer without the internal load balancer annotations of ' +
            (profile ? `the ${profile.cloud} profile` : 'any cloud profile'),
        );
      }
    }
    return problems.map((message) => ({ message }));
  },
};

export const serviceSelector: Rule = {
  id: 'SERVICE-SELECTOR',
  severity: 'error',
  title: 'Every Service with a selector selects pods rendered in its namespace',
  rationale:
    'A Service that selects nothing has no endpoints: callers get connection errors, not the workload. Covers kube-linter’s dangling-service.',
  fix: 'Make spec.selector match the pod template labels of the workload it fronts.',
  check(object, context) {
    if (object.kind !== 'Service') return [];
    const selector = serviceSpec(object).selector;
    if (!selector || Object.keys(selector).length === 0) return []; // endpoints managed elsewhere, or ExternalName
    const selects = context.sameCluster(object).some((candidate) => {
      const template = candidate.namespace === object.namespace ? podTemplateOf(candidate) : undefined;
      return template?.longRunning === true && mapSelects(selector, template.labels);
    });
    return selects
      ? []
      : [{ message: `spec.selector ${JSON.stringify(selector)} selects no pods in ${object.namespace}` }];
  },
};

export const NETWORK_RULES: readonly Rule[] = [
  networkPolicyCoverage,
  networkPolicyDefaultDeny,
  serviceExposure,
  serviceSelector,
];
