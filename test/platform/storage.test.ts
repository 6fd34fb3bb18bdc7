import { loadDeclaredFleet } from '../../clusters';
import { profileFor } from '../../platform/clouds';
import { renderFleet } from '../../tools/synth/render';

// Whether every storageClassName resolves (rendered, or created by the cloud) is the cluster
// check's (tools/check-cluster, references; test/tools/check-cluster).

const fleet = loadDeclaredFleet();
const { resources } = renderFleet(fleet);

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('storage on %s', (name, cluster) => {
  const own = resources.filter((r) => r.cluster === name);
  const profile = profileFor(cluster);
  const rendered = own.filter((r) => r.kind === 'StorageClass');

  it('gives every tier a class, and renders exactly those the cloud does not create', () => {
    const tiers = profile.storageClasses();
    expect(rendered.map((r) => r.name).sort()).toEqual(
      Object.values(tiers)
        .filter((c) => !c.providedByCloud)
        .map((c) => c.name)
        .sort(),
    );
  });

  it('renders encrypted, topology-aware classes for the cloud CSI driver', () => {
    for (const storageClass of rendered) {
      const object = storageClass.object as any;
      const tier = Object.values(profile.storageClasses()).find((c) => c.name === storageClass.name);
      expect(object.provisioner).toBe(tier?.provisioner);
      expect(object.volumeBindingMode).toBe('WaitForFirstConsumer');
      if (cluster.cloud === 'aws') {
        expect(object.provisioner).toBe('ebs.csi.aws.com');
        expect(object.parameters).toMatchObject({ encrypted: 'true', type: storageClass.name });
      }
    }
  });
});

it('renders gp3 and io2 on EKS, where the EBS CSI add-on creates no class', () => {
  const eks = fleet.clusters.find((c) => c.cloud === 'aws');
  const names = resources
    .filter((r) => r.cluster === eks?.name && r.kind === 'StorageClass')
    .map((r) => r.name);
  expect(names.sort()).toEqual(['gp3', 'io2']);
});
