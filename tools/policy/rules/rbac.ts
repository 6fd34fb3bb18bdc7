/**
 * What each subject can reach through RBAC. A finding sits on the binding that hands the
 * permission to the subject (that is where the exemption goes) and names the subject, the
 * permission, where it applies and the role rule it comes from, aggregation included. A rendered
 * ClusterRole that aggregates into a built-in role (admin, edit, view) is reported itself when it
 * adds a permission the built-in does not have: every subject bound to that built-in in the
 * cluster gets it, including subjects dist/ cannot see. A role no rendered binding binds is
 * judged as written, on the role, for whoever binds it where dist/ cannot see.
 */
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import {
  allowedBy,
  BUILT_IN_CLUSTER_ROLES,
  type Capability,
  isBinding,
  isRole,
  ruleAllows,
  rulesOf,
  subjectKey,
} from '../rbac';
import type { PolicyContext, PolicyObject, RbacSubject, Rule, RuleInfo, Violation } from '../types';

const CLUSTER_ADMIN = 'cluster-admin';

function isClusterAdminBinding(object: PolicyObject): boolean {
  const roleRef = object.value.roleRef as { kind?: string; name?: string } | undefined;
  return roleRef?.kind === 'ClusterRole' && roleRef.name === CLUSTER_ADMIN;
}

const README = 'tools/policy/README.md#rbac-what-the-rules-see';

function hitsOf(rule: IPolicyRule, capabilities: readonly Capability[]): string[] {
  return capabilities.flatMap((capability) => allowedBy(rule, capability));
}

function describeSubject(subject: RbacSubject, context: PolicyContext, object: PolicyObject): string {
  if (subject.kind !== 'ServiceAccount') return subjectKey(subject);
  const runs = context.rbac(object).workloadsOf(subject.namespace, subject.name);
  return runs.length > 0
    ? `${subjectKey(subject)} (runs ${runs.map((w) => `${w.kind} ${w.name}`).join(', ')})`
    : subjectKey(subject);
}

/** Whether a built-in role (with the built-ins it includes) already allows every permission of a capability a rule grants. */
function builtInAlreadyAllows(name: string, rule: IPolicyRule, capabilities: readonly Capability[]): boolean {
  const role = BUILT_IN_CLUSTER_ROLES[name];
  if (!role) return false;
  const builtInRules = (role: string): IPolicyRule[] => [
    ...(BUILT_IN_CLUSTER_ROLES[role]?.rules ?? []),
    ...(BUILT_IN_CLUSTER_ROLES[role]?.includes ?? []).flatMap(builtInRules),
  ];
  const held = builtInRules(name);
  return capabilities.every(({ verbs, apiGroup, resources }) =>
    resources.every((resource) =>
      verbs.every(
        (verb) =>
          !ruleAllows(rule, verb, apiGroup, resource) ||
          held.some((builtIn) => ruleAllows(builtIn, verb, apiGroup, resource)),
      ),
    ),
  );
}

