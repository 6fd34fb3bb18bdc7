/**
 * The values of the velero chart 11.4.0 (vmware-tanzu/helm-charts, charts/velero/values.yaml and
 * templates at tag velero-11.4.0) the platform sets; every other key keeps the chart's default.
 */
import type { ResourceRequirements, RestrictedContainerSecurity } from '../kernel/helm-values';

/** One entry of `initContainers` (the chart writes the list as given): a plugin copying itself to /target. */
export interface VeleroPluginContainer {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy: 'IfNotPresent';
  /** The chart's `plugins` emptyDir, mounted where the plugin images copy their binary. */
  readonly volumeMounts: readonly [{ readonly mountPath: '/target'; readonly name: 'plugins' }];
  readonly securityContext: RestrictedContainerSecurity;
  readonly resources: ResourceRequirements;
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

/** The restricted-level pod settings of Velero's own pods: the image's non-root user. */
export interface NonRootPodSecurity {
  readonly runAsNonRoot: true;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
  readonly seccompProfile: { readonly type: 'RuntimeDefault' };
}

/** An emptyDir in `extraVolumes`, and where `extraVolumeMounts` puts it (the chart writes both lists as given). */
export interface ScratchVolume {
  readonly name: string;
  readonly emptyDir: Readonly<Record<string, never>>;
}
export interface ScratchVolumeMount {
  readonly name: string;
  readonly mountPath: string;
}

/**
 * The node agent's configuration (the ConfigMap `--node-agent-configmap` names; Velero 1.17,
 * docs/v1.17/data-movement-pod-resource-configuration.md): the data mover pods' resources, which
 * are otherwise BestEffort.
 */
export interface NodeAgentConfig {
  readonly podResources: {
    readonly cpuRequest: string;
    readonly memoryRequest: string;
    readonly cpuLimit: string;
    readonly memoryLimit: string;
  };
}

/** `nodeAgent` (templates/node-agent-daemonset.yaml): the DaemonSet hosting the data movement controllers. */
export interface VeleroNodeAgentValues {
  /**
   * On: no hostPath volumes (the host's pod and plugin folders), which only file-system backup
   * reads; CSI snapshot data movement mounts a volume made from the snapshot instead.
   */
  readonly disableHostPath: true;
  readonly podSecurityContext: NonRootPodSecurity;
  readonly containerSecurityContext: RestrictedContainerSecurity;
  readonly resources: ResourceRequirements;
  /**
   * Labels on the node agent's pods: the workload-identity pod labels. The data mover pods copy
   * the ones Velero knows (`azure.workload.identity/use`) from the DaemonSet's template.
   */
  readonly podLabels: Readonly<Record<string, string>>;
  /** `--node-agent-configmap=<configMaps entry>`: the data mover pods' resources. */
  readonly extraArgs: readonly string[];
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
  readonly podSecurityContext: NonRootPodSecurity;
  readonly containerSecurityContext: RestrictedContainerSecurity;
  readonly resources: ResourceRequirements;
  /** Labels on Velero's pod (the profile's workload-identity pod labels and the team; templates/deployment.yaml). */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * Writable folders of the read-only root filesystem: the Kopia repository's configuration and
   * cache, which the server (deleting a backup's volume data) and the repository maintenance Jobs
   * (which copy the server's volumes) write (docs/v1.17/csi-snapshot-data-movement.md,
   * "Support ReadOnlyRootFilesystem setting").
   */
  readonly extraVolumes: readonly ScratchVolume[];
  readonly extraVolumeMounts: readonly ScratchVolumeMount[];
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
  /**
   * Off: no VolumeSnapshotLocation. Volumes are snapshotted through the CSI snapshot API (the
   * cloud's CSI driver cuts them with its own identity), not through the plugins' snapshotters.
   */
  readonly snapshotsEnabled: false;
  /** On: the node agent hosts the data mover's controllers (CSI snapshot data movement). */
  readonly deployNodeAgent: true;
  readonly nodeAgent: VeleroNodeAgentValues;
  /** ConfigMaps the chart renders as `<fullname>-<key>` in Velero's namespace (templates/configmaps.yaml). */
  readonly configMaps: Readonly<
    Record<
      string,
      { readonly labels?: Readonly<Record<string, string>>; readonly data: Readonly<Record<string, string>> }
    >
  >;
  readonly configuration: {
    readonly backupStorageLocation: readonly VeleroBackupStorageLocation[];
    readonly volumeSnapshotLocation: readonly [];
    /** The TTL of a backup made without one (`velero backup create` by hand). */
    readonly defaultBackupTTL: string;
    /** `--features` of the server and the node agent: `EnableCSI` for CSI volume snapshots. */
    readonly features: string;
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
