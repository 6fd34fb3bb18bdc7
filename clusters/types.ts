/**
 * The fleet contract: every cluster, node pool, model and setting the platform
 * knows about is described by these types, and nothing else in the repository
 * invents one. `clusters/schema.ts` holds the runtime schema that checks a
 * value against this contract when the fleet loads.
 */

/** The clouds the platform runs on. Adding one means a new CloudProfile and CDKTF stack. */
export type Cloud = 'aws' | 'gcp' | 'azure';

/** A Kubernetes taint, as the node pool applies it and a pod must tolerate it. */
export interface Taint {
  /** Taint key, e.g. `nvidia.com/gpu`. */
  readonly key: string;
  /** Taint value; empty string when the taint has no value. */
  readonly value: string;
  /** What the scheduler does with pods that do not tolerate the taint. */
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** What a node pool is for; charts place workloads by role, not by pool name. */
export type NodePoolRole = 'general' | 'ml' | 'gpu';

/** GPU accelerators attached to every node of a pool. */
export interface GpuSpec {
  /** Accelerator model as the cloud names it, e.g. `nvidia-tesla-t4`. */
  readonly type: string;
  /** Accelerators per node. */
  readonly count: number;
}

/** One node pool (EKS managed node group, GKE node pool, AKS agent pool). */
export interface NodePool {
  /** Pool name, unique within the cluster; a DNS-1123 label. */
  readonly name: string;
  /** What runs on the pool. */
  readonly role: NodePoolRole;
  /** The cloud's machine type, e.g. `m6i.xlarge`, `n2-standard-4`, `Standard_D4s_v5`. */
  readonly instanceType: string;
  /** Minimum node count the autoscaler keeps. */
  readonly minSize: number;
  /** Maximum node count the autoscaler may reach. */
  readonly maxSize: number;
  /** Expected node count in steady state; used for the cost estimate. */
  readonly desiredSize: number;
  /** On-demand or spot capacity. */
  readonly capacityType: 'on-demand' | 'spot';
  /** Root disk size per node, GiB. */
  readonly diskSizeGb: number;
  /** Accelerators per node; only on pools with role `gpu`. */
  readonly gpu?: GpuSpec;
  /** Taints the pool applies to its nodes; pods scheduled there get matching tolerations. */
  readonly taints: readonly Taint[];
  /**
   * On an on-demand pool: the spot pool (same role and taints) whose pods it takes
   * when spot capacity is reclaimed or unavailable. The autoscaler grows the spot
   * pool first and this one only when that fails (platform/autoscaling).
   */
  readonly fallbackFor?: string;
}

/** The network a cluster lives in. CIDRs of all clusters must not overlap: the mesh joins them. */
export interface ClusterNetwork {
  /** The VPC / VNet address range. */
  readonly vpcCidr: string;
  /** Pod address range (secondary range on GKE, overlay on AKS, VPC CNI on EKS). */
  readonly podCidr: string;
  /** Service (ClusterIP) address range. */
  readonly serviceCidr: string;
  /** Istio network name of this cluster in the multi-network mesh. */
  readonly meshNetwork: string;
}

/** A model the cluster serves, referring to an entry of the model catalog. */
export interface ModelDeployment {
  /** Name of a model in `clusters/models.ts`. */
  readonly model: string;
  /** Fewest serving replicas. */
  readonly minReplicas: number;
  /** Most serving replicas the autoscaler may reach. */
  readonly maxReplicas: number;
}

/** How this cluster takes part in gateway routing. */
export interface GatewaySettings {
  /** Gateway replicas in this cluster. */
  readonly replicas: number;
  /** Cost the router charges for a request served here, USD per 1000 requests. */
  readonly costPer1kRequestsUsd: number;
}

/** Inputs to the monthly cost estimate that the node pools do not carry. */
export interface CostInputs {
  /** Monthly budget for this cluster, USD. */
  readonly monthlyBudgetUsd: number;
  /** Expected egress per month, GB. */
  readonly egressGbPerMonth: number;
  /** Expected object storage for models and data, GB. */
  readonly storageGb: number;
}

/** Fields every cluster has, whatever its cloud. */
interface ClusterSpecBase {
  /** Cluster name; also the folder under dist/ and the mesh cluster id. A DNS-1123 label. */
  readonly name: string;
  /** Cloud region, e.g. `us-east-1`, `us-central1`, `eastus`. */
  readonly region: string;
  /** Availability zones the cluster spans (at least two for production). */
  readonly zones: readonly string[];
  /** Deployment environment; production rules apply to `prod`. */
  readonly environment: 'prod' | 'staging' | 'dev';
  /** Kubernetes minor version, e.g. `1.31`; one of `fleetSettings.supportedKubernetesVersions`. */
  readonly kubernetesVersion: string;
  /** Address ranges and mesh network. */
  readonly network: ClusterNetwork;
  /** Node pools; names unique within the cluster. */
  readonly nodePools: readonly NodePool[];
  /** Models served in this cluster. */
  readonly models: readonly ModelDeployment[];
  /** Batch predictions run in this cluster. */
  readonly batchJobs: readonly BatchPredictionJob[];
  /** Gateway settings for this cluster. */
  readonly gateway: GatewaySettings;
  /** Cost estimate inputs and budget. */
  readonly cost: CostInputs;
  /**
   * The managed PostgreSQL of the cluster (RDS, Cloud SQL, Flexible Server), when something uses
   * it. Absent: the stack creates none, and nobody pays for an idle database. Size, version and
   * backups come from `DATABASE` in infra/defaults.ts, the same for every cluster of a cloud.
   */
  readonly database?: DatabaseSpec;
}

/** A cluster's managed PostgreSQL, declared because something connects to it. */
export interface DatabaseSpec {
  /** What connects to the database: the workload or team that needs it, so an unused one is noticed. */
  readonly usedBy: string;
}

/** An Entra ID principal: a group, a service principal (an application or managed identity) or a user. */
export interface EntraPrincipal {
  /** Object id of the principal (a lower-case UUID) in the tenant the subscription trusts. */
  readonly objectId: string;
  /**
   * The principal's display name in Entra ID, exactly: Azure stores it with the object id and
   * PostgreSQL names the administrator's role after it.
   */
  readonly principalName: string;
  /** What kind of principal the object id belongs to. */
  readonly principalType: 'Group' | 'ServicePrincipal' | 'User';
}

/** PostgreSQL Flexible Server of an Azure cluster (and its read replica in the paired region). */
export interface AzureDatabaseSpec extends DatabaseSpec {
  /**
   * The Entra ID administrator of the server (password sign-in is off, so the only way in at
   * first). A group lets operators in without a standing grant to the identity applying the stack.
   */
  readonly administrator: EntraPrincipal;
}

/** A BigQuery dataset of a GCP cluster, declared because something writes or reads it. */
export interface AnalyticsDatasetSpec {
  /** What writes or reads the dataset, so an unused one is noticed. */
  readonly usedBy: string;
}

/**
 * How far a principal may act through a cluster's Kubernetes API; always cluster-wide.
 * `cluster-admin`: everything. `view`: the cloud's read-only role, plus the platform's
 * read-only ClusterRole (bound to `accessGroups.developers`), which also covers the
 * platform's custom resources; never Secrets.
 */
export type ApiAccessScope = 'cluster-admin' | 'view';

/** How far an IAM role may act through an EKS cluster's Kubernetes API; always cluster-wide. */
export type EksAccessScope = ApiAccessScope;

/** An IAM role allowed to use an EKS cluster's Kubernetes API (one EKS access entry). */
export interface EksApiAccess {
  /**
   * ARN of an IAM role, `arn:aws:iam::<account>:role/<name>` (a path before the name is
   * allowed), in any account. Roles only: users hold long-lived keys, and a session ARN
   * (`sts::…:assumed-role/…`) changes with every session.
   */
  readonly principalArn: string;
  /**
   * `cluster-admin`: the AmazonEKSClusterAdminPolicy access policy, everything.
   * `view`: AmazonEKSViewPolicy, plus membership of `accessGroups.developers`, so the
   * platform's read-only ClusterRole covers its custom resources too; never Secrets.
   */
  readonly scope: EksAccessScope;
}

/** A cluster on AWS (EKS). */
export interface AwsClusterSpec extends ClusterSpecBase {
  readonly cloud: 'aws';
  /** The 12-digit AWS account id the cluster runs in. */
  readonly accountId: string;
  /**
   * The IAM roles that may use the Kubernetes API, and how far; nobody else can. The
   * stack does not make its creator an administrator, so at least one must be `cluster-admin`.
   */
  readonly apiAccess: readonly EksApiAccess[];
}

/** A Google identity allowed to use a GKE cluster's Kubernetes API (project IAM roles). */
export interface GkeApiAccess {
  /**
   * IAM member: `group:<email>`, `serviceAccount:<email>` or `user:<email>`. A group's
   * Kubernetes RBAC binding works only if the group is a member of `rbacSecurityGroup`.
   */
  readonly member: string;
  /**
   * `cluster-admin`: `roles/container.admin`. `view`: `roles/container.clusterViewer` (fetch
   * credentials, nothing inside the cluster) plus the platform's read-only ClusterRole, bound to
   * the member itself (a group by its email, a user or service account by its email).
   * Project IAM roles cover every cluster in the project, not only this one.
   */
  readonly scope: ApiAccessScope;
}

/** A cluster on Google Cloud (GKE). */
export interface GcpClusterSpec extends ClusterSpecBase {
  readonly cloud: 'gcp';
  /** The GCP project id the cluster runs in. */
  readonly projectId: string;
  /**
   * The Google identities that may use the Kubernetes API, and how far. The identity applying
   * the stack holds project roles of its own; still, at least one must be `cluster-admin`.
   */
  readonly apiAccess: readonly GkeApiAccess[];
  /**
   * `gke-security-groups@<domain>`: the Google group whose member groups GKE reports to
   * Kubernetes RBAC (Google Groups for RBAC); the `group:` members of `apiAccess` must be in it.
   */
  readonly rbacSecurityGroup: string;
  /**
   * The BigQuery dataset for prediction analytics, when something uses it; absent, the stack
   * creates none. Only workloads whose `clusters/workloads.ts` entry says `writesAnalytics` may write it.
   */
  readonly analyticsDataset?: AnalyticsDatasetSpec;
}

/** An Entra ID group allowed to use an AKS cluster's Kubernetes API (Azure RBAC role assignments). */
export interface AksApiAccess {
  /** Object id (a UUID) of an Entra ID group in the tenant the cluster signs in with. */
  readonly groupObjectId: string;
  /**
   * `cluster-admin`: "Azure Kubernetes Service RBAC Cluster Admin" on the cluster, and an admin
   * group of the cluster. `view`: "Azure Kubernetes Service RBAC Reader" and "Azure Kubernetes
   * Service Cluster User Role" (to fetch a kubeconfig), plus the platform's read-only ClusterRole
   * bound to the group's object id.
   */
  readonly scope: ApiAccessScope;
}

/** A cluster on Azure (AKS). */
export interface AzureClusterSpec extends ClusterSpecBase {
  readonly cloud: 'azure';
  /** The Azure subscription id (a GUID). */
  readonly subscriptionId: string;
  /** The resource group holding the cluster and its resources. */
  readonly resourceGroup: string;
  /**
   * The Entra ID groups that may use the Kubernetes API, and how far; local accounts are
   * disabled, so nobody else can. At least one must be `cluster-admin`.
   */
  readonly apiAccess: readonly AksApiAccess[];
  /** PostgreSQL Flexible Server and its read replica in the paired region, with their Entra administrator. */
  readonly database?: AzureDatabaseSpec;
}

/** One cluster of the fleet; the `cloud` field selects which cloud-specific fields apply. */
export type ClusterSpec = AwsClusterSpec | GcpClusterSpec | AzureClusterSpec;

/** A model in the catalog: what it is, independent of where it runs. */
export interface ModelSpec {
  /** Model name as the serving API knows it; a DNS-1123 label. */
  readonly name: string;
  /** Whether serving needs a GPU (placed on the cluster's `gpu` pool). */
  readonly needsGpu: boolean;
  /** The versions served; each is a SavedModel in the model bucket. */
  readonly versions: readonly ModelVersion[];
  /** The serving runtime, pinned. */
  readonly runtime: ModelRuntime;
  /** Compute per serving replica. */
  readonly resources: ModelResources;
  /**
   * Traffic split between two versions, in percent, adding up to 100. Without
   * a split, the highest version gets all traffic.
   */
  readonly split?: readonly VersionWeight[];
  /** How replicas scale between a cluster's `minReplicas` and `maxReplicas`. */
  readonly autoscaling: ModelAutoscaling;
}

/** One served version of a model. */
export interface ModelVersion {
  /** TF Serving version number (the numeric folder under the model's base path). */
  readonly version: number;
  /** Where the SavedModel lives, relative to the model bucket: `<model>/<version>`, the layout TF Serving reads. */
  readonly path: string;
}

/** The TF Serving image of a model, mirrored into each cluster's registry as `tensorflow-serving`. */
export interface ModelRuntime {
  /** Exact image tag, e.g. `2.18.0` or `2.18.0-gpu`; never `latest`. */
  readonly tag: string;
  /** Image digest (`sha256:…`), when known; pins the image even if the tag moves. */
  readonly digest?: string;
}

/** Requests and limits of one serving container. */
export interface ModelResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  /** GPUs per replica; only for models that need one. */
  readonly gpus?: number;
}

