/**
 * Data sync's workload with a cloud identity; plain data, read by the Terraform stacks through
 * clusters/workloads.ts without loading any chart.
 */
import type { CloudWorkloadDeclaration } from '../../platform/kernel/contribution';
import { MODEL_SERVING } from '../../platform/mesh/workloads';

/** The model replication Jobs, which run beside the model servers whose models they copy. */
export const DATA_SYNC_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'data-sync',
  namespace: MODEL_SERVING.namespace,
  serviceAccount: 'data-sync',
  purpose: 'replicates models and data between the clusters of the fleet',
  buckets: [
    { bucket: 'models', access: 'read-write' },
    { bucket: 'data-lake', access: 'read-write' },
  ],
  secrets: [],
};

/** What this folder declares; clusters/workloads.ts collects every `cloud-workloads.ts` of the component folders. */
export const CLOUD_WORKLOADS: readonly CloudWorkloadDeclaration[] = [DATA_SYNC_WORKLOAD];
