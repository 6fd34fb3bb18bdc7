import { loadDeclaredFleet } from '../../clusters';
import { profileFor } from '../../platform/clouds';
import { renderFleet } from '../../tools/synth/render';

const fleet = loadDeclaredFleet();
const { resources } = renderFleet(fleet);

/** Every `storageClassName` anywhere in a value, with its path: claims, templates and Helm values alike. */
function storageClassNames(value: unknown, path: string): { path: string; name: string }[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(key === 'storageClassName' && typeof child === 'string'
      ? [{ path: `${path}.${key}`, name: child }]
      : []),
    ...storageClassNames(child, `${path}.${key}`),
  ]);
}

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('storage on %s', (name, cluster) => {
  const own = resources.filter((r) => r.cluster === name);
  const profile = profileFor(cluster);
  const rendered = own.filter((r) => r.kind === 'StorageClass');
  const provided = Object.values(profile.storageClasses()).filter((c) => c.providedByCloud);

  it('asks only for StorageClasses the cluster has: rendered, or created by the cloud', () => {
    const known = new Set([...rendered.map((r) => r.name), ...provided.map((c) => c.name)]);
    // "" binds a claim to a pre-created PersistentVolume of no class: it resolves when such a volume is rendered.
    const staticVolumes = own.some(
      (r) => r.kind === 'PersistentVolume' && (r.object as any).spec.storageClassName === '',
    );
    const uses = own.flatMap((r) => storageClassNames(r.object, r.file));
    expect(uses.length).toBeGreaterThan(0);
    const unresolved = uses.filter((use) => !(known.has(use.name) || (use.name === '' && staticVolumes)));
    expect(unresolved).toEqual([]);
  });

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
