import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import type { HelmRelease } from '../kernel/helm';
import type { RestrictedContainerSecurity } from '../kernel/helm-values';
import { teamLabels } from '../kernel/pods';
import { embeddedYaml } from '../kernel/serialize';
import { typedObject } from '../kernel/typed';
import { MONITORING_NAMESPACE } from '../monitoring/services';
import type { NodeAgentConfig, NonRootPodSecurity, VeleroValues } from './chart-values';
import { BACKUP_TEAM, backupContribution } from './contributes';
import { BACKUP, WORKLOAD } from './names';
import type { IVeleroSchedule, VeleroBackupTemplate } from './schedule-types';
import { VELERO } from './versions';
import type { IVolumeSnapshotClass, VeleroResourcePolicies } from './volume-types';

export { BACKUP } from './names';

/** A backup the cluster makes on a schedule. */
export interface BackupSchedule {
  /** Schedule name. */
  readonly name: string;
  /** Why this data, at this pace. */
  readonly reason: string;
  /** Cron expression, UTC. */
  readonly cron: string;
  /** How long each backup is kept, hours. */
  readonly keepHours: number;
  /** Namespaces backed up; every namespace when absent. */
  readonly namespaces?: readonly string[];
  /** Whether cluster-scoped objects (CRDs, ClusterRoles, PersistentVolumes) are included. */
  readonly clusterResources: boolean;
  /**
   * Whether the data of the volumes is backed up: each claim's volume is snapshotted through the
   * CSI snapshot API and the data mover copies the snapshot into the backups bucket, so it outlives
   * the snapshot, the cluster and the zone (VOLUME_POLICIES decides which volumes). Otherwise only
   * the PersistentVolumeClaim objects are kept.
   */
  readonly volumeData: boolean;
}

/**
 * The schedules. What lives only in the cluster is what they protect: the volumes' data, the
 * PersistentVolumeClaims, Secrets and certificates operators generate (ECK's, Grafana's) in the
 * namespaces with volumes, often; every object of the cluster, nightly, for a restore into an
 * empty cluster before Argo CD has caught up. Objects that come from Git come back from Git anyway.
 * The nightly one keeps no volume data: the volumes live in the namespaces the first one copies
 * every 6 hours, and a second copy a day would double the bucket's volume data for nothing.
 */
export const BACKUP_SCHEDULES: readonly BackupSchedule[] = [
  {
    name: 'stateful-namespaces',
    reason:
      'Elasticsearch (logging) and Prometheus, Alertmanager, Grafana (monitoring): volumes and generated secrets',
    cron: '0 */6 * * *',
    keepHours: 7 * 24,
    namespaces: ['logging', MONITORING_NAMESPACE],
    clusterResources: false,
    volumeData: true,
  },
  {
    name: 'cluster',
    reason: 'every object of the cluster, for a restore into a new cluster',
    cron: '30 1 * * *',
    keepHours: 30 * 24,
    clusterResources: true,
    volumeData: false,
  },
];

/**
 * The labels ECK's StatefulSets select their pods by, which the StatefulSet controller copies onto
 * every claim made from the volume claim templates (ECK v3.5.0,
 * pkg/controller/elasticsearch/label/label.go: NewStatefulSetLabels): the type label marks every
 * Elasticsearch data volume.
 */
export const ELASTICSEARCH_CLAIM_LABELS = { 'common.k8s.elastic.co/type': 'elasticsearch' } as const;

/**
 * What the Schedules moving volume data do with each volume (Velero's volume policies; the first
 * match decides). Elasticsearch's data volumes are skipped: the logs are copied by Elasticsearch's
 * own snapshots (snapshot lifecycle management) into the backups bucket, which are consistent
 * across the cluster's nodes and shards, where a crash-consistent copy of each node's disk, taken a
 * few seconds apart, is not; a restored cluster is recreated empty by ECK and its indices restored
 * from those snapshots. Every other CSI volume (Prometheus, Alertmanager, Grafana) is snapshotted
 * and its data moved into the bucket.
 */
