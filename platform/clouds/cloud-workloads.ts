/**
 * The cloud controllers the platform installs on some clouds, with their cloud identity; plain
 * data, read by the Terraform stacks through clusters/workloads.ts without loading any chart.
 */
import type { CloudWorkloadDeclaration } from '../kernel/contribution';

/** Provisions the NLBs the AWS profile's Service annotations ask for (./aws.ts). */
export const AWS_LOAD_BALANCER_CONTROLLER_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'aws-load-balancer-controller',
  namespace: 'kube-system',
  serviceAccount: 'aws-load-balancer-controller',
  purpose: "provisions the load balancers the AWS profile's Service annotations ask for",
  buckets: [],
  secrets: [],
  clouds: ['aws'],
  vendorPolicy: 'aws-load-balancer-controller',
};

/** What this folder declares; clusters/workloads.ts collects every `cloud-workloads.ts` of the component folders. */
export const CLOUD_WORKLOADS: readonly CloudWorkloadDeclaration[] = [AWS_LOAD_BALANCER_CONTROLLER_WORKLOAD];
