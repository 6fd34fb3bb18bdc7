import { loadDeclaredFleet } from '../../../clusters';
import { loadClusterOutputs } from '../../../clusters/outputs';
import { BACKUP_SCHEDULES, veleroRelease } from '../../../platform/backup';
import { profileFor } from '../../../platform/clouds';
import type { ComponentProps } from '../../../platform/kernel/chart';

const fleet = loadDeclaredFleet();
const props = (name: string) => {
  const cluster = fleet.clusters.find((c) => c.name === name) as ComponentProps['cluster'];
  return {
    cluster,
    fleet,
    profile: profileFor(cluster),
    outputs: loadClusterOutputs(cluster),
  } as unknown as ComponentProps;
};

describe('Velero', () => {
  it.each(['eks-prod', 'gke-prod', 'aks-prod'])(
    '%s: plugin, bucket and identity from the cloud profile',
    (name) => {
      const p = props(name);
      const values = veleroRelease(p).values as Record<string, any>;
      const storage = p.profile.backupStorage();
      expect(values.initContainers[0].image).toBe(storage.pluginImage);
      expect(values.configuration.backupStorageLocation).toEqual([
        expect.objectContaining({
          provider: storage.provider,
          bucket: storage.bucket,
          prefix: name,
          config: storage.config,
        }),
      ]);
      const identity = p.profile.workloadIdentity('velero');
      expect(values.serviceAccount.server.annotations).toEqual(identity.serviceAccountAnnotations);
      expect(values.podLabels).toEqual({ ...identity.podLabels, team: 'platform' });
      expect(values.credentials).toEqual({ useSecret: false });
    },
  );

  it('runs as the restricted Pod Security level asks, with no host access', () => {
    const values = veleroRelease(props('eks-prod')).values as Record<string, any>;
    for (const context of [values.containerSecurityContext, values.initContainers[0].securityContext]) {
      expect(context).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    expect(values.deployNodeAgent).toBe(false);
    expect(values.upgradeCRDs).toBe(false);
  });

  it('backs up the namespaces with volumes more often than the whole cluster', () => {
    const [stateful, everything] = BACKUP_SCHEDULES;
    expect(stateful.namespaces).toEqual(['logging', 'monitoring']);
    expect(everything.namespaces).toBeUndefined();
    expect(everything.clusterResources).toBe(true);
  });
});
