/**
 * External Secrets' workload with a cloud identity; plain data, read by the Terraform stacks
 * through clusters/workloads.ts without loading any chart.
 */
import type { CloudWorkloadDeclaration } from '../kernel/contribution';

export const EXTERNAL_SECRETS_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'external-secrets',
  namespace: 'external-secrets',
  serviceAccount: 'external-secrets',
  purpose: "copies the platform's secrets from the cloud secret store into the cluster",
  buckets: [],
  secrets: 'all',
};

/** What this folder declares; clusters/workloads.ts collects every `cloud-workloads.ts` of the component folders. */
export const CLOUD_WORKLOADS: readonly CloudWorkloadDeclaration[] = [EXTERNAL_SECRETS_WORKLOAD];
