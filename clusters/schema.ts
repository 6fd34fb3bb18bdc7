import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { aksAgentPoolName } from './aks-pool-name';

/**
 * The fleet contract: every cluster, node pool, model and setting the platform knows about is
 * declared here, once. The schemas check a value when the fleet loads, and `types.ts` derives the
 * TypeScript types from them (`z.output`), so a field exists in the type exactly when it exists
 * in the schema. Each property's doc comment is carried into the inferred type, where editors
 * show it on hover. Field-level rules live here; rules that relate fields of different objects
 * (duplicate names, overlapping CIDRs, GPU placement) live in `validate.ts`.
 */

/** DNS-1123 label: what Kubernetes accepts as a namespace, service or label-safe name. */
export const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters (a DNS-1123 label)')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
  );

const cidrV4 = z
  .string()
  .refine((value) => ipaddr.isValidCIDR(value) && ipaddr.parseCIDR(value)[0].kind() === 'ipv4', {
    message: 'must be an IPv4 CIDR such as 10.0.0.0/16',
  });

const count = z.number().int('must be a whole number').min(0, 'must be 0 or more');

const cronSchedule = z.string().regex(/^(\S+\s+){4}\S+$/, 'must be a cron schedule with five fields');

export const taintSchema = z.strictObject({
  /** Taint key, e.g. `nvidia.com/gpu`. */
  key: z.string().min(1),
  /** Taint value; empty string when the taint has no value. */
  value: z.string(),
  /** What the scheduler does with pods that do not tolerate the taint. */
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

export const nodePoolRoleSchema = z.enum(['general', 'ml', 'gpu']);

export const gpuSchema = z.strictObject({
  /** Accelerator model as the cloud names it, e.g. `nvidia-tesla-t4`. */
  type: z.string().min(1),
  /** Accelerators per node. */
  count: count.min(1, 'must be at least 1'),
});

export const nodePoolSchema = z
  .strictObject({
    /** Pool name, unique within the cluster; a DNS-1123 label. */
    name: dnsLabel,
    /** What runs on the pool. */
    role: nodePoolRoleSchema,
    /** The cloud's machine type, e.g. `m6i.xlarge`, `n2-standard-4`, `Standard_D4s_v5`. */
    instanceType: z.string().min(1),
    /** Minimum node count the autoscaler keeps. */
    minSize: count,
    /** Maximum node count the autoscaler may reach. */
    maxSize: count.min(1, 'must be at least 1'),
    /** Expected node count in steady state; used for the cost estimate. */
    desiredSize: count,
    /** On-demand or spot capacity. */
    capacityType: z.enum(['on-demand', 'spot']),
    /** Root disk size per node, GiB. */
    diskSizeGb: count.min(20, 'must be at least 20 GiB'),
    /** Accelerators per node; only on pools with role `gpu`. */
    gpu: gpuSchema.optional(),
    /** Taints the pool applies to its nodes; pods scheduled there get matching tolerations. */
    taints: z.array(taintSchema),
    /**
     * On an on-demand pool: the spot pool (same role and taints) whose pods it takes
     * when spot capacity is reclaimed or unavailable. The autoscaler grows the spot
     * pool first and this one only when that fails (platform/clouds/spot-fallback.ts).
     */
    fallbackFor: dnsLabel.optional(),
  })
  .superRefine((pool, ctx) => {
    if (pool.fallbackFor !== undefined && pool.capacityType !== 'on-demand') {
      ctx.addIssue({
        code: 'custom',
        path: ['fallbackFor'],
        message: 'only an on-demand pool can be a spot fallback',
      });
    }
    if (pool.minSize > pool.maxSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['minSize'],
        message: `must be ≤ maxSize (${pool.maxSize}), got ${pool.minSize}`,
      });
    }
    if (pool.desiredSize < pool.minSize || pool.desiredSize > pool.maxSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['desiredSize'],
        message: `must be between minSize (${pool.minSize}) and maxSize (${pool.maxSize}), got ${pool.desiredSize}`,
      });
    }
    if ((pool.role === 'gpu') !== (pool.gpu !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['gpu'],
        message: 'must be set exactly when role is "gpu"',
      });
    }
  });

