import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { aksAgentPoolName } from './naming';
import type {
  AksApiAccess,
  AnalyticsDatasetSpec,
  AwsClusterSpec,
  AzureClusterSpec,
  AzureDatabaseSpec,
  ClusterNetwork,
  ClusterSpec,
  DatabaseSpec,
  EksApiAccess,
  EntraPrincipal,
  FleetBudgets,
  FleetSettings,
  GcpClusterSpec,
  GkeApiAccess,
  ModelSpec,
  NodePool,
  ObservabilitySettings,
  TerraformStateSettings,
} from './types';

/**
 * Runtime schemas for the fleet contract in `types.ts`. Each schema is tied to
 * its interface with `satisfies`, so the two cannot drift apart silently.
 * Field-level rules live here; rules that relate fields of different objects
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

const taintSchema = z.strictObject({
  key: z.string().min(1),
  value: z.string(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

const nodePoolSchema = z
  .strictObject({
    name: dnsLabel,
    role: z.enum(['general', 'ml', 'gpu']),
    instanceType: z.string().min(1),
    minSize: count,
    maxSize: count.min(1, 'must be at least 1'),
    desiredSize: count,
    capacityType: z.enum(['on-demand', 'spot']),
    diskSizeGb: count.min(20, 'must be at least 20 GiB'),
    gpu: z.strictObject({ type: z.string().min(1), count: count.min(1, 'must be at least 1') }).optional(),
    taints: z.array(taintSchema),
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
  }) satisfies z.ZodType<NodePool>;

const networkSchema = z.strictObject({
  vpcCidr: cidrV4,
  podCidr: cidrV4,
  serviceCidr: cidrV4,
  meshNetwork: dnsLabel,
}) satisfies z.ZodType<ClusterNetwork>;

/** What uses a declared database or dataset: a few words, so an unused one is noticed and removed. */
const USED_BY = 'must say what connects to it (a workload or team); without a consumer, leave the field out';
const usedBy = z.string({ error: USED_BY }).trim().min(3, USED_BY);

const databaseSchema = z.strictObject({ usedBy }) satisfies z.ZodType<DatabaseSpec>;

const analyticsDatasetSchema = z.strictObject({ usedBy }) satisfies z.ZodType<AnalyticsDatasetSpec>;