/** Share of a model's traffic that one version gets. */
export interface VersionWeight {
  readonly version: number;
  /** Percent of requests, 0-100. */
  readonly weight: number;
}

/** Autoscaling targets of a model's serving replicas. */
export interface ModelAutoscaling {
  /** Average CPU utilisation the autoscaler keeps, percent of the request. */
  readonly targetCpuUtilization: number;
  /**
   * A per-pod custom metric to scale on as well (served by the Prometheus
   * adapter), e.g. `tensorflow_serving_request_rate` with target `50`.
   */
  readonly customMetric?: { readonly name: string; readonly averageValue: string };
}

/** A batch prediction over files in the cluster's data lake. */
export interface BatchPredictionJob {
  /** Job name; a DNS-1123 label. */
  readonly name: string;
  /** The model that scores the input; must be served in the cluster. */
  readonly model: string;
  /** Prefix in the data-lake bucket holding the input files. */
  readonly inputPrefix: string;
  /** Prefix in the data-lake bucket the predictions are written to. */
  readonly outputPrefix: string;
  /** Cron schedule (five fields); a one-off Job when absent. */
  readonly schedule?: string;
  /** Pods working on the input at once, each on its own shard. */
  readonly parallelism: number;
}

/** How model artifacts reach every cloud: copied from one source cluster's bucket to the others'. */
export interface ModelReplication {
  /** The cluster whose model bucket is the source of truth; new versions are published there. */
  readonly sourceCluster: string;
  /** Cron schedule (five fields) of the copy in every other cluster. */
  readonly schedule: string;
  /** Cron schedule of the verification that every version arrived unchanged. */
  readonly verifySchedule: string;
}

