/**
 * Velero's workload with a cloud identity; plain data, read by the Terraform stacks through
 * clusters/workloads.ts without loading any chart.
 */
import type { CloudWorkloadDeclaration } from '../kernel/contribution';

export const VELERO_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'velero',
  namespace: 'velero',
  serviceAccount: 'velero-server',
  purpose: "writes the cluster's backups (platform/backup) and reads them back to restore",
  buckets: [{ bucket: 'backups', access: 'read-write' }],
  secrets: [],
};

/** What this folder declares; clusters/workloads.ts collects every `cloud-workloads.ts` of the component folders. */
export const CLOUD_WORKLOADS: readonly CloudWorkloadDeclaration[] = [VELERO_WORKLOAD];
