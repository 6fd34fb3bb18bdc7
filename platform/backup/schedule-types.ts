/**
 * velero.io/v1 Schedule, written from the CRD the velero chart 11.4.0 ships
 * (charts/velero/crds/schedules.yaml at tag velero-11.4.0, Velero 1.17): every field of the spec
 * and of its backup template but the hooks and label selectors, which the platform does not use.
 * tools/validate/schemas/kinds.ts turns it into the validation schema.
 */

/** The backup a Schedule makes each time (Velero's BackupSpec). */
export interface VeleroBackupTemplate {
  /** Namespaces to back up; every namespace when empty. */
  includedNamespaces?: string[];
  excludedNamespaces?: string[];
  /** Resource names (`deployments.apps`); every resource when empty. */
  includedResources?: string[];
  excludedResources?: string[];
  includedClusterScopedResources?: string[];
  excludedClusterScopedResources?: string[];
  includedNamespaceScopedResources?: string[];
  excludedNamespaceScopedResources?: string[];
  /** Whether cluster-scoped resources are included. */
  includeClusterResources?: boolean;
  /** Whether PersistentVolumes are snapshotted through a VolumeSnapshotLocation. */
  snapshotVolumes?: boolean;
  /** Whether pod volumes are copied by the node agent (file-system backup). */
  defaultVolumesToFsBackup?: boolean;
  /** Whether CSI snapshot data is moved to the backup storage. */
  snapshotMoveData?: boolean;
  /** The BackupStorageLocation's name. */
  storageLocation?: string;
  volumeSnapshotLocations?: string[];
  /** How long a backup is kept (a Go duration such as `720h0m0s`). */
  ttl?: string;
  csiSnapshotTimeout?: string;
  itemOperationTimeout?: string;
  datamover?: string;
  /** The resource policies (a ConfigMap in Velero's namespace) the backup follows: its volume policies. */
  resourcePolicy?: { kind: string; name: string; apiGroup?: string };
  /** Labels put on each Backup. */
  metadata?: { labels?: Record<string, string> };
}

export interface IVeleroSchedule {
  apiVersion: 'velero.io/v1';
  kind: 'Schedule';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    /** Cron expression (five fields, the Velero server's time zone, UTC in its image). */
    schedule: string;
    template: VeleroBackupTemplate;
    paused?: boolean;
    /** Whether the first backup waits for the first scheduled time. */
    skipImmediately?: boolean;
    useOwnerReferencesInBackup?: boolean;
  };
}
