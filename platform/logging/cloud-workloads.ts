/**
 * Elasticsearch's workload with a cloud identity; plain data, read by the Terraform stacks through
 * clusters/workloads.ts without loading any chart.
 */
import type { CloudWorkloadDeclaration } from '../kernel/contribution';

/**
 * The Elasticsearch nodes: they write the log snapshots to the cluster's log-snapshots bucket and
 * read them back to restore, as this identity (ECK runs the nodes as the ServiceAccount named here).
 */
export const ELASTICSEARCH_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'elasticsearch',
  namespace: 'logging',
  serviceAccount: 'elasticsearch',
  purpose: 'writes the snapshots of the log cluster (platform/logging) and reads them back to restore',
  buckets: [{ bucket: 'log-snapshots', access: 'read-write' }],
  secrets: [],
};

/** What this folder declares; clusters/workloads.ts collects every `cloud-workloads.ts` of the component folders. */
export const CLOUD_WORKLOADS: readonly CloudWorkloadDeclaration[] = [ELASTICSEARCH_WORKLOAD];