/** A rule that reports every subject a binding gives one of the capabilities. */
export function reachRule(info: RuleInfo, capabilities: readonly Capability[]): Rule {
  return {
    ...info,
    rationale: `${info.rationale} Judged per subject over its bindings, roles and aggregated ClusterRoles (${README}).`,
    check(object, context): Violation[] {
      if (isBinding(object)) {
        // A binding to cluster-admin grants everything; RBAC-CLUSTER-ADMIN reports it once.
        if (isClusterAdminBinding(object)) return [];
        const resolved = context.rbac(object).resolve(object);
        if (!resolved) return [];
        const found = resolved.grants.flatMap((grant) => {
          const hits = hitsOf(grant.rule, capabilities);
          return hits.length > 0 ? [`${hits.join(', ')} (${grant.source})`] : [];
        });
        if (found.length === 0) return [];
        const scope =
          object.kind === 'ClusterRoleBinding' ? 'in every namespace' : `in namespace ${object.namespace}`;
        return resolved.subjects.map((subject) => ({
          message: `${describeSubject(subject, context, object)} can ${found.join('; ')} ${scope}`,
        }));
      }
      if (!isRole(object)) return [];
      const into = context.rbac(object).aggregatesIntoBuiltIn(object);
      if (into.length > 0) {
        // Whoever is bound to the built-in in the cluster gets these rules, seen here or not.
        return rulesOf(object).flatMap((rule, i) => {
          const hits = hitsOf(rule, capabilities);
          const widened = into.filter((name) => !builtInAlreadyAllows(name, rule, capabilities));
          return hits.length > 0 && widened.length > 0
            ? [
                {
                  message:
                    `rules[${i}] adds ${hits.join(', ')} to the built-in ClusterRole${widened.length > 1 ? 's' : ''} ` +
                    `${widened.join(', ')} through aggregation, for every subject bound to them in the cluster`,
                },
              ]
            : [];
        });
      }
      if (context.rbac(object).isBound(object)) return []; // reported at its bindings
      // Bound in the cluster by something dist/ does not hold, if at all: judged as written.
      return rulesOf(object).flatMap((rule, i) => {
        const hits = hitsOf(rule, capabilities);
        return hits.length > 0
          ? [
              {
                message: `rules[${i}] grants ${hits.join(', ')} to whoever binds this ${object.kind} (no binding in dist/ does)`,
              },
            ]
          : [];
      });
    },
  };
}

const WORKLOADS_THAT_CREATE_PODS: readonly Capability[] = [
  { verbs: ['create'], apiGroup: '', resources: ['pods'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: '', resources: ['replicationcontrollers'] },
  {
    verbs: ['create', 'update', 'patch'],
    apiGroup: 'apps',
    resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
  },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'batch', resources: ['jobs', 'cronjobs'] },
];

export const rbacSecrets = reachRule(
  {
    id: 'RBAC-SECRETS',
    severity: 'error',
    title: 'No subject can read Secrets',
    rationale:
      'Reading a Secret (get, and list or watch, which return the values) hands over every credential in it, ' +
      'ServiceAccount tokens and the ExternalSecrets’ materialised cloud secrets included. Covers kube-linter’s ' +
      'access-to-secrets (CIS 5.1.2).',
    fix: 'Remove get/list/watch on secrets from the role; a workload reads its own Secret through a volume or secretKeyRef, which needs no RBAC.',
  },
  [{ verbs: ['get', 'list', 'watch'], apiGroup: '', resources: ['secrets'] }],
);

export const rbacPodCreate = reachRule(
  {
    id: 'RBAC-POD-CREATE',
    severity: 'error',
    title: 'No subject can create pods, directly or through a workload controller',
    rationale:
      'Whoever creates a pod (or writes the template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or ' +
      'CronJob) chooses its ServiceAccount, so it gets that account’s API and cloud permissions, and the Secrets ' +
      'of the namespace through volumes. Covers kube-linter’s access-to-create-pods (CIS 5.1.4), with update and ' +
      'patch of the controllers too, since changing a template creates new pods.',
    fix: 'Let Argo CD roll out what is in git; remove create/update/patch on pods and workload controllers from human and CI roles.',
  },
  WORKLOADS_THAT_CREATE_PODS,
);

