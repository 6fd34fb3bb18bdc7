import { planSyncWaves, SyncOrderError, type SyncUnit, unitFromObjects } from '../../argocd/waves';

const unit = (name: string, fields: Partial<Omit<SyncUnit, 'name'>> = {}): SyncUnit => ({
  name,
  namespaces: [],
  createsNamespaces: [],
  usesKinds: [],
  providesCrds: [],
  requires: [],
  ...fields,
});

describe('sync waves', () => {
  it('puts namespaces first, then operators, then their custom resources, then workloads', () => {
    const plan = planSyncWaves([
      unit('workloads', { namespaces: ['ml-serving'], usesKinds: ['networking.istio.io/VirtualService'] }),
      unit('mesh', { namespaces: ['ml-serving'], usesKinds: ['security.istio.io/PeerAuthentication'] }),
      unit('istiod', { namespaces: ['istio-system'], requires: ['istio-base'] }),
      unit('istio-base', {
        namespaces: ['istio-system'],
        providesCrds: ['networking.istio.io/VirtualService', 'security.istio.io/PeerAuthentication'],
      }),
      unit('base', {
        namespaces: ['ml-serving', 'istio-system'],
        createsNamespaces: ['ml-serving', 'istio-system'],
      }),
    ]);
    expect(Object.fromEntries(plan.waves)).toEqual({
      base: 1,
      'istio-base': 2,
      istiod: 3,
      mesh: 3,
      workloads: 3,
    });
  });

  it('orders a new component after what it needs without anyone writing a number', () => {
    const units = [
      unit('base', { createsNamespaces: ['ml-serving'] }),
      unit('operator', { providesCrds: ['example.com/Widget'] }),
    ];
    const before = planSyncWaves(units);
    const after = planSyncWaves([
      ...units,
      unit('widgets', { namespaces: ['ml-serving'], usesKinds: ['example.com/Widget'] }),
    ]);
    expect(after.waves.get('widgets')).toBeGreaterThan(after.waves.get('operator') as number);
    expect(after.waves.get('widgets')).toBeGreaterThan(after.waves.get('base') as number);
    expect(after.waves.get('base')).toBe(before.waves.get('base'));
  });

  it('lets a unit use a CRD it installs itself, and says so', () => {
    const plan = planSyncWaves([
      unit('self-contained', { usesKinds: ['example.com/Widget'], providesCrds: ['example.com/Widget'] }),
    ]);
    expect(plan.installOwnCrds).toEqual(new Set(['self-contained']));
    expect(plan.waves.get('self-contained')).toBe(1);
  });

  it('treats Argo CD kinds and the bootstrap namespaces as present from the start', () => {
    const plan = planSyncWaves([
      unit('config', { namespaces: ['argocd', 'kube-system'], usesKinds: ['argoproj.io/AppProject'] }),
    ]);
    expect(plan.waves.get('config')).toBe(1);
  });

  it('treats the snapshot API every cloud installs as present from the start, and only that', () => {
    const plan = planSyncWaves([
      unit('backup', { usesKinds: ['snapshot.storage.k8s.io/VolumeSnapshotClass'] }),
    ]);
    expect(plan.waves.get('backup')).toBe(1);
    expect(() =>
      planSyncWaves([
        unit('backup', { usesKinds: ['groupsnapshot.storage.k8s.io/VolumeGroupSnapshotClass'] }),
      ]),
    ).toThrow(SyncOrderError);
  });

  it('rejects a custom resource whose CRD nothing installs, and a namespace nothing creates', () => {
    expect(() =>
      planSyncWaves([
        unit('mesh', { namespaces: ['istio-system'], usesKinds: ['security.istio.io/PeerAuthentication'] }),
      ]),
    ).toThrow(
      new SyncOrderError([
        'mesh: uses namespace istio-system, which no Application creates',
        'mesh: uses security.istio.io/PeerAuthentication, whose CRD no Application installs',
      ]),
    );
  });

  it('rejects a cycle, naming it', () => {
    let error: unknown;
    try {
      planSyncWaves([unit('a', { requires: ['b'] }), unit('b', { requires: ['a'] })]);
    } catch (caught) {
      error = caught;
    }
    expect((error as SyncOrderError).problems).toEqual(['cycle: a → b → a']);
  });

  it('reads a unit from rendered objects', () => {
    const unitOf = unitFromObjects('mixed', [
      { apiVersion: 'v1', kind: 'Namespace', name: 'team', object: {} },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'team', object: {} },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        name: 'web',
        namespace: 'team',
        object: {},
      },
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'widgets.example.com',
        object: { spec: { group: 'example.com', names: { kind: 'Widget' } } },
      },
    ]);
    expect(unitOf).toEqual({
      name: 'mixed',
      namespaces: ['team'],
      createsNamespaces: ['team'],
      usesKinds: ['networking.istio.io/VirtualService'],
      providesCrds: ['example.com/Widget'],
      requires: [],
    });
  });
});