/** Settings that hold for the whole fleet. */
export interface FleetSettings {
  /** `app.kubernetes.io/part-of` of every rendered object. */
  readonly partOf: string;
  /** Kubernetes minor versions the charts and schemas are known to work with. */
  readonly supportedKubernetesVersions: readonly string[];
  /** Git repository Argo CD syncs from. */
  readonly repoUrl: string;
  /** Git revision Argo CD tracks. */
  readonly targetRevision: string;
  /** Which cluster publishes models and when the others copy and verify them. */
  readonly modelReplication: ModelReplication;
  /**
   * Kubernetes RBAC group names, bound by the base component's roles. On EKS, the
   * `view` access entries of a cluster file put their roles in `developers`; on GKE and
   * AKS, the `view` principals of a cluster file are bound next to `developers`, by
   * email or Entra ID group object id, since those clouds name groups themselves.
   */
  readonly accessGroups: {
    /** People who may read, never change, the platform's resources. */
    readonly developers: string;
    /** The CI identity allowed to roll out workloads. */
    readonly deployers: string;
  };
  /** Cost centre every cloud resource is tagged (AWS, Azure) or labelled (GCP) with. */
  readonly costCentre: string;
  /** Where each cloud's Terraform stacks keep their remote state; one state file per cluster. */
  readonly terraformState: TerraformStateSettings;
  /** Metrics, logs, traces and alerting of the platform's observability stack. */
  readonly observability: ObservabilitySettings;
  /** Monthly budgets the cost estimate is checked against (each cluster's own is in its `cost`). */
  readonly budgets: FleetBudgets;
}

