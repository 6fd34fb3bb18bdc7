import { Testing } from 'cdk8s';
import { load } from 'js-yaml';
import { loadDeclaredFleet } from '../../../clusters';
import { loadClusterOutputs } from '../../../clusters/outputs';
import {
  BACKUP,
  BACKUP_SCHEDULES,
  BackupChart,
  backupTemplate,
  NODE_AGENT_CONFIG,
  snapshotClassName,
  VOLUME_POLICIES,
  VOLUME_POLICY_KEY,
  veleroRelease,
} from '../../../platform/backup';
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

  it('runs the server and the node agent as the restricted Pod Security level asks, with no host access', () => {
    const values = veleroRelease(props('eks-prod')).values as Record<string, any>;
    for (const context of [
      values.containerSecurityContext,
      values.initContainers[0].securityContext,
      values.nodeAgent.containerSecurityContext,
    ]) {
      expect(context).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    expect(values.nodeAgent.podSecurityContext).toEqual(values.podSecurityContext);
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    // The node agent hosts the data mover's controllers; its host paths (file-system backup only) stay off.
    expect(values.deployNodeAgent).toBe(true);
    expect(values.nodeAgent.disableHostPath).toBe(true);
    expect(values.upgradeCRDs).toBe(false);
  });

  it.each(['eks-prod', 'gke-prod', 'aks-prod'])(
    '%s: CSI snapshots on, the data movers bounded and carrying the identity',
    (name) => {
      const p = props(name);
      const values = veleroRelease(p).values as Record<string, any>;
      expect(values.configuration.features).toBe('EnableCSI');
      // No VolumeSnapshotLocation: the CSI driver cuts the snapshots, not the plugin's snapshotter.
      expect(values.snapshotsEnabled).toBe(false);
      expect(values.nodeAgent.podLabels).toEqual({
        ...p.profile.workloadIdentity('velero').podLabels,
        team: 'platform',
      });
      expect(values.nodeAgent.extraArgs).toEqual([`--node-agent-configmap=${BACKUP.nodeAgentConfigMap}`]);
      expect(JSON.parse(values.configMaps[BACKUP.nodeAgentConfigKey].data['node-agent-config.json'])).toEqual(
        NODE_AGENT_CONFIG,
      );
      // The Kopia folders the read-only root filesystem needs writable, for the server and the maintenance Jobs.
      expect(values.extraVolumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual([
        '/home/cnb/udmrepo',
        '/home/cnb/.cache',
      ]);
    },
  );

  it.each(['eks-prod', 'gke-prod', 'aks-prod'])(
    "%s: one Velero VolumeSnapshotClass per CSI driver of the cloud's StorageClasses",
    (name) => {
      const p = props(name);
      const classes = Testing.synth(new BackupChart(Testing.app(), p)).filter(
        (o) => o.kind === 'VolumeSnapshotClass',
      );
      const drivers = [...new Set(Object.values(p.profile.storageClasses()).map((c) => c.provisioner))];
      expect(classes.map((c) => c.driver).sort()).toEqual(drivers.sort());
      for (const c of classes) {
        expect(c.metadata.labels[BACKUP.snapshotClassLabel]).toBe('true');
        expect(c.metadata.name).toBe(snapshotClassName(c.driver));
        expect(c.deletionPolicy).toBe('Delete');
      }
    },
  );

  it("skips Elasticsearch's data volumes (the labels its StatefulSets give their claims) and snapshots every other CSI volume", () => {
    const chart = Testing.synth(new BackupChart(Testing.app(), props('gke-prod')));
    const policy = chart.find((o) => o.kind === 'ConfigMap' && o.metadata.name === BACKUP.volumePolicy);
    expect(Object.keys(policy.data)).toEqual([VOLUME_POLICY_KEY]);
    const document = load(policy.data[VOLUME_POLICY_KEY]) as Record<string, any>;
    expect(document).toEqual(VOLUME_POLICIES);
    const decide = (pvcLabels: Record<string, string>, csi: boolean) =>
      document.volumePolicies.find(
        (rule: any) =>
          Object.entries(rule.conditions.pvcLabels ?? {}).every(([k, v]) => pvcLabels[k] === v) &&
          (rule.conditions.csi === undefined || csi),
      )?.action.type;
    // A claim of ECK's StatefulSet logs-es-default (its selector labels), and Prometheus' claim.
    expect(
      decide(
        {
          'common.k8s.elastic.co/type': 'elasticsearch',
          'elasticsearch.k8s.elastic.co/cluster-name': 'logs',
          'elasticsearch.k8s.elastic.co/statefulset-name': 'logs-es-default',
        },
        true,
      ),
    ).toBe('skip');
    expect(decide({ 'app.kubernetes.io/name': 'prometheus' }, true)).toBe('snapshot');
  });

  it('backs up the namespaces with volumes, and their data, more often than the whole cluster', () => {
    const [stateful, everything] = BACKUP_SCHEDULES;
    expect(stateful.namespaces).toEqual(['logging', 'monitoring']);
    expect(backupTemplate(stateful)).toMatchObject({
      snapshotVolumes: true,
      snapshotMoveData: true,
      resourcePolicy: { kind: 'configmap', name: BACKUP.volumePolicy },
    });
    expect(everything.namespaces).toBeUndefined();
    expect(everything.clusterResources).toBe(true);
    const nightly = backupTemplate(everything);
    expect(nightly.snapshotVolumes).toBe(false);
    expect(nightly.snapshotMoveData).toBeUndefined();
  });
});
