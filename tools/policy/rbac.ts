/**
 * What each subject (ServiceAccount, User, Group) can do through the RBAC objects of one cluster:
 * its RoleBindings and ClusterRoleBindings, resolved over the Roles and ClusterRoles together,
 * aggregated ClusterRoles filled from the ClusterRoles their label selectors match (as the
 * API server's aggregation controller does), and the built-in ClusterRoles the bindings may name.
 *
 * What this cannot see: RBAC that upstream Helm charts (Argo CD, kube-prometheus-stack,
 * external-secrets, ECK, Istio, …) render inside the cluster from their values, and RBAC the
 * clouds install themselves. Those objects are not in dist/; a rendered binding to a role that is
 * neither rendered nor built-in is reported as unknown rather than assumed harmless.
 */
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import type { IRoleRef } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleRef';
import type { ISubject } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Subject';
import { type ILabelSelector, podTemplateOf, selectorMatches } from './kube';
import type { PolicyObject, RbacIndex, RbacSubject, ResolvedBinding } from './types';

const RBAC_API = 'rbac.authorization.k8s.io/';

export const isRole = (object: PolicyObject) =>
  (object.kind === 'Role' || object.kind === 'ClusterRole') && object.apiVersion.startsWith(RBAC_API);
export const isBinding = (object: PolicyObject) =>
  (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') &&
  object.apiVersion.startsWith(RBAC_API);
export const rulesOf = (object: PolicyObject) => (object.value.rules ?? []) as IPolicyRule[];

/**
 * The built-in ClusterRoles a binding may name without rendering them, with the grants that
 * matter to the checks (summarised from Kubernetes' bootstrap policy, plugin/pkg/auth/authorizer/
 * rbac/bootstrappolicy/policy.go) and the aggregation label each one collects. admin collects
 * edit and edit collects view, so a rendered ClusterRole labelled for view reaches all three.
 */
interface BuiltInRole {
  readonly rules: readonly IPolicyRule[];
  /** The label whose ClusterRoles the API server aggregates into this one. */
  readonly aggregatesLabel?: string;
  /** Built-in roles this one aggregates as well (through their own aggregation labels). */
  readonly includes?: readonly string[];
}

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ = ['get', 'list', 'watch'];

export const BUILT_IN_CLUSTER_ROLES: Readonly<Record<string, BuiltInRole>> = {
  'cluster-admin': {
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
  },
  admin: {
    aggregatesLabel: 'rbac.authorization.k8s.io/aggregate-to-admin',
    includes: ['edit'],
    rules: [
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['roles', 'rolebindings'],
        verbs: [...READ, ...WRITE],
      },
    ],
  },
  edit: {
    aggregatesLabel: 'rbac.authorization.k8s.io/aggregate-to-edit',
    includes: ['view'],
    rules: [
      {
        apiGroups: [''],
        resources: [
          'pods/attach',
          'pods/proxy',
          'pods/exec',
          'pods/portforward',
          'secrets',
          'services/proxy',
        ],
        verbs: READ,
      },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
      {
        apiGroups: [''],
        resources: [
          'pods',
          'pods/attach',
          'pods/proxy',
          'pods/exec',
          'pods/portforward',
          'secrets',
          'serviceaccounts',
        ],
        verbs: WRITE,
      },
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
      {
        apiGroups: ['apps'],
        resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
        verbs: WRITE,
      },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
    ],
  },
  view: {
    aggregatesLabel: 'rbac.authorization.k8s.io/aggregate-to-view',
    // Reads workloads and their configuration; deliberately not Secrets.
    rules: [
      { apiGroups: [''], resources: ['pods', 'configmaps', 'services', 'endpoints'], verbs: READ },
      { apiGroups: ['apps', 'batch'], resources: ['*'], verbs: READ },
    ],
  },
};

export function subjectKey(subject: RbacSubject): string {
  return subject.kind === 'ServiceAccount'
    ? `ServiceAccount ${subject.namespace}/${subject.name}`
    : `${subject.kind} ${subject.name}`;
}

function labelsOf(object: PolicyObject): Readonly<Record<string, string>> {
  return object.value.metadata?.labels ?? {};
}

function aggregationSelectors(object: PolicyObject): ILabelSelector[] {
  const rule = object.value.aggregationRule as { clusterRoleSelectors?: ILabelSelector[] } | undefined;
  return rule?.clusterRoleSelectors ?? [];
}

