/** Istio: pods that join the mesh accept only mutual-TLS traffic. */
import { apiGroup, mapSelects, podTemplateOf } from '../kube';
import type { PolicyContext, PolicyObject, Rule } from '../types';

/** Istio's root namespace: a PeerAuthentication without selector there applies to the whole mesh. */
export const MESH_ROOT_NAMESPACE = 'istio-system';

interface PeerAuthenticationSpec {
  readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  readonly mtls?: { readonly mode?: string };
  readonly portLevelMtls?: Readonly<Record<string, { readonly mode?: string }>>;
}

function isPeerAuthentication(object: PolicyObject): boolean {
  return object.kind === 'PeerAuthentication' && apiGroup(object.apiVersion) === 'security.istio.io';
}

function peerAuthSpec(object: PolicyObject): PeerAuthenticationSpec {
  return (object.value.spec ?? {}) as PeerAuthenticationSpec;
}

/**
 * Why a workload's pods get an Istio sidecar (or ambient data plane), or
 * undefined when they do not: the pod's own sidecar.istio.io/inject wins,
 * then the namespace's injection labels.
 */
export function meshMembership(object: PolicyObject, context: PolicyContext): string | undefined {
  const template = podTemplateOf(object);
  if (!template) return undefined;
  const podSays =
    template.labels['sidecar.istio.io/inject'] ?? template.annotations['sidecar.istio.io/inject'];
  if (podSays === 'false') return undefined;
  if (podSays === 'true') return 'its pods set sidecar.istio.io/inject=true';
  const namespace = context
    .sameCluster(object)
    .find((candidate) => candidate.kind === 'Namespace' && candidate.name === object.namespace);
  const labels = namespace?.value.metadata?.labels ?? {};
  if (labels['istio-injection'] === 'enabled')
    return `namespace ${object.namespace} has istio-injection=enabled`;
  if (labels['istio-injection'] !== 'disabled' && labels['istio.io/rev']) {
    return `namespace ${object.namespace} has istio.io/rev=${labels['istio.io/rev']}`;
  }
  if (labels['istio.io/dataplane-mode'] === 'ambient')
    return `namespace ${object.namespace} is in ambient mode`;
  return undefined;
}

/**
 * The mTLS mode Istio applies to a workload: a PeerAuthentication selecting it,
 * else the namespace-wide one, else the mesh-wide one; UNSET inherits from the
 * next level; with none at all Istio runs PERMISSIVE.
 */
function effectiveMode(
  object: PolicyObject,
  context: PolicyContext,
  labels: Readonly<Record<string, string>>,
) {
  const all = context.sameCluster(object).filter(isPeerAuthentication);
  const namespaceWide = (namespace: string | undefined) =>
    all.find((pa) => pa.namespace === namespace && !peerAuthSpec(pa).selector?.matchLabels);
  const levels = [
    all.find(
      (pa) =>
        pa.namespace === object.namespace &&
        peerAuthSpec(pa).selector?.matchLabels !== undefined &&
        mapSelects(peerAuthSpec(pa).selector?.matchLabels ?? {}, labels),
    ),
    namespaceWide(object.namespace),
    namespaceWide(MESH_ROOT_NAMESPACE),
  ];
  for (const level of levels) {
    const mode = level ? peerAuthSpec(level).mtls?.mode : undefined;
    if (level && mode && mode !== 'UNSET') return { mode, from: level };
  }
  return { mode: 'PERMISSIVE', from: undefined };
}

export const mtlsStrict: Rule = {
  id: 'MTLS-STRICT',
  severity: 'error',
  title: 'Mesh workloads accept only mutual TLS, and no PeerAuthentication weakens it',
  rationale:
    'Cross-cloud traffic leaves each provider’s network; STRICT mTLS is what keeps it encrypted and lets ' +
    'AuthorizationPolicies trust the caller’s identity. PERMISSIVE silently accepts plain text.',
  fix: `Render a PeerAuthentication with mtls.mode STRICT mesh-wide (in ${MESH_ROOT_NAMESPACE}, no selector) or in the workload’s namespace; do not override it with PERMISSIVE or DISABLE.`,
  check(object, context) {
    if (isPeerAuthentication(object)) {
      const spec = peerAuthSpec(object);
      const weak = [
        ...(spec.mtls?.mode && !['STRICT', 'UNSET'].includes(spec.mtls.mode)
          ? [`mtls.mode is ${spec.mtls.mode}`]
          : []),
        ...Object.entries(spec.portLevelMtls ?? {})
          .filter(([, setting]) => setting.mode && !['STRICT', 'UNSET'].includes(setting.mode))
          .map(([port, setting]) => `portLevelMtls ${port} is ${setting.mode}`),
      ];
      return weak.map((message) => ({ message }));
    }
    const membership = meshMembership(object, context);
    const template = podTemplateOf(object);
    if (!membership || !template) return [];
    const { mode, from } = effectiveMode(object, context, template.labels);
    if (mode === 'STRICT') return [];
    const source = from
      ? `PeerAuthentication ${from.namespace}/${from.name}`
      : 'no PeerAuthentication applies';
    return [{ message: `its pods join the mesh (${membership}) but mTLS is ${mode} (${source})` }];
  },
};

export const MESH_RULES: readonly Rule[] = [mtlsStrict];
