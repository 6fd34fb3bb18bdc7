/**
 * The gateway's workload with a cloud identity; plain data, read by the Terraform stacks through
 * clusters/workloads.ts without loading any chart.
 */
import type { CloudWorkloadDeclaration } from '../../platform/kernel/contribution';
import { GATEWAY } from '../../platform/mesh/workloads';

export const GATEWAY_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'gateway',
  namespace: GATEWAY.namespace,
  serviceAccount: GATEWAY.serviceAccount,
  purpose: 'reads the API keys it accepts',
  buckets: [],
  secrets: ['gateway-api-keys'],
};

/** What this folder declares; clusters/workloads.ts collects every `cloud-workloads.ts` of the component folders. */
export const CLOUD_WORKLOADS: readonly CloudWorkloadDeclaration[] = [GATEWAY_WORKLOAD];
