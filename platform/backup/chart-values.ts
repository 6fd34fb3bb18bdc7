/**
 * The values of the velero chart 11.4.0 (vmware-tanzu/helm-charts, charts/velero/values.yaml and
 * templates at tag velero-11.4.0) the platform sets; every other key keeps the chart's default.
 */

/** A container's security settings, as the restricted Pod Security level wants them. */
export interface RestrictedContainerSecurity {
  readonly allowPrivilegeEscalation: false;
  readonly readOnlyRootFilesystem: true;
  readonly runAsNonRoot: true;
  readonly capabilities: { readonly drop: readonly ['ALL'] };
  readonly seccompProfile: { readonly type: 'RuntimeDefault' };
}

/** One entry of `initContainers` (the chart writes the list as given): a plugin copying itself to /target. */
export interface VeleroPluginContainer {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy: 'IfNotPresent';
  /** The chart's `plugins` emptyDir, mounted where the plugin images copy their binary. */
  readonly volumeMounts: readonly [{ readonly mountPath: '/target'; readonly name: 'plugins' }];
  readonly securityContext: RestrictedContainerSecurity;
  readonly resources: ContainerResources;
}

export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** One `configuration.backupStorageLocation` entry (templates/backupstoragelocation.yaml). */
export interface VeleroBackupStorageLocation {
  readonly name: string;
  readonly provider: string;
  readonly bucket: string;
  /** Folder inside the bucket. */
  readonly prefix: string;
  readonly default: true;
  readonly accessMode: 'ReadWrite' | 'ReadOnly';
  /** How often Velero checks the location is reachable (a Go duration). */
  readonly validationFrequency: string;
  readonly config: Readonly<Record<string, string>>;
}

export interface VeleroValues {
  readonly image: { readonly repository: string; readonly tag: string };
  /**
   * Off: the chart's pre-upgrade hook Job would run kubectl from registry.k8s.io to apply the CRDs;
   * Argo CD applies the chart's crds/ folder itself on every sync.
   */
  readonly upgradeCRDs: false;
  readonly cleanUpCRDs: false;
  readonly initContainers: readonly VeleroPluginContainer[];
  readonly podSecurityContext: {
    readonly runAsNonRoot: true;
    readonly runAsUser: number;
    readonly runAsGroup: number;
    readonly fsGroup: number;
    readonly seccompProfile: { readonly type: 'RuntimeDefault' };
  };
  readonly containerSecurityContext: RestrictedContainerSecurity;
  readonly resources: ContainerResources;
  /** Labels on Velero's pod (the profile's workload-identity pod labels and the team; templates/deployment.yaml). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly serviceAccount: {
    readonly server: {
      readonly create: true;
      readonly name: string;
      readonly annotations: Readonly<Record<string, string>>;
      readonly labels: Readonly<Record<string, string>>;
    };
  };
  /** Off: the workload identity authenticates; no key in a Secret. */
  readonly credentials: { readonly useSecret: false };
  readonly backupsEnabled: true;
  /** Off: no VolumeSnapshotLocation, as the identity has no snapshot grants (docs/operations.md, Backups). */
  readonly snapshotsEnabled: false;
  /** Off: the file-system backup agent needs the host's pod folder, which restricted pods may not mount. */
  readonly deployNodeAgent: false;
  readonly configuration: {
    readonly backupStorageLocation: readonly VeleroBackupStorageLocation[];
    readonly volumeSnapshotLocation: readonly [];
    /** The TTL of a backup made without one (`velero backup create` by hand). */
    readonly defaultBackupTTL: string;
  };
  /** The metrics Service (port `http-monitoring`, 8085); the chart's own monitors stay off. */
  readonly metrics: {
    readonly enabled: true;
    readonly serviceMonitor: { readonly enabled: false };
    readonly prometheusRule: { readonly enabled: false };
  };
  /** Schedules come from the backup component's own Schedule objects, not the chart's. */
  readonly schedules: Readonly<Record<string, never>>;
}