/** Builds the index over one cluster's objects; rules query it per object. */
export function createRbacIndex(objects: readonly PolicyObject[]): RbacIndex {
  const clusterRoles = new Map<string, PolicyObject>();
  const roles = new Map<string, PolicyObject>();
  const bindings: PolicyObject[] = [];
  const workloads = new Map<string, PolicyObject[]>();
  for (const object of objects) {
    if (isRole(object)) {
      if (object.kind === 'ClusterRole') clusterRoles.set(object.name, object);
      else roles.set(`${object.namespace}/${object.name}`, object);
    } else if (isBinding(object)) {
      bindings.push(object);
    } else {
      const template = podTemplateOf(object);
      if (template) {
        const key = `${object.namespace}/${template.spec.serviceAccountName ?? 'default'}`;
        workloads.set(key, [...(workloads.get(key) ?? []), object]);
      }
    }
  }

  /** Rendered ClusterRoles whose labels a selector matches (an empty selector matches none here, as in the controller's use). */
  const matching = (selectors: readonly ILabelSelector[], self: string) =>
    [...clusterRoles.values()].filter(
      (candidate) =>
        candidate.name !== self &&
        selectors.some(
          (selector) =>
            (selector.matchLabels || selector.matchExpressions) &&
            selectorMatches(selector, labelsOf(candidate)),
        ),
    );

  const numbered = (rules: readonly IPolicyRule[], source: string) =>
    rules.map((rule, i) => ({ rule, source: `${source} rules[${i}]` }));

  const clusterRoleCache = new Map<string, { rule: IPolicyRule; source: string }[] | undefined>();
  /** The rules a ClusterRole grants, aggregation included; undefined when no such role exists. */
  const clusterRoleRules = (
    name: string,
    seen = new Set<string>(),
  ): { rule: IPolicyRule; source: string }[] | undefined => {
    if (clusterRoleCache.has(name)) return clusterRoleCache.get(name);
    if (seen.has(name)) return [];
    seen.add(name);
    const rendered = clusterRoles.get(name);
    const builtIn = BUILT_IN_CLUSTER_ROLES[name];
    let result: { rule: IPolicyRule; source: string }[] | undefined;
    if (rendered) {
      const selectors = aggregationSelectors(rendered);
      result =
        selectors.length > 0
          ? // A member may itself be aggregated: its rules are what the controller filled it with.
            matching(selectors, name).flatMap((member) =>
              (clusterRoleRules(member.name, seen) ?? []).map((grant) => ({
                ...grant,
                source: `${grant.source} (aggregated into ${name})`,
              })),
            )
          : numbered(rulesOf(rendered), `ClusterRole ${name}`);
    } else if (builtIn) {
      const label = builtIn.aggregatesLabel;
      result = [
        ...numbered(builtIn.rules, `ClusterRole ${name} (built-in)`),
        ...(builtIn.includes ?? []).flatMap((included) => clusterRoleRules(included, seen) ?? []),
        ...(label
          ? matching([{ matchLabels: { [label]: 'true' } }], name).flatMap((member) =>
              (clusterRoleRules(member.name, seen) ?? []).map((grant) => ({
                ...grant,
                source: `${grant.source} (aggregated into built-in ${name})`,
              })),
            )
          : []),
      ];
    }
    clusterRoleCache.set(name, result);
    return result;
  };

  const resolved = new Map<PolicyObject, ResolvedBinding>();
  for (const binding of bindings) {
    const roleRef = (binding.value.roleRef ?? {}) as Partial<IRoleRef>;
    const clusterWide = binding.kind === 'ClusterRoleBinding';
    const namespace = clusterWide ? undefined : binding.namespace;
    let rules: { rule: IPolicyRule; source: string }[] | undefined;
    if (roleRef.kind === 'Role' && !clusterWide) {
      const role = roles.get(`${binding.namespace}/${roleRef.name}`);
      rules = role ? numbered(rulesOf(role), `Role ${binding.namespace}/${roleRef.name}`) : undefined;
    } else if (roleRef.kind === 'ClusterRole' && roleRef.name) {
      rules = clusterRoleRules(roleRef.name);
    }
    const subjects = ((binding.value.subjects ?? []) as ISubject[]).map((subject) => ({
      kind: subject.kind,
      name: subject.name,
      ...(subject.kind === 'ServiceAccount' ? { namespace: subject.namespace ?? binding.namespace } : {}),
    }));
    resolved.set(binding, {
      binding,
      subjects,
      grants: (rules ?? []).map((grant) => ({ ...grant, ...(namespace ? { namespace } : {}) })),
      ...(rules === undefined
        ? { unknownRole: `${roleRef.kind ?? '(no kind)'} ${roleRef.name ?? '(no name)'}` }
        : {}),
    });
  }

  let bySubject: Map<string, { subject: RbacSubject; bindings: ResolvedBinding[] }> | undefined;
  return {
    resolve: (binding) => resolved.get(binding),
    subjects() {
      if (!bySubject) {
        bySubject = new Map();
        for (const entry of resolved.values()) {
          for (const subject of entry.subjects) {
            const key = subjectKey(subject);
            const found = bySubject.get(key) ?? { subject, bindings: [] };
            found.bindings.push(entry);
            bySubject.set(key, found);
          }
        }
      }
      return bySubject;
    },
    aggregatesIntoBuiltIn(clusterRole) {
      if (clusterRole.kind !== 'ClusterRole') return [];
      const labels = labelsOf(clusterRole);
      const direct = Object.entries(BUILT_IN_CLUSTER_ROLES)
        .filter(([, role]) => role.aggregatesLabel && labels[role.aggregatesLabel] === 'true')
        .map(([name]) => name);
      // admin includes edit, which includes view: a role aggregated into view reaches all three.
      const reached = new Set(direct);
      for (let grew = true; grew; ) {
        grew = false;
        for (const [name, role] of Object.entries(BUILT_IN_CLUSTER_ROLES)) {
          if (!reached.has(name) && (role.includes ?? []).some((included) => reached.has(included))) {
            reached.add(name);
            grew = true;
          }
        }
      }
      return [...reached].sort();
    },
    workloadsOf: (namespace, serviceAccount) => workloads.get(`${namespace}/${serviceAccount}`) ?? [],
    isBound(role) {
      const named = bindings.some((binding) => {
        const roleRef = (binding.value.roleRef ?? {}) as Partial<IRoleRef>;
        if (roleRef.name !== role.name || roleRef.kind !== role.kind) return false;
        return (
          role.kind === 'ClusterRole' ||
          (binding.kind === 'RoleBinding' && binding.namespace === role.namespace)
        );
      });
      if (named || role.kind !== 'ClusterRole') return named;
      return [...clusterRoles.values()].some(
        (aggregated) =>
          aggregated !== role && matching(aggregationSelectors(aggregated), aggregated.name).includes(role),
      );
    },
  };
}