export const networkSchema = z.strictObject({
  /** The VPC / VNet address range. */
  vpcCidr: cidrV4,
  /** Pod address range (secondary range on GKE, overlay on AKS, VPC CNI on EKS). */
  podCidr: cidrV4,
  /** Service (ClusterIP) address range. */
  serviceCidr: cidrV4,
  /** Istio network name of this cluster in the multi-network mesh. */
  meshNetwork: dnsLabel,
});

/** What uses a declared database or dataset: a few words, so an unused one is noticed and removed. */
const USED_BY = 'must say what connects to it (a workload or team); without a consumer, leave the field out';
const usedBy = z.string({ error: USED_BY }).trim().min(3, USED_BY);

export const databaseSchema = z.strictObject({
  /** What connects to the database: the workload or team that needs it, so an unused one is noticed. */
  usedBy,
});

export const analyticsDatasetSchema = z.strictObject({
  /** What writes or reads the dataset, so an unused one is noticed. */
  usedBy,
});

export const modelDeploymentSchema = z
  .strictObject({
    /** Name of a model in `clusters/models.ts`. */
    model: dnsLabel,
    /** Fewest serving replicas. */
    minReplicas: count.min(1, 'must be at least 1'),
    /** Most serving replicas the autoscaler may reach. */
    maxReplicas: count,
  })
  .superRefine((deployment, ctx) => {
    if (deployment.minReplicas > deployment.maxReplicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['minReplicas'],
        message: `must be ≤ maxReplicas (${deployment.maxReplicas}), got ${deployment.minReplicas}`,
      });
    }
  });

export const batchPredictionJobSchema = z.strictObject({
  /** Job name; a DNS-1123 label. */
  name: dnsLabel,
  /** The model that scores the input; must be served in the cluster. */
  model: dnsLabel,
  /** Prefix in the data-lake bucket holding the input files. */
  inputPrefix: z.string().regex(/^[a-z0-9][a-z0-9/_.-]*$/, 'must be a relative object prefix'),
  /** Prefix in the data-lake bucket the predictions are written to. */
  outputPrefix: z.string().regex(/^[a-z0-9][a-z0-9/_.-]*$/, 'must be a relative object prefix'),
  /** Cron schedule (five fields); a one-off Job when absent. */
  schedule: cronSchedule.optional(),
  /** Pods working on the input at once, each on its own shard. */
  parallelism: count.min(1, 'must be at least 1'),
});

export const gatewaySettingsSchema = z.strictObject({
  /** Gateway replicas in this cluster. */
  replicas: count.min(1, 'must be at least 1'),
  /** Cost the router charges for a request served here, USD per 1000 requests. */
  costPer1kRequestsUsd: z.number().nonnegative(),
});

export const costInputsSchema = z.strictObject({
  /** Monthly budget for this cluster, USD. */
  monthlyBudgetUsd: z.number().positive(),
  /** Expected egress per month, GB. */
  egressGbPerMonth: z.number().nonnegative(),
  /** Expected object storage for models and data, GB. */
  storageGb: z.number().nonnegative(),
});

/** Fields every cluster has, whatever its cloud. */
const clusterBaseShape = {
  /** Cluster name; also the folder under dist/ and the mesh cluster id. A DNS-1123 label. */
  name: dnsLabel,
  /** Cloud region, e.g. `us-east-1`, `us-central1`, `eastus`. */
  region: z.string().regex(/^[a-z0-9-]+$/, 'must be a cloud region id such as us-east-1'),
  /** Availability zones the cluster spans (at least two for production). */
  zones: z.array(z.string().min(1)).min(2, 'must list at least two zones'),
  /** Deployment environment; production rules apply to `prod`. */
  environment: z.enum(['prod', 'staging', 'dev']),
  /** Kubernetes minor version, e.g. `1.31`; one of `fleetSettings.supportedKubernetesVersions`. */
  kubernetesVersion: z.string().regex(/^1\.\d+$/, 'must be a Kubernetes minor version such as 1.31'),
  /** Address ranges and mesh network. */
  network: networkSchema,
  /** Node pools; names unique within the cluster. */
  nodePools: z.array(nodePoolSchema).min(1, 'must have at least one node pool'),
  /** Models served in this cluster. */
  models: z.array(modelDeploymentSchema),
  /** Batch predictions run in this cluster. */
  batchJobs: z.array(batchPredictionJobSchema),
  /** Gateway settings for this cluster. */
  gateway: gatewaySettingsSchema,
  /** Cost estimate inputs and budget. */
  cost: costInputsSchema,
  /**
   * The managed PostgreSQL of the cluster (RDS, Cloud SQL, Flexible Server), when something uses
   * it. Absent: the stack creates none, and nobody pays for an idle database. Size, version and
   * backups come from `DATABASE` in infra/defaults.ts, the same for every cluster of a cloud.
   */
  database: databaseSchema.optional(),
  /**
   * Taken out of the global endpoint (infra/global/endpoint.ts): no DNS answer names the cluster
   * once the global-endpoint stack is applied. Set before `npm run teardown`, which refuses otherwise.
   */
  withdrawnFromGlobalEndpoint: z.boolean().optional(),
};