/**
 * Monthly spend limits above the single cluster. Exceeding one is a warning in
 * the pull-request comment and fails `npm run cost -- --fail-over-budget`.
 */
export interface FleetBudgets {
  /** Limit for the whole fleet, USD per month. */
  readonly fleetMonthlyUsd: number;
  /** Limit per cloud (all of its clusters together), USD per month. */
  readonly perCloudMonthlyUsd: Readonly<Record<Cloud, number>>;
}

/** How long telemetry is kept, how much of it is sampled and where alerts go. */
export interface ObservabilitySettings {
  /** Days Prometheus keeps samples on its volume in each cluster. */
  readonly metricsRetentionDays: number;
  /** Log index lifecycle in Elasticsearch. */
  readonly logs: {
    /** Days an index stays in the hot phase (written and searched on the fastest volumes). */
    readonly hotDays: number;
    /** Days after rollover when an index is deleted; more than `hotDays`. */
    readonly deleteAfterDays: number;
  };
  /** Share of requests traced end to end (0..1), applied where a trace starts and kept across clouds. */
  readonly traceSamplingRatio: number;
  /**
   * Hourly or per-request spend above this multiple of the baseline from the
   * cost inputs (monthly budget, price per 1000 requests) raises a cost anomaly.
   */
  readonly costAnomalyFactor: number;
  /** Host name clients use for the prediction API; the ingress gateway's TLS certificate is issued for it. */
  readonly predictionApiHost: string;
  /** Where Alertmanager sends notifications; the credentials live in the cloud secret store. */
  readonly alerting: {
    /** Slack channel for critical alerts (pages the on-call engineer). */
    readonly criticalSlackChannel: string;
    /** Slack channel for warnings (looked at during working hours). */
    readonly warningSlackChannel: string;
    /** Mailbox that receives critical alerts as well, for an audit trail. */
    readonly emailTo: string;
    /** Sender address of alert mails. */
    readonly emailFrom: string;
    /** SMTP relay `host:port` Alertmanager sends mail through (STARTTLS). */
    readonly smtpSmarthost: string;
    /** SMTP user name; its password is a secret in the cloud store. */
    readonly smtpUsername: string;
  };
}

/**
 * Remote state per cloud. The state stores themselves are created once, outside
 * these stacks (a stack cannot hold the lock on the bucket that holds its state).
 */
export interface TerraformStateSettings {
  /** S3 bucket, locked by a lock file next to the state (`use_lockfile`), used by every AWS cluster's stack. */
  readonly aws: {
    /** S3 bucket holding the state files (versioned, encrypted). */
    readonly bucket: string;
    /** Region of the state bucket. */
    readonly region: string;
  };
  /** GCS bucket used by every GCP cluster's stack; GCS locks natively. */
  readonly gcp: {
    /** GCS bucket holding the state files (versioned). */
    readonly bucket: string;
  };
  /** Blob container used by every Azure cluster's stack; blob leases lock it. */
  readonly azure: {
    /** Subscription holding the state storage account. */
    readonly subscriptionId: string;
    /** Resource group of the state storage account. */
    readonly resourceGroup: string;
    /** Storage account holding the state container. */
    readonly storageAccount: string;
    /** Blob container holding the state files. */
    readonly container: string;
  };
}

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
