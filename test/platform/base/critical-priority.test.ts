import { loadDeclaredFleet } from '../../../clusters';
import { renderFleet } from '../../../tools/synth/render';

const fleet = loadDeclaredFleet();
const { resources } = renderFleet(fleet);
const CRITICAL = new Set(['system-node-critical', 'system-cluster-critical']);

type Json = Record<string, any>;

/** Every `priorityClassName` in a value: pod templates and Helm values alike. */
function priorityClasses(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(key === 'priorityClassName' && typeof child === 'string' ? [child] : []),
    ...priorityClasses(child),
  ]);
}

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('critical priority on %s', (name, cluster) => {
  const own = resources.filter((r) => r.cluster === name);
  /** Where pods of a critical class run: the object's namespace, or the namespace a Helm Application installs into. */
  const uses = own.flatMap((r) => {
    const namespace = r.kind === 'Application' ? (r.object as Json).spec.destination.namespace : r.namespace;
    return priorityClasses(r.kind === 'Application' ? (r.object as Json).spec.source : r.object)
      .filter((priorityClass) => CRITICAL.has(priorityClass))
      .map((priorityClass) => ({ source: r.file, namespace, priorityClass }));
  });

  it('runs critical-priority pods outside kube-system only under a quota scoped to their class', () => {
    // fluent-bit in logging, at least: the case GKE refuses without the quota.
    expect(uses.some((u) => u.namespace === 'logging' && u.priorityClass === 'system-node-critical')).toBe(
      true,
    );
    const unadmitted = uses
      .filter((use) => use.namespace !== 'kube-system')
      .filter(
        (use) =>
          !own.some((r) => {
            const spec = (r.object as Json).spec;
            return (
              r.kind === 'ResourceQuota' &&
              r.namespace === use.namespace &&
              (spec.scopeSelector?.matchExpressions ?? []).some(
                (e: Json) =>
                  e.scopeName === 'PriorityClass' &&
                  e.operator === 'In' &&
                  e.values.includes(use.priorityClass),
              )
            );
          }),
      );
    expect(unadmitted).toEqual([]);
  });

  it("lets the log shipper run one pod on every node the cluster's pools can have", () => {
    const quota = own.find(
      (r) =>
        r.kind === 'ResourceQuota' && r.namespace === 'logging' && r.name === 'priority-system-node-critical',
    );
    const nodes = cluster.nodePools.reduce((sum, pool) => sum + pool.maxSize, 0);
    expect(Number((quota?.object as Json | undefined)?.spec.hard.pods)).toBeGreaterThanOrEqual(nodes);
  });
});
