import { loadDeclaredFleet } from '../../../clusters';
import { renderFleet } from '../../../tools/synth/render';

// Whether critical-priority pods outside kube-system run under a quota scoped to their class
// (GKE's rule) is the cluster check's (tools/check-cluster, references; test/tools/check-cluster).

const fleet = loadDeclaredFleet();
const { resources } = renderFleet(fleet);

type Json = Record<string, any>;

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('critical priority on %s', (name, cluster) => {
  const own = resources.filter((r) => r.cluster === name);
  it("lets the log shipper run one pod on every node the cluster's pools can have", () => {
    const quota = own.find(
      (r) =>
        r.kind === 'ResourceQuota' && r.namespace === 'logging' && r.name === 'priority-system-node-critical',
    );
    const nodes = cluster.nodePools.reduce((sum, pool) => sum + pool.maxSize, 0);
    expect(Number((quota?.object as Json | undefined)?.spec.hard.pods)).toBeGreaterThanOrEqual(nodes);
  });
});
