import { productionBatchJobs, productionModels, standardNodePools } from './defaults';
import type { AwsClusterSpec } from './types';

export const eksProd: AwsClusterSpec = {
  name: 'eks-prod',
  cloud: 'aws',
  accountId: '111122223333',
  // PLACEHOLDERS, like the account above (AWS's documentation example account): replace them
  // with the roles operators and developers assume in the real account before applying.
  apiAccess: [
    {
      principalArn: 'arn:aws:iam::111122223333:role/placeholder-ml-platform-operators',
      scope: 'cluster-admin',
    },
    { principalArn: 'arn:aws:iam::111122223333:role/placeholder-ml-platform-developers', scope: 'view' },
  ],
  region: 'us-east-1',
  zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  environment: 'prod',
  kubernetesVersion: '1.35',
  network: {
    vpcCidr: '10.10.0.0/16',
    podCidr: '10.11.0.0/16',
    serviceCidr: '172.20.0.0/16',
    meshNetwork: 'network-aws',
  },
  nodePools: standardNodePools({
    general: 'm6i.xlarge',
    ml: 'c6i.4xlarge',
    gpu: { instanceType: 'g4dn.xlarge', accelerator: 'nvidia-tesla-t4' },
  }),
  models: productionModels,
  batchJobs: productionBatchJobs,
  gateway: { replicas: 3, costPer1kRequestsUsd: 0.42 },
  cost: { monthlyBudgetUsd: 18000, egressGbPerMonth: 2000, storageGb: 500 },
};
