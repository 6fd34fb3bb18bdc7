/**
 * Check 3, admission after mutation: every pod template against the Pod Security level its
 * namespace enforces, as the pod is once istiod's sidecar injector has mutated it (with or without
 * the CNI node agent, as istiod's values in the tree say). The controls are the policy tool's
 * Pod Security rules, one implementation.
 */
import {
  hostNamespaces,
  hostPorts,
  mandatoryAccessControl,
  POD_SECURITY_RULES,
  privileged,
  procMount,
  sysctls,
} from '../policy/rules/pod-security';
import type { PolicyContext, Rule } from '../policy/types';
import { type ClusterModel, ISTIO_CNI_CHART, policyObject } from './model';
import type { ClusterProblem } from './problem';
import { reporter } from './references';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

/** The rules of each level; baseline is the subset of restricted that does not ask more of the pod's user. */
const LEVELS: Readonly<Record<string, readonly Rule[]>> = {
  restricted: POD_SECURITY_RULES,
  baseline: [privileged, hostNamespaces, hostPorts, mandatoryAccessControl, procMount, sysctls],
  privileged: [],
};

/** The Pod Security rules read only the pod; they never ask the rest of the tree. */
const NO_CONTEXT: PolicyContext = {
  sameCluster: () => [],
  clusterOf: () => undefined,
  profileOf: () => undefined,
  allProfiles: () => [],
  credentialHits: () => [],
  createdByChart: () => false,
  rbac: () => {
    throw new Error('the Pod Security rules read only the pod, never the RBAC of the tree');
  },
};

export function checkAdmission(model: ClusterModel): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const report = reporter(model.tree.cluster, 'admission', problems);
  const cniInstalled = model.tree.applications.some((a) => a.chart?.name === ISTIO_CNI_CHART);
  if (model.istiod && model.mesh?.cni && !cniInstalled)
    report(
      model.istiod.object,
      'istiod injects for the Istio CNI node agent (cni.enabled), but no Application installs the cni chart: istio-validation fails in every meshed pod',
    );

  // A chart's pods: the level their templates need against the level of their namespace.
  const strength = ['restricted', 'baseline', 'privileged'];
  for (const pods of model.pods.filter((p) => p.release && p.podSecurity)) {
    const level = model.namespaces.get(pods.namespace)?.body.metadata?.labels?.[ENFORCE] ?? 'privileged';
    const app = model.tree.applications.find((a) => a.name === pods.release);
    if (app && strength.indexOf(pods.podSecurity as string) > strength.indexOf(level))
      report(
        app.object,
        `${pods.what} need Pod Security "${pods.podSecurity}", but namespace ${pods.namespace} enforces "${level}"`,
        true,
      );
  }

  for (const pods of model.pods) {
    if (!pods.object || !pods.template) continue;
    const namespace = model.namespaces.get(pods.namespace);
    const level = namespace?.body.metadata?.labels?.[ENFORCE] ?? 'privileged';
    const rules = LEVELS[level];
    if (!rules) {
      report(namespace ?? pods.object, `unknown Pod Security level "${level}"`);
      continue;
    }
    // The rules read the pod template where the object keeps it; give them the mutated one there.
    const mutated = {
      ...pods.object,
      body: withTemplate(pods.object.body, pods.template.specPath, pods.template),
    };
    const object = policyObject(mutated);
    const found = rules.flatMap((rule) =>
      rule.check(object, NO_CONTEXT).map((v) => `${rule.id}: ${v.message}`),
    );
    if (found.length === 0) continue;
    const after = pods.meshed
      ? ` after istiod injects its sidecar (${model.mesh?.cni ? 'with' : 'without'} the CNI node agent)`
      : '';
    report(
      pods.object,
      `Pod Security "${level}" of namespace ${pods.namespace} refuses the pods${after}: ${found.join('; ')}`,
      true,
    );
  }
  return problems;
}

/** A copy of a workload with its pod template's annotations and spec replaced. */
function withTemplate(
  body: Record<string, unknown>,
  specPath: string,
  template: { annotations: Readonly<Record<string, string>>; spec: unknown },
): Record<string, unknown> {
  const path = specPath.split('.').slice(0, -1);
  const replace = (value: Record<string, unknown>, rest: string[]): Record<string, unknown> => {
    if (rest.length === 0) {
      const metadata = (value.metadata ?? {}) as Record<string, unknown>;
      return { ...value, metadata: { ...metadata, annotations: template.annotations }, spec: template.spec };
    }
    const [head, ...tail] = rest;
    return { ...value, [head]: replace((value[head] ?? {}) as Record<string, unknown>, tail) };
  };
  return path.length === 0 ? { ...body, spec: template.spec } : replace(body, path);
}