/** AKS allows only 1-12 lowercase letters and digits in a Linux agent pool name. */
const aksNodePoolSchema = nodePoolSchema.superRefine((pool, ctx) => {
  const agentPool = aksAgentPoolName(pool.name);
  if (!/^[a-z][a-z0-9]{0,11}$/.test(agentPool)) {
    ctx.addIssue({
      code: 'custom',
      path: ['name'],
      message: `becomes AKS agent pool "${agentPool}", which must be 1-12 lowercase letters or digits starting with a letter`,
    });
  }
});

/** `arn:aws:iam::<12 digits>:role/[path/]name`, with the characters IAM allows in paths and role names. */
const IAM_ROLE_ARN = /^arn:aws:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/**
 * An IAM role ARN. A user or a role's session is refused with its own reason, since
 * both are what a console or `aws sts get-caller-identity` shows first.
 */
const iamRoleArn = z.string().superRefine((arn, ctx) => {
  if (IAM_ROLE_ARN.test(arn)) return;
  const message = /^arn:aws:sts::\d{12}:assumed-role\//.test(arn)
    ? 'is the ARN of one session of a role, which changes with every session; give the role itself, arn:aws:iam::<account>:role/<name>'
    : /^arn:aws:iam::\d{12}:user\//.test(arn)
      ? 'is an IAM user, which holds long-lived keys; give a role its people assume, arn:aws:iam::<account>:role/<name>'
      : 'must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>, optionally with a path before the name';
  ctx.addIssue({ code: 'custom', message });
});

export const apiAccessScopeSchema = z.enum(['cluster-admin', 'view']);

export const eksApiAccessSchema = z.strictObject({
  /**
   * ARN of an IAM role, `arn:aws:iam::<account>:role/<name>` (a path before the name is
   * allowed), in any account. Roles only: users hold long-lived keys, and a session ARN
   * (`sts::…:assumed-role/…`) changes with every session.
   */
  principalArn: iamRoleArn,
  /**
   * `cluster-admin`: the AmazonEKSClusterAdminPolicy access policy, everything.
   * `view`: AmazonEKSViewPolicy, plus membership of `accessGroups.developers`, so the
   * platform's read-only ClusterRole covers its custom resources too; never Secrets.
   */
  scope: apiAccessScopeSchema,
});

export const awsClusterSchema = z.strictObject({
  ...clusterBaseShape,
  cloud: z.literal('aws'),
  /** The 12-digit AWS account id the cluster runs in. */
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  /**
   * The IAM roles that may use the Kubernetes API, and how far; nobody else can. The
   * stack does not make its creator an administrator, so at least one must be `cluster-admin`.
   */
  apiAccess: z
    .array(eksApiAccessSchema)
    .refine((entries) => entries.some((entry) => entry.scope === 'cluster-admin'), {
      message:
        'must give at least one role the scope "cluster-admin": the stack does not make its creator an ' +
        'administrator, so without one the Kubernetes API would have none',
    }),
});

