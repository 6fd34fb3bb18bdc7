import { productionBatchJobs, productionModels, standardNodePools } from './defaults';
import type { GcpClusterSpec } from './types';

export const gkeProd: GcpClusterSpec = {
  name: 'gke-prod',
  cloud: 'gcp',
  projectId: 'ml-platform-prod',
  // PLACEHOLDERS (example.com is a reserved example domain): replace them with the groups operators
  // and developers belong to in the real Google Workspace or Cloud Identity domain before applying.
  apiAccess: [
    { member: 'group:placeholder-ml-platform-operators@example.com', scope: 'cluster-admin' },
    { member: 'group:placeholder-ml-platform-developers@example.com', scope: 'view' },
  ],
  // PLACEHOLDER: the real domain's gke-security-groups group, with the developers group in it.
  rbacSecurityGroup: 'gke-security-groups@example.com',
  region: 'us-central1',
  zones: ['us-central1-a', 'us-central1-b', 'us-central1-c'],
  environment: 'prod',
  kubernetesVersion: '1.35',
  network: {
    vpcCidr: '10.20.0.0/16',
    podCidr: '10.21.0.0/16',
    serviceCidr: '10.22.0.0/20',
    meshNetwork: 'network-gcp',
  },
  nodePools: standardNodePools({
    general: 'n2-standard-4',
    ml: 'c2-standard-16',
    gpu: { instanceType: 'n1-standard-8', accelerator: 'nvidia-tesla-t4' },
  }),
  models: productionModels,
  batchJobs: productionBatchJobs,
  gateway: { replicas: 3, costPer1kRequestsUsd: 0.38 },
  cost: { monthlyBudgetUsd: 16000, egressGbPerMonth: 2000, storageGb: 500 },
};