const clusterBaseShape = {
  name: dnsLabel,
  region: z.string().regex(/^[a-z0-9-]+$/, 'must be a cloud region id such as us-east-1'),
  zones: z.array(z.string().min(1)).min(2, 'must list at least two zones'),
  environment: z.enum(['prod', 'staging', 'dev']),
  kubernetesVersion: z.string().regex(/^1\.\d+$/, 'must be a Kubernetes minor version such as 1.31'),
  network: networkSchema,
  nodePools: z.array(nodePoolSchema).min(1, 'must have at least one node pool'),
  models: z.array(
    z
      .strictObject({ model: dnsLabel, minReplicas: count.min(1, 'must be at least 1'), maxReplicas: count })
      .superRefine((deployment, ctx) => {
        if (deployment.minReplicas > deployment.maxReplicas) {
          ctx.addIssue({
            code: 'custom',
            path: ['minReplicas'],
            message: `must be ≤ maxReplicas (${deployment.maxReplicas}), got ${deployment.minReplicas}`,
          });
        }
      }),
  ),
  batchJobs: z.array(
    z.strictObject({
      name: dnsLabel,
      model: dnsLabel,
      inputPrefix: z.string().regex(/^[a-z0-9][a-z0-9/_.-]*$/, 'must be a relative object prefix'),
      outputPrefix: z.string().regex(/^[a-z0-9][a-z0-9/_.-]*$/, 'must be a relative object prefix'),
      schedule: z
        .string()
        .regex(/^(\S+\s+){4}\S+$/, 'must be a cron schedule with five fields')
        .optional(),
      parallelism: count.min(1, 'must be at least 1'),
    }),
  ),
  gateway: z.strictObject({
    replicas: count.min(1, 'must be at least 1'),
    costPer1kRequestsUsd: z.number().nonnegative(),
  }),
  cost: z.strictObject({
    monthlyBudgetUsd: z.number().positive(),
    egressGbPerMonth: z.number().nonnegative(),
    storageGb: z.number().nonnegative(),
  }),
  database: databaseSchema.optional(),
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

const eksApiAccessSchema = z.strictObject({
  principalArn: iamRoleArn,
  scope: z.enum(['cluster-admin', 'view']),
}) satisfies z.ZodType<EksApiAccess>;

export const awsClusterSchema = z.strictObject({
  ...clusterBaseShape,
  cloud: z.literal('aws'),
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  apiAccess: z
    .array(eksApiAccessSchema)
    .refine((entries) => entries.some((entry) => entry.scope === 'cluster-admin'), {
      message:
        'must give at least one role the scope "cluster-admin": the stack does not make its creator an ' +
        'administrator, so without one the Kubernetes API would have none',
    }),
}) satisfies z.ZodType<AwsClusterSpec>;

const apiScope = z.enum(['cluster-admin', 'view']);

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

const gkeApiAccessSchema = z.strictObject({
  member: gkeMember,
  scope: apiScope,
}) satisfies z.ZodType<GkeApiAccess>;

export const gcpClusterSchema = z.strictObject({
  ...clusterBaseShape,
  cloud: z.literal('gcp'),
  projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a GCP project id'),
  apiAccess: z
    .array(gkeApiAccessSchema)
    .refine((entries) => entries.some((entry) => entry.scope === 'cluster-admin'), {
      message:
        'must give at least one member the scope "cluster-admin", so that someone reviewed administers the cluster',
    }),
  rbacSecurityGroup: z
    .string()
    .regex(
      /^gke-security-groups@[a-z0-9-]+(\.[a-z0-9-]+)+$/,
      'must be gke-security-groups@<domain>, the group GKE reads member groups from (Google Groups for RBAC)',
    ),
  analyticsDataset: analyticsDatasetSchema.optional(),
}) satisfies z.ZodType<GcpClusterSpec>;

/** An Entra ID object id: a UUID, in lower case as Entra ID and the role assignments show it. */
const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const aksApiAccessSchema = z.strictObject({
  groupObjectId: z
    .string()
    .regex(
      ENTRA_OBJECT_ID,
      'must be the object id of an Entra ID group, a lower-case UUID (not its name or email)',
    ),
  scope: apiScope,
}) satisfies z.ZodType<AksApiAccess>;

/** What azurerm 4.55.0's `azurerm_postgresql_flexible_server_active_directory_administrator` takes. */
const entraPrincipalSchema = z.strictObject(
  {
    objectId: z
      .string()
      .regex(
        ENTRA_OBJECT_ID,
        'must be the object id of the Entra ID principal, a lower-case UUID (not its name)',
      ),
    principalName: z
      .string()
      .trim()
      .min(1, "must be the principal's display name in Entra ID, which Azure stores with the object id"),
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
) satisfies z.ZodType<EntraPrincipal>;

const azureDatabaseSchema = z.strictObject({
  usedBy,
  administrator: entraPrincipalSchema,
}) satisfies z.ZodType<AzureDatabaseSpec>;

export const azureClusterSchema = z.strictObject({
  ...clusterBaseShape,
  nodePools: z.array(aksNodePoolSchema).min(1, 'must have at least one node pool'),
  cloud: z.literal('azure'),
  subscriptionId: z.uuid('must be an Azure subscription id (a GUID)'),
  resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/, 'must be an Azure resource group name'),
  apiAccess: z
    .array(aksApiAccessSchema)
    .refine((entries) => entries.some((entry) => entry.scope === 'cluster-admin'), {
      message:
        'must give at least one group the scope "cluster-admin": local accounts are disabled, so without one ' +
        'the Kubernetes API would have no administrator',
    }),
  database: azureDatabaseSchema.optional(),
}) satisfies z.ZodType<AzureClusterSpec>;

/** A cluster of any cloud; an unknown `cloud` is reported with the allowed values. */
export const clusterSchema = z.discriminatedUnion('cloud', [
  awsClusterSchema,
  gcpClusterSchema,
  azureClusterSchema,
]) satisfies z.ZodType<ClusterSpec>;

const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, 'must be a Kubernetes quantity such as 500m or 2Gi');