/** `group:`, `serviceAccount:` or `user:` followed by an email address. */
const GKE_MEMBER = /^(group|serviceAccount|user):[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/**
 * An IAM member that names one Google identity. A domain, `allUsers` or `allAuthenticatedUsers`
 * is refused with its own reason, since each reaches far more people than a list should name.
 */
const gkeMember = z.string().superRefine((member, ctx) => {
  if (GKE_MEMBER.test(member)) return;
  const message = /^(domain:|allUsers$|allAuthenticatedUsers$)/.test(member)
    ? 'names everyone in a domain or on the internet; give a group, group:<email>'
    : 'must be an IAM member naming one Google identity: group:<email>, serviceAccount:<email> or user:<email>, in lower case';
  ctx.addIssue({ code: 'custom', message });
});

export const gkeApiAccessSchema = z.strictObject({
  /**
   * IAM member: `group:<email>`, `serviceAccount:<email>` or `user:<email>`. A group's
   * Kubernetes RBAC binding works only if the group is a member of `rbacSecurityGroup`.
   */
  member: gkeMember,
  /**
   * `cluster-admin`: `roles/container.admin`. `view`: `roles/container.clusterViewer` (fetch
   * credentials, nothing inside the cluster) plus the platform's read-only ClusterRole, bound to
   * the member itself (a group by its email, a user or service account by its email).
   * Project IAM roles cover every cluster in the project, not only this one.
   */
  scope: apiAccessScopeSchema,
});

export const gcpClusterSchema = z.strictObject({
  ...clusterBaseShape,
  cloud: z.literal('gcp'),
  /** The GCP project id the cluster runs in. */
  projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a GCP project id'),
  /**
   * The Google identities that may use the Kubernetes API, and how far. The identity applying
   * the stack holds project roles of its own; still, at least one must be `cluster-admin`.
   */
  apiAccess: z
    .array(gkeApiAccessSchema)
    .refine((entries) => entries.some((entry) => entry.scope === 'cluster-admin'), {
      message:
        'must give at least one member the scope "cluster-admin", so that someone reviewed administers the cluster',
    }),
  /**
   * `gke-security-groups@<domain>`: the Google group whose member groups GKE reports to
   * Kubernetes RBAC (Google Groups for RBAC); the `group:` members of `apiAccess` must be in it.
   */
  rbacSecurityGroup: z
    .string()
    .regex(
      /^gke-security-groups@[a-z0-9-]+(\.[a-z0-9-]+)+$/,
      'must be gke-security-groups@<domain>, the group GKE reads member groups from (Google Groups for RBAC)',
    ),
  /**
   * The BigQuery dataset for prediction analytics, when something uses it; absent, the stack
   * creates none. Only workloads whose `clusters/workloads.ts` entry says `writesAnalytics` may write it.
   */
  analyticsDataset: analyticsDatasetSchema.optional(),
});

/** An Entra ID object id: a UUID, in lower case as Entra ID and the role assignments show it. */
const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const aksApiAccessSchema = z.strictObject({
  /** Object id (a UUID) of an Entra ID group in the tenant the cluster signs in with. */
  groupObjectId: z
    .string()
    .regex(
      ENTRA_OBJECT_ID,
      'must be the object id of an Entra ID group, a lower-case UUID (not its name or email)',
    ),
  /**
   * `cluster-admin`: "Azure Kubernetes Service RBAC Cluster Admin" on the cluster, and an admin
   * group of the cluster. `view`: "Azure Kubernetes Service RBAC Reader" and "Azure Kubernetes
   * Service Cluster User Role" (to fetch a kubeconfig), plus the platform's read-only ClusterRole
   * bound to the group's object id.
   */
  scope: apiAccessScopeSchema,
});

/** What azurerm 4.55.0's `azurerm_postgresql_flexible_server_active_directory_administrator` takes. */
export const entraPrincipalSchema = z.strictObject(
  {
    /** Object id of the principal (a lower-case UUID) in the tenant the subscription trusts. */
    objectId: z
      .string()
      .regex(
        ENTRA_OBJECT_ID,
        'must be the object id of the Entra ID principal, a lower-case UUID (not its name)',
      ),
    /**
     * The principal's display name in Entra ID, exactly: Azure stores it with the object id and
     * PostgreSQL names the administrator's role after it.
     */
    principalName: z
      .string()
      .trim()
      .min(1, "must be the principal's display name in Entra ID, which Azure stores with the object id"),
    /** What kind of principal the object id belongs to. */
    principalType: z.enum(['Group', 'ServicePrincipal', 'User'], {
      error: (issue) =>
        `unknown principal type ${JSON.stringify(issue.input)}; allowed: Group, ServicePrincipal, User`,
    }),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'must name the Entra ID principal that administers the server: objectId, principalName, principalType ' +
          '(password sign-in is off, so without one nobody can sign in)'
        : undefined,
  },
);

export const azureDatabaseSchema = z.strictObject({
  ...databaseSchema.shape,
  /**
   * The Entra ID administrator of the server (password sign-in is off, so the only way in at
   * first). A group lets operators in without a standing grant to the identity applying the stack.
   */
  administrator: entraPrincipalSchema,
});

export const azureClusterSchema = z.strictObject({
  ...clusterBaseShape,
  /** Node pools; names unique within the cluster, each also a valid AKS agent pool name. */
  nodePools: z.array(aksNodePoolSchema).min(1, 'must have at least one node pool'),
  cloud: z.literal('azure'),
  /** The Azure subscription id (a GUID). */
  subscriptionId: z.uuid('must be an Azure subscription id (a GUID)'),
  /** The resource group holding the cluster and its resources. */
  resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/, 'must be an Azure resource group name'),
  /**
   * The Entra ID groups that may use the Kubernetes API, and how far; local accounts are
   * disabled, so nobody else can. At least one must be `cluster-admin`.
   */
  apiAccess: z
    .array(aksApiAccessSchema)
    .refine((entries) => entries.some((entry) => entry.scope === 'cluster-admin'), {
      message:
        'must give at least one group the scope "cluster-admin": local accounts are disabled, so without one ' +
        'the Kubernetes API would have no administrator',
    }),
  /** PostgreSQL Flexible Server and its read replica in the paired region, with their Entra administrator. */
  database: azureDatabaseSchema.optional(),
});

