import { productionBatchJobs, productionModels, standardNodePools } from './defaults';
import type { AzureClusterSpec, AzureDatabaseSpec } from './types';

/**
 * How aks-prod declares PostgreSQL once something connects to one: add `database: aksProdDatabase`
 * to the cluster below. Not declared today, since nothing in dist/ uses a database; the tests render
 * it. PLACEHOLDER administrator (an all-zero object id and a `placeholder-` name, like the API groups
 * below): put the object id and display name of the Entra ID group that administers the database here.
 */
export const aksProdDatabase: AzureDatabaseSpec = {
  usedBy: 'example only: name the workload that connects to it',
  administrator: {
    objectId: '00000000-0000-0000-0000-000000000003',
    principalName: 'placeholder-ml-platform-database-admins',
    principalType: 'Group',
  },
};

export const aksProd: AzureClusterSpec = {
  name: 'aks-prod',
  cloud: 'azure',
  subscriptionId: '6f1c2a4e-3b7d-4e0a-9c15-2d8e7f9a0b31',
  resourceGroup: 'rg-ml-platform-prod',
  // PLACEHOLDERS (all-zero UUIDs but the last digit, matching no real group): replace them with the
  // object ids of the Entra ID groups operators and developers belong to before applying.
  apiAccess: [
    { groupObjectId: '00000000-0000-0000-0000-000000000001', scope: 'cluster-admin' },
    { groupObjectId: '00000000-0000-0000-0000-000000000002', scope: 'view' },
  ],
  region: 'eastus',
  zones: ['1', '2', '3'],
  environment: 'prod',
  kubernetesVersion: '1.35',
  network: {
    vpcCidr: '10.30.0.0/16',
    podCidr: '10.31.0.0/16',
    serviceCidr: '10.32.0.0/16',
    meshNetwork: 'network-azure',
  },
  nodePools: standardNodePools({
    general: 'Standard_D4s_v5',
    ml: 'Standard_F16s_v2',
    gpu: { instanceType: 'Standard_NC4as_T4_v3', accelerator: 'nvidia-tesla-t4' },
  }),
  models: productionModels,
  batchJobs: productionBatchJobs,
  gateway: { replicas: 3, costPer1kRequestsUsd: 0.45 },
  cost: { monthlyBudgetUsd: 17000, egressGbPerMonth: 2000, storageGb: 500 },
};
