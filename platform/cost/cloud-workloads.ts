/**
 * OpenCost's workload with a cloud identity; plain data, read by the Terraform stacks through
 * clusters/workloads.ts without loading any chart.
 */
import type { CloudWorkloadDeclaration } from '../kernel/contribution';

export const OPENCOST_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'opencost',
  namespace: 'opencost',
  serviceAccount: 'opencost',
  purpose: "reads the cloud's prices for the cluster's nodes, volumes and addresses (platform/cost)",
  buckets: [],
  secrets: [],
  readsPrices: true,
};

/** What this folder declares; clusters/workloads.ts collects every `cloud-workloads.ts` of the component folders. */
export const CLOUD_WORKLOADS: readonly CloudWorkloadDeclaration[] = [OPENCOST_WORKLOAD];