export const modelSchema = z
  .strictObject({
    name: dnsLabel,
    needsGpu: z.boolean(),
    versions: z
      .array(z.strictObject({ version: count.min(1, 'must be at least 1'), path: z.string().min(1) }))
      .min(1, 'must list at least one version'),
    runtime: z.strictObject({
      tag: z
        .string()
        .regex(/^\d+\.\d+\.\d+(-[a-z0-9]+)?$/, 'must be an exact version tag such as 2.18.0 or 2.18.0-gpu'),
      digest: z
        .string()
        .regex(/^sha256:[a-f0-9]{64}$/, 'must be a sha256 image digest')
        .optional(),
    }),
    resources: z.strictObject({
      cpuRequest: quantity,
      cpuLimit: quantity,
      memoryRequest: quantity,
      memoryLimit: quantity,
      gpus: count.min(1, 'must be at least 1').optional(),
    }),
    split: z
      .array(z.strictObject({ version: count, weight: z.number().int().min(0).max(100) }))
      .length(2, 'must split between exactly two versions')
      .optional(),
    autoscaling: z.strictObject({
      targetCpuUtilization: z.number().int().min(1).max(100),
      customMetric: z.strictObject({ name: z.string().min(1), averageValue: quantity }).optional(),
    }),
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
  }) satisfies z.ZodType<ModelSpec>;

const terraformStateSchema = z.strictObject({
  aws: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1'),
  }),
  gcp: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'must be a GCS bucket name'),
  }),
  azure: z.strictObject({
    subscriptionId: z.uuid('must be an Azure subscription id (a GUID)'),
    resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/, 'must be an Azure resource group name'),
    storageAccount: z.string().regex(/^[a-z0-9]{3,24}$/, 'must be 3-24 lowercase letters and digits'),
    container: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a blob container name'),
  }),
}) satisfies z.ZodType<TerraformStateSettings>;

const observabilitySchema = z
  .strictObject({
    metricsRetentionDays: z.number().int().min(1, 'must be at least 1 day'),
    logs: z.strictObject({
      hotDays: z.number().int().min(1, 'must be at least 1 day'),
      deleteAfterDays: z.number().int().min(1, 'must be at least 1 day'),
    }),
    traceSamplingRatio: z.number().min(0).max(1, 'must be a ratio between 0 and 1'),
    costAnomalyFactor: z.number().gt(1, 'must be greater than 1 (a multiple of the baseline)'),
    predictionApiHost: z
      .string()
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a fully qualified host name'),
    alerting: z.strictObject({
      criticalSlackChannel: z.string().regex(/^#[a-z0-9._-]+$/, 'must be a Slack channel such as #alerts'),
      warningSlackChannel: z.string().regex(/^#[a-z0-9._-]+$/, 'must be a Slack channel such as #alerts'),
      emailTo: z.email(),
      emailFrom: z.email(),
      smtpSmarthost: z.string().regex(/^[a-z0-9.-]+:\d+$/, 'must be host:port'),
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
  }) satisfies z.ZodType<ObservabilitySettings>;

export const fleetSettingsSchema = z.strictObject({
  partOf: dnsLabel,
  supportedKubernetesVersions: z.array(z.string().regex(/^1\.\d+$/)).min(1),
  repoUrl: z.string().url(),
  targetRevision: z.string().min(1),
  accessGroups: z.strictObject({ developers: z.string().min(1), deployers: z.string().min(1) }),
  modelReplication: z.strictObject({
    sourceCluster: dnsLabel,
    schedule: z.string().regex(/^(\S+\s+){4}\S+$/, 'must be a cron schedule with five fields'),
    verifySchedule: z.string().regex(/^(\S+\s+){4}\S+$/, 'must be a cron schedule with five fields'),
  }),
  costCentre: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, "_" or "-" (a GCP label value)'),
  terraformState: terraformStateSchema,
  observability: observabilitySchema,
  budgets: z.strictObject({
    fleetMonthlyUsd: z.number().positive('must be a positive USD amount'),
    perCloudMonthlyUsd: z.strictObject({
      aws: z.number().positive('must be a positive USD amount'),
      gcp: z.number().positive('must be a positive USD amount'),
      azure: z.number().positive('must be a positive USD amount'),
    }),
  }) satisfies z.ZodType<FleetBudgets>,
}) satisfies z.ZodType<FleetSettings>;
