import type { Construct } from 'constructs';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import type { Contribution } from '../kernel/contribution';
import type { HelmRelease } from '../kernel/helm';
import { typedObject } from '../kernel/typed';
import { MONITORING_NAMESPACE } from '../monitoring/services';
import { VELERO_VALUE_PATHS } from './chart-value-paths';
import type { RestrictedContainerSecurity, VeleroValues } from './chart-values';
import { BACKUP, WORKLOAD } from './names';
import type { IVeleroSchedule, VeleroBackupTemplate } from './schedule-types';
import { VELERO } from './versions';

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
}

/**
 * The schedules. What lives only in the cluster is what they protect: the PersistentVolumeClaims,
 * Secrets and certificates operators generate (ECK's, Grafana's) in the namespaces with volumes,
 * often; every object of the cluster, nightly, for a restore into an empty cluster before Argo CD
 * has caught up. Objects that come from Git come back from Git anyway.
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
  },
  {
    name: 'cluster',
    reason: 'every object of the cluster, for a restore into a new cluster',
    cron: '30 1 * * *',
    keepHours: 30 * 24,
    clusterResources: true,
  },
];

/** The Backup each run of a schedule makes; `npm run backup` makes the same one by hand. */
export function backupTemplate(schedule: BackupSchedule): VeleroBackupTemplate {
  return {
    ...(schedule.namespaces ? { includedNamespaces: [...schedule.namespaces] } : {}),
    includeClusterResources: schedule.clusterResources,
    // No VolumeSnapshotLocation exists (VeleroValues.snapshotsEnabled): the volumes' objects are kept, not their data.
    snapshotVolumes: false,
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
    // The image's user (65532, distroless nonroot).
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containerSecurityContext: RESTRICTED,
    resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    podLabels: { ...identity.podLabels },
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
    deployNodeAgent: false,
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

/** The cluster's backup schedules, as Velero Schedules in its namespace. */
export class BackupChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'backup', props);
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

/**
 * What the backup component declares (platform/kernel/contribution.ts): its namespace, restricted;
 * its flows to the API server and the cloud's object storage; Prometheus' scrape of its metrics
 * (the scrape target opens that flow);
 * its cloud identity; what the chart creates.
 */
export function backupContribution(): Contribution {
  const velero = { namespace: BACKUP.namespace, pods: { 'app.kubernetes.io/name': 'velero' } };
  return {
    namespaces: [{ name: BACKUP.namespace, podSecurity: 'restricted', mesh: false }],
    flows: [
      {
        reason: 'Velero reads and restores objects through the API server',
        from: velero,
        to: { apiServer: true },
        ports: [...BACKUP.apiServerPorts],
      },
      {
        reason: "Velero writes backups to the cloud's object storage",
        from: velero,
        to: { cidr: '0.0.0.0/0', what: 'cloud object storage' },
        ports: [443],
      },
    ],
    scrapeTargets: [
      {
        name: 'velero',
        via: 'service',
        namespaces: [BACKUP.namespace],
        selector: { 'app.kubernetes.io/name': 'velero' },
        port: { name: 'http-monitoring', number: BACKUP.metricsPort },
        path: '/metrics',
        interval: '30s',
      },
    ],
    cloudWorkloads: [WORKLOAD],
    chartObjects: {
      releases: [BACKUP.release],
      values: [VELERO_VALUE_PATHS],
      serviceAccounts: [{ namespace: BACKUP.namespace, name: BACKUP.serviceAccount }],
      customResources: [
        { group: 'velero.io', kind: 'Schedule' },
        { group: 'velero.io', kind: 'Backup' },
        { group: 'velero.io', kind: 'Restore' },
      ],
      // templates/service.yaml at velero-11.4.0: the metrics Service, named as the release.
      services: [
        {
          namespace: BACKUP.namespace,
          name: BACKUP.release,
          selector: {
            name: 'velero',
            'app.kubernetes.io/name': 'velero',
            'app.kubernetes.io/instance': BACKUP.release,
          },
          ports: [{ name: 'http-monitoring', port: BACKUP.metricsPort }],
        },
      ],
    },
  };
}

export const backupComponent: Component = {
  name: 'backup',
  project: 'platform',
  build: (scope, props) => new BackupChart(scope, props),
  helmReleases: (props) => [veleroRelease(props)],
  contributes: () => backupContribution(),
};
