/** Who pods act as, and what Kubernetes API access anyone is granted. */
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import type { IRoleRef } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleRef';
import { podTemplateOf } from '../kube';
import type { PolicyContext, PolicyObject, Rule } from '../types';

function serviceAccountNamed(object: PolicyObject, name: string, context: PolicyContext) {
  return context
    .sameCluster(object)
    .find((c) => c.kind === 'ServiceAccount' && c.namespace === object.namespace && c.name === name);
}

export const serviceAccountTokenAutomount: Rule = {
  id: 'SA-TOKEN-AUTOMOUNT',
  severity: 'error',
  title: 'No Kubernetes API token is mounted into pods that do not call the API',
  rationale:
    'A mounted token is a credential for the Kubernetes API that any code in the pod can read; model servers ' +
    'and the gateway never call the API (cloud identities use their own projected tokens). Covers Polaris’ ' +
    'automountServiceAccountToken.',
  fix:
    'Set automountServiceAccountToken: false on the ServiceAccount and the pod spec; a pod that calls the API ' +
    'sets it true and carries an exemption saying what it calls.',
  check(object, context) {
    if (object.kind === 'ServiceAccount') {
      return object.value.automountServiceAccountToken === false
        ? []
        : [{ message: 'automountServiceAccountToken is not false' }];
    }
    const template = podTemplateOf(object);
    if (!template) return [];
    const onPod = template.spec.automountServiceAccountToken;
    if (onPod === false) return [];
    if (onPod === true) return [{ message: `${template.specPath}.automountServiceAccountToken is true` }];
    const accountName = template.spec.serviceAccountName ?? 'default';
    const account = serviceAccountNamed(object, accountName, context);
    return account?.value.automountServiceAccountToken === false
      ? []
      : [
          {
            message: `pods mount a token: neither the pod spec nor ServiceAccount ${accountName} disables automount`,
          },
        ];
  },
};

export const dedicatedServiceAccount: Rule = {
  id: 'SERVICE-ACCOUNT',
  severity: 'error',
  title: 'Pods run as a dedicated ServiceAccount rendered in their namespace',
  rationale:
    'The default ServiceAccount is shared by everything in a namespace, so a grant to one workload becomes a ' +
    'grant to all; a ServiceAccount that is not rendered makes the pods fail to start. Covers kube-linter’s ' +
    'default-service-account, non-existent-service-account and deprecated-service-account-field.',
  fix: 'Render a ServiceAccount for the workload and set spec.serviceAccountName to it (not the deprecated serviceAccount).',
  check(object, context) {
    const template = podTemplateOf(object);
    if (!template) return [];
    const spec = template.spec as typeof template.spec & { serviceAccount?: string };
    const problems: string[] = [];
    if (spec.serviceAccount !== undefined && spec.serviceAccount !== spec.serviceAccountName) {
      problems.push(`${template.specPath}.serviceAccount (deprecated) is set to ${spec.serviceAccount}`);
    }
    const name = spec.serviceAccountName;
    if (!name || name === 'default') {
      problems.push(`${template.specPath}.serviceAccountName is ${name ? 'default' : 'not set (default)'}`);
    } else if (!serviceAccountNamed(object, name, context)) {
      problems.push(`ServiceAccount ${name} is not rendered in namespace ${object.namespace}`);
    }
    return problems.map((message) => ({ message }));
  },
};

const RBAC_GROUP = 'rbac.authorization.k8s.io/';
const isRole = (object: PolicyObject) =>
  (object.kind === 'Role' || object.kind === 'ClusterRole') && object.apiVersion.startsWith(RBAC_GROUP);
const isBinding = (object: PolicyObject) =>
  (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') &&
  object.apiVersion.startsWith(RBAC_GROUP);
const rulesOf = (object: PolicyObject) => (object.value.rules ?? []) as IPolicyRule[];

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

/** Built-in ClusterRoles that grant everything (cluster-admin) or pods/exec in a namespace (admin, edit). */
const CLUSTER_ADMIN = 'cluster-admin';
const BUILT_IN_EXEC_ROLES = new Set(['admin', 'edit']);

export const rbacClusterAdmin: Rule = {
  id: 'RBAC-CLUSTER-ADMIN',
  severity: 'error',
  title: 'Nothing is bound to cluster-admin',
  rationale:
    'cluster-admin is every permission on every resource; a subject that holds it turns any compromise into a ' +
    'cluster compromise. Covers kube-linter’s cluster-admin-role-binding (CIS 5.1.1) and Polaris’ ' +
    'clusterrolebindingClusterAdmin and rolebindingClusterAdmin*.',
  fix: 'Bind a role that lists exactly what the subject needs.',
  check(object) {
    if (!isBinding(object)) return [];
    const roleRef = object.value.roleRef as IRoleRef | undefined;
    return roleRef?.name === CLUSTER_ADMIN
      ? [{ message: `roleRef is ${roleRef.kind} ${CLUSTER_ADMIN}` }]
      : [];
  },
};

const EXEC_SUBRESOURCES = new Set(['pods/exec', 'pods/attach', 'pods/portforward']);
const EXEC_VERBS = new Set(['create', 'get']);

export const rbacPodExec: Rule = {
  id: 'RBAC-POD-EXEC',
  severity: 'error',
  title: 'No role grants exec, attach or port-forward into pods',
  rationale:
    'Exec into a pod is a shell with the pod’s identity, secrets and network position; port-forward tunnels ' +
    'past NetworkPolicies. Covers Polaris’ clusterrolePodExecAttach, rolePodExecAttach and the binding variants ' +
    '(for roles rendered here, and the built-in admin and edit ClusterRoles).',
  fix: 'Remove pods/exec, pods/attach and pods/portforward from the role; debug through logs, metrics and ephemeral environments.',
  check(object) {
    if (isRole(object)) {
      return rulesOf(object).flatMap((rule, i) => {
        const resources = (rule.resources ?? []).filter((resource) => EXEC_SUBRESOURCES.has(resource));
        const verbs = (rule.verbs ?? []).filter((verb) => EXEC_VERBS.has(verb) || verb === '*');
        return resources.length > 0 && verbs.length > 0
          ? [{ message: `rules[${i}] grants ${verbs.join(', ')} on ${resources.join(', ')}` }]
          : [];
      });
    }
    if (isBinding(object)) {
      const roleRef = object.value.roleRef as IRoleRef | undefined;
      return roleRef?.kind === 'ClusterRole' && BUILT_IN_EXEC_ROLES.has(roleRef.name)
        ? [{ message: `roleRef is the built-in ClusterRole ${roleRef.name}, which grants pods/exec` }]
        : [];
    }
    return [];
  },
};

export const IDENTITY_RULES: readonly Rule[] = [
  serviceAccountTokenAutomount,
  dedicatedServiceAccount,
  rbacWildcard,
  rbacClusterAdmin,
  rbacPodExec,
];