/** A cluster of any cloud; an unknown `cloud` is reported with the allowed values. */
export const clusterSchema = z.discriminatedUnion('cloud', [
  awsClusterSchema,
  gcpClusterSchema,
  azureClusterSchema,
]);

const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, 'must be a Kubernetes quantity such as 500m or 2Gi');

export const modelVersionSchema = z.strictObject({
  /** TF Serving version number (the numeric folder under the model's base path). */
  version: count.min(1, 'must be at least 1'),
  /** Where the SavedModel lives, relative to the model bucket: `<model>/<version>`, the layout TF Serving reads. */
  path: z.string().min(1),
});

export const modelRuntimeSchema = z.strictObject({
  /** Exact image tag, e.g. `2.18.0` or `2.18.0-gpu`; never `latest`. */
  tag: z
    .string()
    .regex(/^\d+\.\d+\.\d+(-[a-z0-9]+)?$/, 'must be an exact version tag such as 2.18.0 or 2.18.0-gpu'),
  /** Image digest (`sha256:…`), when known; pins the image even if the tag moves. */
  digest: z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/, 'must be a sha256 image digest')
    .optional(),
});

export const modelResourcesSchema = z.strictObject({
  /** CPU request of one serving container, a Kubernetes quantity. */
  cpuRequest: quantity,
  /** CPU limit of one serving container. */
  cpuLimit: quantity,
  /** Memory request of one serving container. */
  memoryRequest: quantity,
  /** Memory limit of one serving container. */
  memoryLimit: quantity,
  /** GPUs per replica; only for models that need one. */
  gpus: count.min(1, 'must be at least 1').optional(),
});

export const versionWeightSchema = z.strictObject({
  /** A version of the model's `versions`. */
  version: count,
  /** Percent of requests, 0-100. */
  weight: z.number().int().min(0).max(100),
});

export const modelAutoscalingSchema = z.strictObject({
  /** Average CPU utilisation the autoscaler keeps, percent of the request. */
  targetCpuUtilization: z.number().int().min(1).max(100),
  /**
   * A per-pod custom metric to scale on as well (served by the Prometheus
   * adapter), e.g. `tensorflow_serving_request_rate` with target `50`.
   */
  customMetric: z.strictObject({ name: z.string().min(1), averageValue: quantity }).optional(),
});