/** Whether an RBAC list (verbs, apiGroups, resources) allows a value: listed, or `*`. */
function allows(list: readonly string[] | undefined, value: string): boolean {
  return (list ?? []).includes('*') || (list ?? []).includes(value);
}

/**
 * Whether a rule allows a verb on a resource of an API group. `*` matches every resource and
 * subresource; `pods/*` every subresource of pods.
 */
export function ruleAllows(rule: IPolicyRule, verb: string, apiGroup: string, resource: string): boolean {
  if (!allows(rule.verbs, verb) || !allows(rule.apiGroups, apiGroup)) return false;
  const resources = rule.resources ?? [];
  if (resources.includes('*') || resources.includes(resource)) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && resources.includes(`${resource.slice(0, slash)}/*`);
}

/** A permission the checks look for: any of the verbs on any of the resources. */
export interface Capability {
  readonly verbs: readonly string[];
  readonly apiGroup: string;
  readonly resources: readonly string[];
}

/** What of a capability a rule allows, as `verb resource` pairs (empty when nothing). */
export function allowedBy(rule: IPolicyRule, capability: Capability): string[] {
  const hits: string[] = [];
  for (const resource of capability.resources) {
    const verbs = capability.verbs.filter((verb) => ruleAllows(rule, verb, capability.apiGroup, resource));
    if (verbs.length > 0) {
      const group = capability.apiGroup ? `${capability.apiGroup}/` : '';
      hits.push(`${verbs.join('/')} ${group}${resource}`);
    }
  }
  return hits;
}
