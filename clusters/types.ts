import type { z } from 'zod';
import type {
  aksApiAccessSchema,
  analyticsDatasetSchema,
  apiAccessScopeSchema,
  awsClusterSchema,
  azureClusterSchema,
  azureDatabaseSchema,
  batchPredictionJobSchema,
  clusterSchema,
  costInputsSchema,
  databaseSchema,
  eksApiAccessSchema,
  entraPrincipalSchema,
  fleetBudgetsSchema,
  fleetSettingsSchema,
  gatewaySettingsSchema,
  gcpClusterSchema,
  gkeApiAccessSchema,
  gpuSchema,
  modelAutoscalingSchema,
  modelDeploymentSchema,
  modelReplicationSchema,
  modelResourcesSchema,
  modelRuntimeSchema,
  modelSchema,
  modelVersionSchema,
  networkSchema,
  nodePoolRoleSchema,
  nodePoolSchema,
  observabilitySchema,
  taintSchema,
  terraformStateSchema,
  versionWeightSchema,
} from './schema';

/**
 * The fleet contract as TypeScript types. Every field is declared once, in `clusters/schema.ts`
 * (with its documentation); the types here are what those schemas accept (`z.output`), made
 * read-only all the way down, since nothing may change the fleet once it is loaded. A field
 * cannot be in the type and missing from the schema, or the other way round.
 */

/** Read-only all the way down. A homomorphic mapped type, so each property keeps its doc comment. */
export type DeepReadonly<T> = T extends (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
    : T;

/** The value a fleet schema accepts, read-only. */
type Contract<Schema extends z.ZodType> = DeepReadonly<z.output<Schema>>;

/** A Kubernetes taint, as the node pool applies it and a pod must tolerate it. */
export type Taint = Contract<typeof taintSchema>;

/** What a node pool is for; charts place workloads by role, not by pool name. */
export type NodePoolRole = Contract<typeof nodePoolRoleSchema>;

/** GPU accelerators attached to every node of a pool. */
export type GpuSpec = Contract<typeof gpuSchema>;

/** One node pool (EKS managed node group, GKE node pool, AKS agent pool). */
export type NodePool = Contract<typeof nodePoolSchema>;

/** The network a cluster lives in. CIDRs of all clusters must not overlap: the mesh joins them. */
export type ClusterNetwork = Contract<typeof networkSchema>;

/** A model the cluster serves, referring to an entry of the model catalog. */
export type ModelDeployment = Contract<typeof modelDeploymentSchema>;

/** How this cluster takes part in gateway routing. */
export type GatewaySettings = Contract<typeof gatewaySettingsSchema>;

/** Inputs to the monthly cost estimate that the node pools do not carry. */
export type CostInputs = Contract<typeof costInputsSchema>;

/** A cluster's managed PostgreSQL, declared because something connects to it. */
export type DatabaseSpec = Contract<typeof databaseSchema>;

/** An Entra ID principal: a group, a service principal (an application or managed identity) or a user. */
export type EntraPrincipal = Contract<typeof entraPrincipalSchema>;

/** PostgreSQL Flexible Server of an Azure cluster (and its read replica in the paired region). */
export type AzureDatabaseSpec = Contract<typeof azureDatabaseSchema>;

/** A BigQuery dataset of a GCP cluster, declared because something writes or reads it. */
export type AnalyticsDatasetSpec = Contract<typeof analyticsDatasetSchema>;

/**
 * How far a principal may act through a cluster's Kubernetes API; always cluster-wide.
 * `cluster-admin`: everything. `view`: the cloud's read-only role, plus the platform's
 * read-only ClusterRole (bound to `accessGroups.developers`), which also covers the
 * platform's custom resources; never Secrets.
 */
export type ApiAccessScope = Contract<typeof apiAccessScopeSchema>;

/** How far an IAM role may act through an EKS cluster's Kubernetes API; always cluster-wide. */
export type EksAccessScope = ApiAccessScope;

/** An IAM role allowed to use an EKS cluster's Kubernetes API (one EKS access entry). */
export type EksApiAccess = Contract<typeof eksApiAccessSchema>;

/** A cluster on AWS (EKS). */
export type AwsClusterSpec = Contract<typeof awsClusterSchema>;

/** A Google identity allowed to use a GKE cluster's Kubernetes API (project IAM roles). */
export type GkeApiAccess = Contract<typeof gkeApiAccessSchema>;

/** A cluster on Google Cloud (GKE). */
export type GcpClusterSpec = Contract<typeof gcpClusterSchema>;

/** An Entra ID group allowed to use an AKS cluster's Kubernetes API (Azure RBAC role assignments). */
export type AksApiAccess = Contract<typeof aksApiAccessSchema>;

/** A cluster on Azure (AKS). */
export type AzureClusterSpec = Contract<typeof azureClusterSchema>;

/** One cluster of the fleet; the `cloud` field selects which cloud-specific fields apply. */
export type ClusterSpec = Contract<typeof clusterSchema>;

/** The clouds the platform runs on. Adding one means a new CloudProfile and CDKTF stack. */
export type Cloud = ClusterSpec['cloud'];

/** A model in the catalog: what it is, independent of where it runs. */
export type ModelSpec = Contract<typeof modelSchema>;

/** One served version of a model. */
export type ModelVersion = Contract<typeof modelVersionSchema>;

/** The TF Serving image of a model, mirrored into each cluster's registry as `tensorflow-serving`. */
export type ModelRuntime = Contract<typeof modelRuntimeSchema>;

/** Requests and limits of one serving container. */
export type ModelResources = Contract<typeof modelResourcesSchema>;

/** Share of a model's traffic that one version gets. */
export type VersionWeight = Contract<typeof versionWeightSchema>;

/** Autoscaling targets of a model's serving replicas. */
export type ModelAutoscaling = Contract<typeof modelAutoscalingSchema>;

/** A batch prediction over files in the cluster's data lake. */
export type BatchPredictionJob = Contract<typeof batchPredictionJobSchema>;

/** How model artifacts reach every cloud: copied from one source cluster's bucket to the others'. */
export type ModelReplication = Contract<typeof modelReplicationSchema>;

/** Settings that hold for the whole fleet. */
export type FleetSettings = Contract<typeof fleetSettingsSchema>;

/**
 * Monthly spend limits above the single cluster. Exceeding one is a warning in
 * the pull-request comment and fails `npm run cost -- --fail-over-budget`.
 */
export type FleetBudgets = Contract<typeof fleetBudgetsSchema>;

/** How long telemetry is kept, how much of it is sampled and where alerts go. */
export type ObservabilitySettings = Contract<typeof observabilitySchema>;

/**
 * Remote state per cloud. The state stores themselves are created once, outside
 * these stacks (a stack cannot hold the lock on the bucket that holds its state).
 */
export type TerraformStateSettings = Contract<typeof terraformStateSchema>;

/** A cluster together with the file that declared it, so errors can point there. */
export interface ClusterSource {
  /** Repository-relative path of the file declaring the cluster, e.g. `clusters/eks-prod.ts`. */
  readonly file: string;
  /** The cluster as declared. */
  readonly spec: ClusterSpec;
}

/** The validated fleet: the single source of truth every chart and stack reads. */
export interface Fleet {
  readonly settings: FleetSettings;
  readonly models: readonly ModelSpec[];
  readonly clusters: readonly ClusterSpec[];
}
