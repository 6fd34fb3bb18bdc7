import { fleetInput, loadDeclaredFleet, loadFleet } from '../../../clusters';
import { toYaml } from '../../../platform/kernel/serialize';
import { renderCluster } from '../../../tools/synth/render';

/**
 * A cluster without GPU nodes, which the declared fleet (and so dist/) never has: gke-prod with
 * its GPU pool and the GPU model removed. The snapshot holds only the base objects that differ
 * from the declared gke-prod's, which dist/gke-prod/base/ shows.
 */
const CLUSTER = 'gke-prod';
const declared = loadDeclaredFleet();
const cpuOnly = loadFleet({
  ...fleetInput,
  clusters: fleetInput.clusters.map((source) =>
    source.spec.name === CLUSTER
      ? {
          ...source,
          spec: {
            ...source.spec,
            nodePools: source.spec.nodePools.filter((pool) => pool.role !== 'gpu'),
            models: source.spec.models.filter((deployment) => deployment.model !== 'image-classifier'),
          },
        }
      : source,
  ),
});

/** The base component's files on the cluster, by file name. */
function baseFiles(fleet: typeof declared): Map<string, string> {
  const cluster = fleet.clusters.find((c) => c.name === CLUSTER);
  if (!cluster) throw new Error(`the fleet has no cluster ${CLUSTER}`);
  return new Map(
    renderCluster(fleet, cluster)
      .filter((r) => r.component === 'base')
      .map((r) => [r.file, toYaml(r.object)]),
  );
}

const before = baseFiles(declared);
const after = baseFiles(cpuOnly);

it('the example cluster has no GPU pool, where the declared one has', () => {
  const pools = (fleet: typeof declared) =>
    fleet.clusters.find((c) => c.name === CLUSTER)?.nodePools.filter((p) => p.gpu !== undefined);
  expect(pools(declared)?.length).toBeGreaterThan(0);
  expect(pools(cpuOnly)).toEqual([]);
});

it('admits no GPU request in the workload namespaces of a cluster without GPU nodes', () => {
  const quota = after.get(`${CLUSTER}/base/ResourceQuota.ml-serving.compute.yaml`);
  expect(quota).toContain('requests.nvidia.com/gpu: 0\n');
  expect(before.get(`${CLUSTER}/base/ResourceQuota.ml-serving.compute.yaml`)).not.toContain(
    'requests.nvidia.com/gpu: 0\n',
  );
});

it('changes only these base objects (the rest is dist/gke-prod/base/)', () => {
  expect([...after.keys()]).toEqual([...before.keys()]);
  const changed = [...after].filter(([file, text]) => before.get(file) !== text);
  expect(changed.map(([file, text]) => `# ${file}\n${text}`).join('\n')).toMatchSnapshot();
});
