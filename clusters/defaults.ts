import type { BatchPredictionJob, FleetSettings, ModelDeployment, NodePool } from './types';

/** Settings shared by the whole fleet. */
export const fleetSettings: FleetSettings = {
  partOf: 'ml-platform',
  // The charts are written against these APIs and validated with the schemas
  // in tools/validate/schemas; widen the list only after checking both.
  supportedKubernetesVersions: ['1.33', '1.34', '1.35'],
  repoUrl: 'https://git.example.com/platform/ml-platform.git',
  targetRevision: 'main',
  accessGroups: { developers: 'ml-platform-developers', deployers: 'ml-platform-deployers' },
  // Models are published to the AWS bucket; the other clouds copy new versions every 15 minutes.
  modelReplication: { sourceCluster: 'eks-prod', schedule: '*/15 * * * *', verifySchedule: '30 3 * * *' },
  costCentre: 'ml-platform',
  // Created once by hand (or by a bootstrap stack) before any cluster stack: a
  // stack cannot create the bucket that holds its own state.
  terraformState: {
    aws: {
      bucket: 'mlp-terraform-state-111122223333',
      region: 'us-east-1',
    },
    gcp: { bucket: 'ml-platform-prod-terraform-state' },
    azure: {
      subscriptionId: '6f1c2a4e-3b7d-4e0a-9c15-2d8e7f9a0b31',
      resourceGroup: 'rg-ml-platform-tfstate',
      storageAccount: 'mlptfstate6f1c',
      container: 'tfstate',
    },
  },
  observability: {
    metricsRetentionDays: 30,
    // Recent logs are what incidents need; a month covers a billing cycle of questions.
    logs: { hotDays: 7, deleteAfterDays: 30 },
    traceSamplingRatio: 0.05,
    costAnomalyFactor: 1.5,
    predictionApiHost: 'predict.ml-platform.example.com',
    alerting: {
      criticalSlackChannel: '#ml-platform-oncall',
      warningSlackChannel: '#ml-platform-alerts',
      emailTo: 'ml-platform-oncall@example.com',
      emailFrom: 'alertmanager@ml-platform.example.com',
      smtpSmarthost: 'smtp.example.com:587',
      smtpUsername: 'alertmanager@ml-platform.example.com',
    },
  },
  // Each cloud's limit is its clusters' budgets plus headroom for shared services
  // (DNS, registries, state buckets); the fleet limit is below their sum on purpose,
  // so one cloud growing into its headroom is noticed before every cloud does.
  budgets: {
    fleetMonthlyUsd: 52000,
    perCloudMonthlyUsd: { aws: 19000, gcp: 17000, azure: 18000 },
  },
};

/** The taint every GPU pool carries, so only pods that asked for a GPU land there. */
export const gpuTaint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' } as const;

/** The taint that keeps general workloads off the ML pools. */
export const mlWorkloadTaint = { key: 'workload', value: 'ml', effect: 'NoSchedule' } as const;

/**
 * The three pools every production cluster has. A cluster file supplies the
 * cloud's machine types and sizes; names, roles and taints stay the same
 * everywhere so charts can place workloads by role on any cloud.
 */
export function standardNodePools(machines: {
  general: string;
  ml: string;
  gpu: { instanceType: string; accelerator: string };
}): NodePool[] {
  return [
    {
      name: 'general',
      role: 'general',
      instanceType: machines.general,
      minSize: 2,
      maxSize: 6,
      desiredSize: 3,
      capacityType: 'on-demand',
      diskSizeGb: 100,
      taints: [],
    },
    {
      name: 'ml-workloads',
      role: 'ml',
      instanceType: machines.ml,
      minSize: 1,
      maxSize: 10,
      desiredSize: 3,
      capacityType: 'spot',
      diskSizeGb: 200,
      taints: [mlWorkloadTaint],
    },
    {
      name: 'gpu',
      role: 'gpu',
      instanceType: machines.gpu.instanceType,
      minSize: 0,
      maxSize: 4,
      desiredSize: 1,
      capacityType: 'on-demand',
      diskSizeGb: 200,
      gpu: { type: machines.gpu.accelerator, count: 1 },
      taints: [gpuTaint],
    },
    {
      // Empty while spot capacity lasts; takes the ML pods when it does not (platform/clouds/spot-fallback.ts).
      name: 'ml-fallback',
      role: 'ml',
      instanceType: machines.ml,
      minSize: 0,
      maxSize: 10,
      desiredSize: 0,
      capacityType: 'on-demand',
      diskSizeGb: 200,
      taints: [mlWorkloadTaint],
      fallbackFor: 'ml-workloads',
    },
  ];
}

/** What every production cluster serves: each model of the catalog, with replica bounds. */
export const productionModels: ModelDeployment[] = [
  { model: 'fraud-detector', minReplicas: 2, maxReplicas: 10 },
  { model: 'image-classifier', minReplicas: 2, maxReplicas: 4 },
];

/** The batch predictions every production cluster runs over its own data lake. */
export const productionBatchJobs: BatchPredictionJob[] = [
  {
    name: 'nightly-fraud-scoring',
    model: 'fraud-detector',
    inputPrefix: 'batch/fraud-detector/input',
    outputPrefix: 'batch/fraud-detector/output',
    schedule: '0 2 * * *',
    parallelism: 4,
  },
];

/**
 * What the cost estimate assumes about usage the fleet does not declare (`npm run cost`). Each is a
 * planning figure, shown on its own line of the report, to be replaced by what is measured: `npm run
 * cost -- --actual` sets the estimate beside the live cost.
 */
export interface CostAssumptions {
  /** Predictions each cluster's gateway answers in a month. */
  readonly predictionsPerMonth: number;
  /** Bytes of a prediction request on the wire (features, headers, TLS framing). */
  readonly requestBytes: number;
  /** Bytes of a prediction response on the wire. */
  readonly responseBytes: number;
  /**
   * Upstream latency the gateway measures to its own cluster's model servers and to another
   * cloud's; its routing score turns them, with its weights and the providers' prices, into the
   * share of predictions each cloud gets.
   */
  readonly latencyMs: { readonly ownCluster: number; readonly otherCloud: number };
  /**
   * Share of predictions sent to another cloud while the cluster's own model servers are degraded
   * (breaker open, errors, overflow), on top of what the routing score sends there when healthy.
   */
  readonly degradedCrossCloudShare: number;
  /** Size of one model version as published (SavedModel with its variables), GB. */
  readonly modelVersionGb: number;
  /** New versions each model publishes in a month; each is copied to every other cluster. */
  readonly modelVersionsPerMonth: number;
  /** Traffic through the cluster's NAT a month (image pulls, cloud APIs, package mirrors), GB. */
  readonly natGbPerMonth: number;
  /** Logs the cloud's logging service ingests for the cluster a month (control plane, system and node logs), GB. */
  readonly cloudLogsGbPerMonth: number;
  /** Container images each cluster's registry stores, GB. */
  readonly registryGb: number;
}

export const costAssumptions: CostAssumptions = {
  predictionsPerMonth: 30_000_000,
  requestBytes: 4_096,
  responseBytes: 1_024,
  // A cluster's own model servers answer within the region; another cloud adds a continent-scale
  // round trip through the east-west gateways.
  latencyMs: { ownCluster: 25, otherCloud: 85 },
  degradedCrossCloudShare: 0.02,
  modelVersionGb: 2,
  modelVersionsPerMonth: 4,
  natGbPerMonth: 200,
  cloudLogsGbPerMonth: 100,
  registryGb: 30,
};
