/** Velero's names, apart from the chart so the commands read them without loading cdk8s. */
import { VELERO_WORKLOAD } from './cloud-workloads';

/** Velero's identity (clusters/workloads.ts): its namespace and the ServiceAccount the chart creates. */
export const WORKLOAD = VELERO_WORKLOAD;

/** Where Velero runs, its release and its names as the chart derives them (fullname = release name). */
export const BACKUP = {
  namespace: WORKLOAD.namespace,
  release: 'velero',
  serviceAccount: WORKLOAD.serviceAccount,
  /** The BackupStorageLocation every Schedule writes to. */
  storageLocation: 'default',
  /** The chart's metrics port (`http-monitoring`, `--metrics-address :8085`). */
  metricsPort: 8085,
  /** The ConfigMap of volume policies the Schedules moving volume data name (`resourcePolicy`). */
  volumePolicy: 'volume-policy',
  /**
   * The node agent's ConfigMap (data mover pods' resources): the chart names each `configMaps`
   * entry `<fullname>-<key>`, so the key `node-agent` gives `velero-node-agent`.
   */
  nodeAgentConfigKey: 'node-agent',
  nodeAgentConfigMap: 'velero-node-agent',
  /** The label that makes a VolumeSnapshotClass the one Velero uses for its driver (docs/v1.17/csi.md). */
  snapshotClassLabel: 'velero.io/csi-volumesnapshot-class',
  /**
   * Labels of the pods Velero's data mover starts (pkg/exposer/types.go at v1.17.2,
   * `velero.io/exposer-pod-group`): one per volume to upload, one per volume to restore.
   */
  dataMoverPods: {
    backup: { 'velero.io/exposer-pod-group': 'snapshot-exposer' },
    restore: { 'velero.io/exposer-pod-group': 'generic-restore-exposer' },
  },
  /** Kubernetes API server ports the controller talks to. */
  apiServerPorts: [443, 6443],
} as const;
