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
  /** Kubernetes API server ports the controller talks to. */
  apiServerPorts: [443, 6443],
} as const;