export const rbacPodExec = reachRule(
  {
    id: 'RBAC-POD-EXEC',
    severity: 'error',
    title: 'No subject can exec, attach, port-forward or add ephemeral containers to pods',
    rationale:
      'Exec into a pod is a shell with the pod’s identity, secrets and network position; port-forward tunnels past ' +
      'NetworkPolicies; an ephemeral container is exec under another name. get is enough for exec over a ' +
      'WebSocket. Covers Polaris’ clusterrolePodExecAttach, rolePodExecAttach, clusterrolebindingPodExecAttach, ' +
      'rolebindingClusterRolePodExecAttach and rolebindingRolePodExecAttach.',
    fix: 'Remove pods/exec, pods/attach, pods/portforward and pods/ephemeralcontainers from the role; debug through logs, metrics and ephemeral environments.',
  },
  [
    { verbs: ['create', 'get'], apiGroup: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward'] },
    { verbs: ['update', 'patch'], apiGroup: '', resources: ['pods/ephemeralcontainers'] },
  ],
);

export const rbacEscalate = reachRule(
  {
    id: 'RBAC-ESCALATE',
    severity: 'error',
    title: 'No subject can escalate or bind roles',
    rationale:
      'escalate lets a subject write a role with permissions it does not hold; bind lets it bind any role, ' +
      'cluster-admin included. Either is every permission in the cluster one step away.',
    fix: 'Remove the escalate and bind verbs on roles and clusterroles.',
  },
  [
    {
      verbs: ['escalate', 'bind'],
      apiGroup: 'rbac.authorization.k8s.io',
      resources: ['roles', 'clusterroles'],
    },
  ],
);

export const rbacImpersonate = reachRule(
  {
    id: 'RBAC-IMPERSONATE',
    severity: 'error',
    title: 'No subject can impersonate users, groups or ServiceAccounts',
    rationale:
      'Impersonation acts with another identity’s permissions: impersonating a group such as system:masters, or a ' +
      'ServiceAccount bound to more, is a privilege escalation the audit log attributes to someone else.',
    fix: 'Remove the impersonate verb; grant the permissions needed directly.',
  },
  [
    { verbs: ['impersonate'], apiGroup: '', resources: ['users', 'groups', 'serviceaccounts'] },
    { verbs: ['impersonate'], apiGroup: 'authentication.k8s.io', resources: ['userextras/*', 'uids'] },
  ],
);

export const rbacNodeProxy = reachRule(
  {
    id: 'RBAC-NODE-PROXY',
    severity: 'error',
    title: 'No subject can reach the kubelet API through nodes/proxy',
    rationale:
      'nodes/proxy reaches the kubelet API of every node: exec into any pod on it, bypassing pods/exec RBAC and ' +
      'the API server’s audit of it.',
    fix: 'Remove nodes/proxy; read node metrics through nodes/metrics or the metrics API.',
  },
  [{ verbs: ['get', 'create'], apiGroup: '', resources: ['nodes/proxy'] }],
);

export const rbacAdmission = reachRule(
  {
    id: 'RBAC-ADMISSION',
    severity: 'error',
    title: 'No subject can change admission webhooks or admission policies',
    rationale:
      'A mutating webhook sees and rewrites every object it matches (Secrets and pod specs included); removing a ' +
      'validating webhook or policy switches a guardrail off cluster-wide.',
    fix: 'Remove write verbs on admissionregistration.k8s.io resources; charts that register webhooks do it through Argo CD.',
  },
  [
    {
      verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'],
      apiGroup: 'admissionregistration.k8s.io',
      resources: [
        'mutatingwebhookconfigurations',
        'validatingwebhookconfigurations',
        'validatingadmissionpolicies',
        'validatingadmissionpolicybindings',
        'mutatingadmissionpolicies',
        'mutatingadmissionpolicybindings',
      ],
    },
  ],
);

export const rbacCrd = reachRule(
  {
    id: 'RBAC-CRD',
    severity: 'error',
    title: 'No subject can change CustomResourceDefinitions',
    rationale:
      'Changing or deleting a CRD deletes or rewrites every object of that kind in the cluster (ExternalSecrets, ' +
      'Istio policies, Prometheus rules) and can add conversion webhooks.',
    fix: 'Remove write verbs on apiextensions.k8s.io customresourcedefinitions; CRDs come from the charts through Argo CD.',
  },
  [
    {
      verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'],
      apiGroup: 'apiextensions.k8s.io',
      resources: ['customresourcedefinitions'],
    },
  ],
);

export const rbacTokenRequest = reachRule(
  {
    id: 'RBAC-TOKEN-REQUEST',
    severity: 'error',
    title: 'No subject can request tokens for ServiceAccounts',
    rationale:
      'create on serviceaccounts/token mints a token for any ServiceAccount in scope, so the subject acts as each ' +
      'of them (and, through workload identity, as their cloud identities).',
    fix: 'Remove create on serviceaccounts/token; pods get their own tokens through projected volumes.',
  },
  [{ verbs: ['create'], apiGroup: '', resources: ['serviceaccounts/token'] }],
);

export const rbacWildcard: Rule = {
  id: 'RBAC-WILDCARD',
  severity: 'error',
  title: 'No RBAC rule grants * verbs, resources, API groups or non-resource URLs',
  rationale:
    'A wildcard grants today’s API and every resource added later (CRDs included), so nobody reviewed what it ' +
    'allows. Covers kube-linter’s wildcard-in-rules (CIS 5.1.3).',
  fix: 'List the verbs, resources and API groups the subject needs.',
  check(object) {
    if (!isRole(object)) return [];
    return rulesOf(object).flatMap((rule, i) =>
      (['verbs', 'resources', 'apiGroups', 'nonResourceURLs'] as const)
        .filter((field) => (rule[field] ?? []).includes('*'))
        .map((field) => ({ message: `rules[${i}].${field} contains "*"` })),
    );
  },
};

export const rbacClusterAdmin: Rule = {
  id: 'RBAC-CLUSTER-ADMIN',
  severity: 'error',
  title: 'Nothing is bound to cluster-admin',
  rationale:
    'cluster-admin is every permission on every resource; a subject that holds it turns any compromise into a ' +
    'cluster compromise. Covers kube-linter’s cluster-admin-role-binding (CIS 5.1.1) and Polaris’ ' +
    'clusterrolebindingClusterAdmin, rolebindingClusterAdminClusterRole and rolebindingClusterAdminRole.',
  fix: 'Bind a role that lists exactly what the subject needs.',
  check(object) {
    if (!isBinding(object)) return [];
    const roleRef = object.value.roleRef as { kind?: string; name?: string } | undefined;
    return roleRef?.name === CLUSTER_ADMIN
      ? [{ message: `roleRef is ${roleRef.kind} ${CLUSTER_ADMIN}` }]
      : [];
  },
};

export const rbacRoleExists: Rule = {
  id: 'RBAC-ROLE-EXISTS',
  severity: 'error',
  title: 'Every binding names a role that is rendered in its cluster or built into Kubernetes',
  rationale:
    'What a binding to a missing role grants cannot be reviewed: it grants nothing until someone (or a chart) ' +
    'creates a role of that name, and then whatever that role says. Polaris’ binding checks fail such bindings too.',
  fix: 'Render the role next to the binding, or bind one of the built-in ClusterRoles (view) or a rendered one.',
  check(object, context) {
    if (!isBinding(object)) return [];
    const unknown = context.rbac(object).resolve(object)?.unknownRole;
    return unknown
      ? [
          {
            message: `roleRef ${unknown} is neither rendered in ${object.cluster ?? 'this tree'} nor a built-in ClusterRole (${Object.keys(BUILT_IN_CLUSTER_ROLES).join(', ')})`,
          },
        ]
      : [];
  },
};

/** Every RBAC rule, in report order. */
export const RBAC_RULES: readonly Rule[] = [
  rbacWildcard,
  rbacClusterAdmin,
  rbacRoleExists,
  rbacSecrets,
  rbacPodCreate,
  rbacPodExec,
  rbacEscalate,
  rbacImpersonate,
  rbacNodeProxy,
  rbacAdmission,
  rbacCrd,
  rbacTokenRequest,
];