export const VOLUME_POLICIES: VeleroResourcePolicies = {
  version: 'v1',
  volumePolicies: [
    { conditions: { pvcLabels: { ...ELASTICSEARCH_CLAIM_LABELS } }, action: { type: 'skip' } },
    { conditions: { csi: {} }, action: { type: 'snapshot' } },
  ],
};

/** The key of the volume policy document in its ConfigMap (Velero reads the one key there is). */
export const VOLUME_POLICY_KEY = 'policies.yaml';

/** The Backup each run of a schedule makes; `npm run backup` makes the same one by hand. */
export function backupTemplate(schedule: BackupSchedule): VeleroBackupTemplate {
  return {
    ...(schedule.namespaces ? { includedNamespaces: [...schedule.namespaces] } : {}),
    includeClusterResources: schedule.clusterResources,
    // CSI snapshots of the volumes (no VolumeSnapshotLocation: VeleroValues.snapshotsEnabled), their
    // data moved into the bucket by the data mover, as the volume policies say; else the objects alone.
    snapshotVolumes: schedule.volumeData,
    ...(schedule.volumeData
      ? {
          snapshotMoveData: true,
          resourcePolicy: { kind: 'configmap', name: BACKUP.volumePolicy },
        }
      : {}),
    storageLocation: BACKUP.storageLocation,
    ttl: `${schedule.keepHours}h0m0s`,
    metadata: { labels: { 'ml-platform.io/backup-schedule': schedule.name } },
  };
}

const RESTRICTED: RestrictedContainerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The image's user (65532), non-root as the restricted level wants. */
const NON_ROOT: NonRootPodSecurity = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  fsGroup: 65532,
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * The Kopia repository's folders under the image's home (user `cnb`, /home/cnb), writable on the
 * read-only root filesystem (docs/v1.17/csi-snapshot-data-movement.md names these two).
 */
const KOPIA_FOLDERS = [
  { name: 'udmrepo', mountPath: '/home/cnb/udmrepo' },
  { name: 'kopia-cache', mountPath: '/home/cnb/.cache' },
] as const;

/**
 * Bounds for each data mover pod, which Velero otherwise starts BestEffort. Kopia's memory grows
 * with the number of files and the size of the volume (docs/v1.17/performance-guidance.md): 4 GiB
 * covers the Prometheus volumes, whose size the monitoring component sets.
 */
export const NODE_AGENT_CONFIG: NodeAgentConfig = {
  podResources: { cpuRequest: '500m', memoryRequest: '1Gi', cpuLimit: '2', memoryLimit: '4Gi' },
};