export const modelSchema = z
  .strictObject({
    /** Model name as the serving API knows it; a DNS-1123 label. */
    name: dnsLabel,
    /** Whether serving needs a GPU (placed on the cluster's `gpu` pool). */
    needsGpu: z.boolean(),
    /** The versions served; each is a SavedModel in the model bucket. */
    versions: z.array(modelVersionSchema).min(1, 'must list at least one version'),
    /** The serving runtime, pinned. */
    runtime: modelRuntimeSchema,
    /** Compute per serving replica. */
    resources: modelResourcesSchema,
    /**
     * Traffic split between two versions, in percent, adding up to 100. Without
     * a split, the highest version gets all traffic.
     */
    split: z.array(versionWeightSchema).length(2, 'must split between exactly two versions').optional(),
    /** How replicas scale between a cluster's `minReplicas` and `maxReplicas`. */
    autoscaling: modelAutoscalingSchema,
  })
  .superRefine((model, ctx) => {
    const versions = model.versions.map((v) => v.version);
    model.versions.forEach((v, i) => {
      if (versions.indexOf(v.version) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['versions', i, 'version'],
          message: `duplicate version ${v.version}`,
        });
      }
      if (v.path !== `${model.name}/${v.version}`) {
        ctx.addIssue({
          code: 'custom',
          path: ['versions', i, 'path'],
          message: `must be "${model.name}/${v.version}": TF Serving reads <model>/<version> under the model bucket`,
        });
      }
    });
    model.split?.forEach((share, i) => {
      if (!versions.includes(share.version)) {
        ctx.addIssue({
          code: 'custom',
          path: ['split', i, 'version'],
          message: `version ${share.version} is not one of the model's versions (${versions.join(', ')})`,
        });
      }
    });
    const total = model.split?.reduce((sum, share) => sum + share.weight, 0);
    if (total !== undefined && total !== 100) {
      ctx.addIssue({ code: 'custom', path: ['split'], message: `weights must add up to 100, got ${total}` });
    }
    if (model.needsGpu !== (model.resources.gpus !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources', 'gpus'],
        message: 'must be set exactly when the model needs a GPU',
      });
    }
  });

export const terraformStateSchema = z.strictObject({
  /** S3 bucket, locked by a lock file next to the state (`use_lockfile`), used by every AWS cluster's stack. */
  aws: z.strictObject({
    /** S3 bucket holding the state files (versioned, encrypted). */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
    /** Region of the state bucket. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1'),
  }),
  /** GCS bucket used by every GCP cluster's stack; GCS locks natively. */
  gcp: z.strictObject({
    /** GCS bucket holding the state files (versioned). */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'must be a GCS bucket name'),
  }),
  /** Blob container used by every Azure cluster's stack; blob leases lock it. */
  azure: z.strictObject({
    /** Subscription holding the state storage account. */
    subscriptionId: z.uuid('must be an Azure subscription id (a GUID)'),
    /** Resource group of the state storage account. */
    resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/, 'must be an Azure resource group name'),
    /** Storage account holding the state container. */
    storageAccount: z.string().regex(/^[a-z0-9]{3,24}$/, 'must be 3-24 lowercase letters and digits'),
    /** Blob container holding the state files. */
    container: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a blob container name'),
  }),
});

