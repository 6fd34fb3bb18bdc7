import fc from 'fast-check';
import { BOOTSTRAP_NAMESPACES } from '../../argocd/waves';
import { syntheticContext, syntheticFleet } from '../../bench/fleet';
import { loadDeclaredFleet } from '../../clusters';
import { loadFleet } from '../../clusters/validate';
import { type RenderedResource, renderFleet } from '../../tools/synth/render';

type Json = Record<string, any>;
const STANDARD_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
];

/** The invariants every rendered tree must hold, whatever the fleet. Returns the violations found. */
function violations(resources: readonly RenderedResource[]): string[] {
  const found: string[] = [];
  const clusters = new Set(resources.map((r) => r.cluster));
  for (const cluster of clusters) {
    const inCluster = resources.filter((r) => r.cluster === cluster);
    const namespaces = inCluster.filter((r) => r.kind === 'Namespace').map((r) => r.name);
    if (namespaces.length === 0) found.push(`${cluster}: no namespaces`);
    for (const namespace of namespaces) {
      const denyAll = inCluster.some((r) => {
        const spec = (r.object as Json).spec;
        return (
          r.kind === 'NetworkPolicy' &&
          r.namespace === namespace &&
          Object.keys(spec.podSelector).length === 0 &&
          spec.policyTypes.includes('Ingress') &&
          spec.policyTypes.includes('Egress') &&
          spec.ingress === undefined &&
          spec.egress === undefined
        );
      });
      if (!denyAll) found.push(`${cluster}: namespace ${namespace} has no default-deny NetworkPolicy`);
    }
    for (const r of inCluster) {
      const labels = (r.object as Json).metadata.labels ?? {};
      for (const label of STANDARD_LABELS) {
        if (!labels[label]) found.push(`${r.file}: missing label ${label}`);
      }
      // Kubernetes' own namespaces exist before any sync (the autoscaler's priorities live in kube-system).
      if (r.namespace && !namespaces.includes(r.namespace) && !BOOTSTRAP_NAMESPACES.has(r.namespace)) {
        found.push(`${r.file}: namespace ${r.namespace} is not created by the platform`);
      }
      if (r.kind === 'Namespace' && !labels['pod-security.kubernetes.io/enforce']) {
        found.push(`${r.file}: no Pod Security enforce level`);
      }
      for (const rule of ((r.object as Json).rules ?? []) as Json[]) {
        for (const field of ['verbs', 'resources', 'apiGroups']) {
          if ((rule[field] ?? []).includes('*')) found.push(`${r.file}: wildcard in ${field}`);
        }
      }
      const roleRef = (r.object as Json).roleRef;
      if (roleRef?.name === 'cluster-admin') found.push(`${r.file}: binds cluster-admin`);
    }
  }
  return found;
}

describe('properties of the rendered tree', () => {
  it('hold for the declared fleet', () => {
    const tree = renderFleet(loadDeclaredFleet());
    expect(tree.resources.length).toBeGreaterThan(0);
    expect(violations(tree.resources)).toEqual([]);
  });

  it('hold for generated fleets of any size and shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.boolean(), (size, reversed) => {
        const input = syntheticFleet(size);
        const fleet = loadFleet({
          ...input,
          clusters: reversed ? [...input.clusters].reverse() : input.clusters,
        });
        expect(violations(renderFleet(fleet, undefined, syntheticContext).resources)).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });

  it('the checks themselves catch a tree without default-deny or labels', () => {
    const tree = renderFleet(loadDeclaredFleet());
    const broken = tree.resources
      .filter((r) => !(r.kind === 'NetworkPolicy' && r.name === 'default-deny' && r.namespace === 'tracing'))
      .map((r) =>
        r.kind === 'Role'
          ? { ...r, object: { ...r.object, metadata: { ...(r.object as Json).metadata, labels: {} } } }
          : r,
      );
    const found = violations(broken);
    expect(found).toContain('aks-prod: namespace tracing has no default-deny NetworkPolicy');
    expect(found).toContain(
      'eks-prod/base/Role.ml-serving.ci-deployer.yaml: missing label app.kubernetes.io/part-of',
    );
  });
});

describe('fleet validation properties', () => {
  it('rejects every pool whose minimum exceeds its maximum, naming the field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), (max, excess) => {
        const input = structuredClone(syntheticFleet(3)) as Json;
        Object.assign(input.clusters[1].spec.nodePools[0], {
          minSize: max + excess,
          maxSize: max,
          desiredSize: max,
        });
        expect(() => loadFleet(input as never)).toThrow(
          `clusters/gcp-1.ts: nodePools[0].minSize: must be ≤ maxSize (${max}), got ${max + excess}`,
        );
      }),
      { numRuns: 25 },
    );
  });
});
