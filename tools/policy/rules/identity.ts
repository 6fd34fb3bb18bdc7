/** Who pods act as (what that identity may do is in rbac.ts). */
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

export const IDENTITY_RULES: readonly Rule[] = [serviceAccountTokenAutomount, dedicatedServiceAccount];