const slackChannel = z.string().regex(/^#[a-z0-9._-]+$/, 'must be a Slack channel such as #alerts');

export const observabilitySchema = z
  .strictObject({
    /** Days Prometheus keeps samples on its volume in each cluster. */
    metricsRetentionDays: z.number().int().min(1, 'must be at least 1 day'),
    /** Log index lifecycle in Elasticsearch. */
    logs: z.strictObject({
      /** Days an index stays in the hot phase (written and searched on the fastest volumes). */
      hotDays: z.number().int().min(1, 'must be at least 1 day'),
      /** Days after rollover when an index is deleted; more than `hotDays`. */
      deleteAfterDays: z.number().int().min(1, 'must be at least 1 day'),
    }),
    /** Share of requests traced end to end (0..1), applied where a trace starts and kept across clouds. */
    traceSamplingRatio: z.number().min(0).max(1, 'must be a ratio between 0 and 1'),
    /**
     * Hourly or per-request spend above this multiple of the baseline from the
     * cost inputs (monthly budget, price per 1000 requests) raises a cost anomaly.
     */
    costAnomalyFactor: z.number().gt(1, 'must be greater than 1 (a multiple of the baseline)'),
    /** Host name clients use for the prediction API; the ingress gateway's TLS certificate is issued for it. */
    predictionApiHost: z
      .string()
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a fully qualified host name'),
    /** Where Alertmanager sends notifications; the credentials live in the cloud secret store. */
    alerting: z.strictObject({
      /** Slack channel for critical alerts (pages the on-call engineer). */
      criticalSlackChannel: slackChannel,
      /** Slack channel for warnings (looked at during working hours). */
      warningSlackChannel: slackChannel,
      /** Mailbox that receives critical alerts as well, for an audit trail. */
      emailTo: z.email(),
      /** Sender address of alert mails. */
      emailFrom: z.email(),
      /** SMTP relay `host:port` Alertmanager sends mail through (STARTTLS). */
      smtpSmarthost: z.string().regex(/^[a-z0-9.-]+:\d+$/, 'must be host:port'),
      /** SMTP user name; its password is a secret in the cloud store. */
      smtpUsername: z.string().min(1),
    }),
  })
  .superRefine((settings, ctx) => {
    if (settings.logs.deleteAfterDays <= settings.logs.hotDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['logs', 'deleteAfterDays'],
        message: `must be greater than logs.hotDays (${settings.logs.hotDays}), got ${settings.logs.deleteAfterDays}`,
      });
    }
  });

export const modelReplicationSchema = z.strictObject({
  /** The cluster whose model bucket is the source of truth; new versions are published there. */
  sourceCluster: dnsLabel,
  /** Cron schedule (five fields) of the copy in every other cluster. */
  schedule: cronSchedule,
  /** Cron schedule of the verification that every version arrived unchanged. */
  verifySchedule: cronSchedule,
});

const usdAmount = z.number().positive('must be a positive USD amount');

export const fleetBudgetsSchema = z.strictObject({
  /** Limit for the whole fleet, USD per month. */
  fleetMonthlyUsd: usdAmount,
  /** Limit per cloud (all of its clusters together), USD per month. */
  perCloudMonthlyUsd: z.strictObject({ aws: usdAmount, gcp: usdAmount, azure: usdAmount }),
});

export const fleetSettingsSchema = z.strictObject({
  /** `app.kubernetes.io/part-of` of every rendered object. */
  partOf: dnsLabel,
  /** Kubernetes minor versions the charts and schemas are known to work with. */
  supportedKubernetesVersions: z.array(z.string().regex(/^1\.\d+$/)).min(1),
  /** Git repository Argo CD syncs from. */
  repoUrl: z.string().url(),
  /** Git revision Argo CD tracks. */
  targetRevision: z.string().min(1),
  /**
   * Kubernetes RBAC group names, bound by the base component's roles. On EKS, the
   * `view` access entries of a cluster file put their roles in `developers`; on GKE and
   * AKS, the `view` principals of a cluster file are bound next to `developers`, by
   * email or Entra ID group object id, since those clouds name groups themselves.
   */
  accessGroups: z.strictObject({
    /** People who may read, never change, the platform's resources. */
    developers: z.string().min(1),
    /** The CI identity allowed to roll out workloads. */
    deployers: z.string().min(1),
  }),
  /** Which cluster publishes models and when the others copy and verify them. */
  modelReplication: modelReplicationSchema,
  /** Cost centre every cloud resource is tagged (AWS, Azure) or labelled (GCP) with. */
  costCentre: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, "_" or "-" (a GCP label value)'),
  /** Where each cloud's Terraform stacks keep their remote state; one state file per cluster. */
  terraformState: terraformStateSchema,
  /** Metrics, logs, traces and alerting of the platform's observability stack. */
  observability: observabilitySchema,
  /** Monthly budgets the cost estimate is checked against (each cluster's own is in its `cost`). */
  budgets: fleetBudgetsSchema,
});