/** Velero from its pinned chart, writing to the cluster's backups bucket as its workload identity. */
export function veleroRelease({ profile, cluster }: ComponentProps): HelmRelease {
  const identity = profile.workloadIdentity(WORKLOAD.name);
  const storage = profile.backupStorage();
  const values: VeleroValues = {
    image: { ...VELERO.image },
    upgradeCRDs: false,
    cleanUpCRDs: false,
    initContainers: [
      {
        name: `velero-plugin-for-${storage.provider}`,
        image: storage.pluginImage,
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        securityContext: RESTRICTED,
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      },
    ],
    podSecurityContext: NON_ROOT,
    containerSecurityContext: RESTRICTED,
    resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    podLabels: { ...identity.podLabels, ...teamLabels(BACKUP_TEAM) },
    extraVolumes: KOPIA_FOLDERS.map(({ name }) => ({ name, emptyDir: {} })),
    extraVolumeMounts: KOPIA_FOLDERS.map(({ name, mountPath }) => ({ name, mountPath })),
    serviceAccount: {
      server: {
        create: true,
        name: BACKUP.serviceAccount,
        annotations: { ...identity.serviceAccountAnnotations },
        labels: { ...identity.serviceAccountLabels },
      },
    },
    credentials: { useSecret: false },
    backupsEnabled: true,
    snapshotsEnabled: false,
    deployNodeAgent: true,
    nodeAgent: {
      disableHostPath: true,
      // Without host paths the agent reads no other pod's files: it only runs the data movement
      // controllers and starts the data mover pods, so it runs as the server does.
      podSecurityContext: NON_ROOT,
      containerSecurityContext: RESTRICTED,
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      podLabels: { ...identity.podLabels, ...teamLabels(BACKUP_TEAM) },
      extraArgs: [`--node-agent-configmap=${BACKUP.nodeAgentConfigMap}`],
    },
    configMaps: {
      [BACKUP.nodeAgentConfigKey]: { data: { 'node-agent-config.json': JSON.stringify(NODE_AGENT_CONFIG) } },
    },
    configuration: {
      backupStorageLocation: [
        {
          name: BACKUP.storageLocation,
          provider: storage.provider,
          bucket: storage.bucket,
          // One folder per cluster, so a bucket shared later never mixes clusters' backups.
          prefix: cluster.name,
          default: true,
          accessMode: 'ReadWrite',
          validationFrequency: '1m',
          config: { ...storage.config },
        },
      ],
      volumeSnapshotLocation: [],
      defaultBackupTTL: '720h0m0s',
      features: 'EnableCSI',
    },
    metrics: { enabled: true, serviceMonitor: { enabled: false }, prometheusRule: { enabled: false } },
    schedules: {},
  };
  return {
    name: BACKUP.release,
    repoURL: VELERO.repoURL,
    chart: VELERO.chart,
    version: VELERO.chartVersion,
    namespace: BACKUP.namespace,
    values: { ...values },
    providesCrds: [
      'velero.io/BackupRepository',
      'velero.io/Backup',
      'velero.io/BackupStorageLocation',
      'velero.io/DataDownload',
      'velero.io/DataUpload',
      'velero.io/DeleteBackupRequest',
      'velero.io/DownloadRequest',
      'velero.io/PodVolumeBackup',
      'velero.io/PodVolumeRestore',
      'velero.io/Restore',
      'velero.io/Schedule',
      'velero.io/ServerStatusRequest',
      'velero.io/VolumeSnapshotLocation',
    ],
    serverSideApply: true,
  };
}

/** The name of the VolumeSnapshotClass Velero uses for a CSI driver's volumes. */
export function snapshotClassName(driver: string): string {
  return `velero-${driver.replace(/\./g, '-')}`;
}

/**
 * The cluster's backup schedules, as Velero Schedules in its namespace; the volume policies they
 * follow; one VolumeSnapshotClass per CSI driver of the cloud, labelled for Velero.
 */
export class BackupChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'backup', props);
    for (const driver of props.profile.volumeSnapshots().drivers) {
      typedObject<IVolumeSnapshotClass>(this, `snapshot-class-${driver}`, {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotClass',
        metadata: { name: snapshotClassName(driver), labels: { [BACKUP.snapshotClassLabel]: 'true' } },
        driver,
        // The snapshot lives only until the data mover has copied it into the bucket; Velero then
        // deletes it, and Delete lets that remove the cloud's snapshot too instead of leaking it.
        deletionPolicy: 'Delete',
      });
    }
    new k8s.KubeConfigMap(this, 'volume-policy', {
      metadata: {
        name: BACKUP.volumePolicy,
        namespace: BACKUP.namespace,
        annotations: {
          'ml-platform.io/reason':
            "Velero's volume policies: Elasticsearch's data volumes are skipped (its own snapshots copy the logs), every other CSI volume is snapshotted",
        },
      },
      data: { [VOLUME_POLICY_KEY]: embeddedYaml(VOLUME_POLICIES) },
    });
    for (const schedule of BACKUP_SCHEDULES) {
      typedObject<IVeleroSchedule>(this, schedule.name, {
        apiVersion: 'velero.io/v1',
        kind: 'Schedule',
        metadata: {
          name: schedule.name,
          namespace: BACKUP.namespace,
          annotations: { 'ml-platform.io/reason': schedule.reason },
        },
        spec: {
          schedule: schedule.cron,
          template: backupTemplate(schedule),
          useOwnerReferencesInBackup: false,
        },
      });
    }
  }
}

export const backupComponent: Component = {
  name: 'backup',
  project: 'platform',
  build: (scope, props) => new BackupChart(scope, props),
  helmReleases: (props) => [veleroRelease(props)],
  contributes: () => backupContribution(),
};
