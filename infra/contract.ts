import { secretName } from '../clusters/naming';
import { type ClusterOutputs, outputsFile } from '../clusters/outputs';
import type { ClusterSpec, Fleet } from '../clusters/types';
import { cloudWorkloadsFor, PLATFORM_IMAGES } from '../clusters/workloads';
import type { CloudProfile, LogSnapshotStorage } from '../platform/clouds/profile';
import { parseDocuments } from '../tools/tree/documents';
import type { TreeFile } from '../tools/tree/files';
import { terraformFile } from '../tools/tree/layout';
import { STACK_OUTPUTS } from './outputs';

export { type NetworkView, networkView, reachabilityProblems } from './reachability';

/**
 * The cross-layer contract: every cloud resource a manifest names (an IAM
 * role, a Google service account, an Azure managed identity, a bucket, a
 * registry, a node pool) must be one the matching Terraform stack creates.
 * Stacks are read as rendered Terraform JSON, so this check does not depend on
 * how the JSON was produced.
 */

/** What one rendered stack creates, by the names manifests refer to. */
export interface StackInventory {
  /** Stack (and cluster) name. */
  readonly stack: string;
  /** Accounts the AWS provider may act in. */
  readonly awsAccounts: ReadonlySet<string>;
  /** Region of the AWS provider. */
  readonly awsRegion?: string;
  /** Project and region of the Google provider. */
  readonly gcpProject?: string;
  /** IAM role names. */
  readonly iamRoles: ReadonlySet<string>;
  /** Google service account ids (the part before `@`). */
  readonly googleServiceAccounts: ReadonlySet<string>;
  /** Azure user-assigned identity names by Terraform resource address. */
  readonly azureIdentities: ReadonlyMap<string, string>;
  /** Workload → identity resource address, from the `workload_identity_client_ids` output. */
  readonly clientIdOutputs: ReadonlyMap<string, string>;
  /** S3 bucket names. */
  readonly s3Buckets: ReadonlySet<string>;
  /** GCS bucket names. */
  readonly gcsBuckets: ReadonlySet<string>;
  /** Azure storage account names to their container names. */
  readonly blobContainers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Azure resource group names. */
  readonly resourceGroups: ReadonlySet<string>;
  /** Azure Key Vault names. */
  readonly keyVaults: ReadonlySet<string>;
  /** ECR repositories, Artifact Registry `<location>/<repository>` and ACR login server prefixes. */
  readonly registries: ReadonlySet<string>;
  /** Node pool / node group / agent pool names. */
  readonly nodePools: ReadonlySet<string>;
  /** Values of the `platform.ml/pool-role` label the pools put on their nodes. */
  readonly nodePoolRoles: ReadonlySet<string>;
  /** The managed Redis the stack creates, with what it asks of clients; absent when there is none. */
  readonly redis?: RedisInventory;
  /** Node pools whose cloud installs the GPU driver and device plugin itself (GKE `gpu_driver_installation_config`). */
  readonly poolsWithCloudGpuPlugin: ReadonlySet<string>;
  /** Azure storage accounts by name: how they may be reached and authenticated to. */
  readonly storageAccounts: ReadonlyMap<string, StorageAccountInventory>;
}

/** How an Azure storage account may be reached. */
export interface StorageAccountInventory {
  /** Whether shared keys (account key, SAS) are accepted; with them off, only Entra ID tokens are. */
  readonly sharedKeys: boolean;
  /** Whether the public endpoints answer; with them off, each service needs a private endpoint. */
  readonly publicNetwork: boolean;
  /** Services (`blob`, `dfs`, ...) with a private endpoint in the stack. */
  readonly privateEndpoints: ReadonlySet<string>;
}

function storageAccountInventory(json: Record<string, unknown>): Map<string, StorageAccountInventory> {
  const endpoints = new Map<string, Set<string>>();
  for (const [, endpoint] of resourcesOf(json, 'azurerm_private_endpoint')) {
    const connection = endpoint.private_service_connection as Record<string, unknown> | undefined;
    const target = String(connection?.private_connection_resource_id ?? '');
    if (!target.startsWith('${azurerm_storage_account.')) continue;
    const account = literalOrReferenced(json, target, 'name');
    for (const service of (connection?.subresource_names as string[] | undefined) ?? []) {
      endpoints.set(account, (endpoints.get(account) ?? new Set()).add(service));
    }
  }
  return new Map(
    resourcesOf(json, 'azurerm_storage_account').map(([, account]) => [
      String(account.name),
      {
        sharedKeys: account.shared_access_key_enabled !== false,
        publicNetwork: account.public_network_access_enabled !== false,
        privateEndpoints: endpoints.get(String(account.name)) ?? new Set<string>(),
      },
    ]),
  );
}

/** What a stack's managed Redis requires of its clients. */
export interface RedisInventory {
  /** Terraform address of the Redis resource. */
  readonly address: string;
  /** Whether a client must authenticate with a password (AUTH token, access key). */
  readonly requiresAuth: boolean;
  /** Whether connections are TLS. */
  readonly tls: boolean;
  /** Whether the server certificate chains to a CA of the service's own, which clients must be given. */
  readonly privateCa: boolean;
}

/**
 * How each cloud's Redis resource says it wants a password and TLS. ElastiCache wants AUTH when an
 * `auth_token` is set (only possible with transit encryption); Memorystore with `auth_enabled`;
 * Azure Managed Redis with access-key authentication on its database.
 */
const REDIS_RESOURCES: Readonly<
  Record<
    string,
    {
      auth: (r: Record<string, unknown>) => boolean;
      tls: (r: Record<string, unknown>) => boolean;
      /** Memorystore signs with a per-instance CA; ElastiCache and Azure Managed Redis with public CAs. */
      privateCa: boolean;
    }
  >
> = {
  aws_elasticache_replication_group: {
    auth: (r) => typeof r.auth_token === 'string' && r.auth_token !== '',
    tls: (r) => r.transit_encryption_enabled === true,
    privateCa: false,
  },
  google_redis_instance: {
    auth: (r) => r.auth_enabled === true,
    tls: (r) => r.transit_encryption_mode === 'SERVER_AUTHENTICATION',
    privateCa: true,
  },
  azurerm_managed_redis: {
    auth: (r) =>
      (r.default_database as Record<string, unknown> | undefined)?.access_keys_authentication_enabled ===
      true,
    tls: (r) =>
      ((r.default_database as Record<string, unknown> | undefined)?.client_protocol ?? 'Encrypted') ===
      'Encrypted',
    privateCa: false,
  },
};

function redisInventory(json: Record<string, unknown>): RedisInventory | undefined {
  for (const [type, rules] of Object.entries(REDIS_RESOURCES)) {
    const [found] = resourcesOf(json, type);
    if (found) {
      const [name, resource] = found;
      return {
        address: `${type}.${name}`,
        requiresAuth: rules.auth(resource),
        tls: rules.tls(resource),
        privateCa: rules.privateCa && rules.tls(resource),
      };
    }
  }
  return undefined;
}

/** The node label with a pool's role; placement of a spot pair selects on it (platform/clouds/common.ts). */
const POOL_ROLE_LABEL = 'platform.ml/pool-role';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const REFERENCE = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z_]+\}$/;

function resourcesOf(json: Record<string, unknown>, type: string): [string, Record<string, unknown>][] {
  return Object.entries((json.resource as Resources | undefined)?.[type] ?? {});
}

function values(json: Record<string, unknown>, type: string, field: string): Set<string> {
  return new Set(resourcesOf(json, type).map(([, r]) => String(r[field])));
}

/** Resolves a literal or a `${type.name.attr}` reference to the referenced resource's field. */
function literalOrReferenced(json: Record<string, unknown>, value: unknown, field: string): string {
  const match = typeof value === 'string' ? REFERENCE.exec(value) : null;
  if (!match) return String(value);
  const [type, name] = match[1].split('.');
  return String((json.resource as Resources)[type]?.[name]?.[field]);
}

/** Reads what a stack creates from its Terraform JSON. */
export function inventory(stack: string, json: Record<string, unknown>): StackInventory {
  const providers = (json.provider ?? {}) as Record<string, Record<string, unknown>[]>;
  const aws = providers.aws?.[0];
  const google = providers.google?.[0];
  const blobContainers = new Map<string, Set<string>>();
  for (const [, container] of resourcesOf(json, 'azurerm_storage_container')) {
    const account = literalOrReferenced(json, container.storage_account_id, 'name');
    blobContainers.set(account, (blobContainers.get(account) ?? new Set()).add(String(container.name)));
  }
  for (const account of values(json, 'azurerm_storage_account', 'name')) {
    if (!blobContainers.has(account)) blobContainers.set(account, new Set());
  }
  const clientIds = ((json.output ?? {}) as Record<string, { value?: unknown }>)[
    STACK_OUTPUTS.workloadIdentityClientIds
  ]?.value;
  const clientIdOutputs = new Map<string, string>();
  for (const [workload, ref] of Object.entries((clientIds ?? {}) as Record<string, unknown>)) {
    const match = typeof ref === 'string' ? REFERENCE.exec(ref) : null;
    if (match) clientIdOutputs.set(workload, match[1]);
  }
  const gcpRegistries = resourcesOf(json, 'google_artifact_registry_repository').map(
    ([, r]) => `${r.location}-docker.pkg.dev/${google?.project}/${r.repository_id}`,
  );
  const ecr = resourcesOf(json, 'aws_ecr_repository').map(
    ([, r]) =>
      `${(aws?.allowed_account_ids as string[] | undefined)?.[0]}.dkr.ecr.${aws?.region}.amazonaws.com/${r.name}`,
  );
  const acr = resourcesOf(json, 'azurerm_container_registry').map(([, r]) => `${r.name}.azurecr.io`);
  return {
    stack,
    awsAccounts: new Set((aws?.allowed_account_ids as string[] | undefined) ?? []),
    awsRegion: aws?.region as string | undefined,
    gcpProject: google?.project as string | undefined,
    iamRoles: values(json, 'aws_iam_role', 'name'),
    googleServiceAccounts: values(json, 'google_service_account', 'account_id'),
    azureIdentities: new Map(
      resourcesOf(json, 'azurerm_user_assigned_identity').map(([id, r]) => [
        `azurerm_user_assigned_identity.${id}`,
        String(r.name),
      ]),
    ),
    clientIdOutputs,
    s3Buckets: values(json, 'aws_s3_bucket', 'bucket'),
    gcsBuckets: values(json, 'google_storage_bucket', 'name'),
    blobContainers,
    resourceGroups: values(json, 'azurerm_resource_group', 'name'),
    keyVaults: values(json, 'azurerm_key_vault', 'name'),
    registries: new Set([...ecr, ...gcpRegistries, ...acr]),
    nodePools: new Set([
      ...values(json, 'aws_eks_node_group', 'node_group_name'),
      ...values(json, 'google_container_node_pool', 'name'),
      ...values(json, 'azurerm_kubernetes_cluster_node_pool', 'name'),
      ...resourcesOf(json, 'azurerm_kubernetes_cluster').map(
        ([, r]) => (r.default_node_pool as { name: string }).name,
      ),
    ]),
    nodePoolRoles: new Set(
      [
        ...resourcesOf(json, 'aws_eks_node_group').map(([, r]) => r.labels),
        ...resourcesOf(json, 'google_container_node_pool').map(
          ([, r]) => (r.node_config as { labels?: unknown })?.labels,
        ),
        ...resourcesOf(json, 'azurerm_kubernetes_cluster_node_pool').map(([, r]) => r.node_labels),
        ...resourcesOf(json, 'azurerm_kubernetes_cluster').map(
          ([, r]) => (r.default_node_pool as { node_labels?: unknown }).node_labels,
        ),
      ].flatMap((labels) => {
        const role = (labels as Record<string, string> | undefined)?.[POOL_ROLE_LABEL];
        return role ? [role] : [];
      }),
    ),
    redis: redisInventory(json),
    storageAccounts: storageAccountInventory(json),
    poolsWithCloudGpuPlugin: new Set(
      resourcesOf(json, 'google_container_node_pool')
        .filter(([, r]) =>
          (
            (
              r.node_config as
                | { guest_accelerator?: { gpu_driver_installation_config?: unknown }[] }
                | undefined
            )?.guest_accelerator ?? []
          ).some((a) => a.gpu_driver_installation_config !== undefined),
        )
        .map(([, r]) => String(r.name)),
    ),
  };
}

const list = (names: Iterable<string>) => [...names].sort().join(', ') || '(none)';

/** Everything the stacks of the fleet create, for checks that may name another cluster's bucket. */
export interface FleetInventory {
  readonly byStack: ReadonlyMap<string, StackInventory>;
}

/**
 * Problems with one identity annotation on a ServiceAccount of `cluster`.
 * Unknown annotation keys are none of this check's business.
 */
export function annotationProblems(
  where: string,
  key: string,
  value: string,
  stack: StackInventory,
  outputs: ClusterOutputs,
): string[] {
  switch (key) {
    case 'eks.amazonaws.com/role-arn': {
      const match = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(value);
      if (!match) return [`${where}: ${key} "${value}" is not an IAM role ARN`];
      const [, account, role] = match;
      const problems: string[] = [];
      if (!stack.awsAccounts.has(account)) {
        problems.push(
          `${where}: ${key} names account ${account}, but stack ${stack.stack} deploys to ${list(stack.awsAccounts)}`,
        );
      }
      if (!stack.iamRoles.has(role)) {
        problems.push(
          `${where}: ${key} names IAM role "${role}", which stack ${stack.stack} does not create (it creates: ${list(stack.iamRoles)})`,
        );
      }
      return problems;
    }
    case 'iam.gke.io/gcp-service-account': {
      const match = /^([^@]+)@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(value);
      if (!match) return [`${where}: ${key} "${value}" is not a Google service account email`];
      const [, id, project] = match;
      const problems: string[] = [];
      if (project !== stack.gcpProject) {
        problems.push(
          `${where}: ${key} names project ${project}, but stack ${stack.stack} deploys to ${stack.gcpProject ?? '(no project)'}`,
        );
      }
      if (!stack.googleServiceAccounts.has(id)) {
        problems.push(
          `${where}: ${key} names service account "${id}", which stack ${stack.stack} does not create (it creates: ${list(stack.googleServiceAccounts)})`,
        );
      }
      return problems;
    }
    case 'azure.workload.identity/client-id': {
      const workload = Object.entries(outputs.workloadIdentityClientIds).find(([, id]) => id === value)?.[0];
      if (!workload) {
        return [
          `${where}: ${key} "${value}" is not a client id recorded in clusters/${stack.stack}.outputs.json`,
        ];
      }
      const address = stack.clientIdOutputs.get(workload);
      const identity = address ? stack.azureIdentities.get(address) : undefined;
      if (!identity) {
        return [
          `${where}: ${key} is the recorded client id of workload "${workload}", but stack ${stack.stack} exports ` +
            `client ids only for: ${list(stack.clientIdOutputs.keys())}`,
        ];
      }
      return [];
    }
    default:
      return [];
  }
}

/**
 * Problems with an IAM role ARN found in a manifest outside an IRSA
 * annotation (a role assumed with a federated token, as model replication
 * does from other clouds): some stack deploying to that account must create it.
 */
export function roleArnProblems(where: string, arn: string, fleet: FleetInventory): string[] {
  const match = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(arn);
  if (!match) return [];
  const [, account, role] = match;
  const stacks = [...fleet.byStack.values()].filter((stack) => stack.awsAccounts.has(account));
  if (stacks.length === 0)
    return [`${where}: IAM role ARN "${arn}" names account ${account}, which no stack deploys to`];
  if (stacks.some((stack) => stack.iamRoles.has(role))) return [];
  return [
    `${where}: IAM role "${role}" in account ${account} is created by no stack (${stacks.map((s) => s.stack).join(', ')})`,
  ];
}

/** Problems with a bucket URI (`s3://`, `gs://`) found anywhere in a manifest. */
export function bucketUriProblems(where: string, uri: string, fleet: FleetInventory): string[] {
  const match = /^(s3|gs):\/\/([^/]+)/.exec(uri);
  if (!match) return [];
  const [, scheme, bucket] = match;
  const stacks = [...fleet.byStack.values()];
  const owners = stacks.filter((s) => (scheme === 's3' ? s.s3Buckets : s.gcsBuckets).has(bucket));
  if (owners.length > 0) return [];
  const known = stacks.flatMap((s) => [...(scheme === 's3' ? s.s3Buckets : s.gcsBuckets)]);
  return [
    `${where}: ${uri} names bucket "${bucket}", which no stack creates (${scheme} buckets: ${list(known)})`,
  ];
}

/** A Blob container as a manifest or profile names it. */
export interface BlobReference {
  readonly storageAccount: string;
  readonly containerName: string;
  readonly resourceGroup?: string;
  /** The other attributes of a Blob CSI volume (`clientID`, `mountWithWorkloadIdentityToken`, ...). */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** A storage service's public host name: `<account>.<service>.core.windows.net`. */
const STORAGE_HOST = /\b([a-z0-9]{3,24})\.(blob|dfs|file|queue|table|web)\.core\.windows\.net\b/g;

/**
 * A client of a storage service of an account without public network access resolves the service's
 * name to a private endpoint, which exists per service: a `dfs` client needs a `dfs` endpoint (and its
 * DNS zone) even where a `blob` one exists.
 */
export function storageEndpointProblems(
  where: string,
  account: string,
  service: string,
  stack: StackInventory,
): string[] {
  const found = stack.storageAccounts.get(account);
  if (!found || found.publicNetwork || found.privateEndpoints.has(service)) return [];
  return [
    `${where}: uses the ${service} service of storage account ${account}, which has public network access off ` +
      `and no ${service} private endpoint in stack ${stack.stack} (private endpoints: ${list(found.privateEndpoints)})`,
  ];
}

/**
 * A Blob CSI volume of an account reached privately and without shared keys must mount through the
 * blob private endpoint with the workload identity token; otherwise the driver fetches the account
 * key, which the account refuses.
 */
export function blobVolumeAccessProblems(where: string, ref: BlobReference, stack: StackInventory): string[] {
  const account = stack.storageAccounts.get(ref.storageAccount);
  if (!account || ref.attributes === undefined) return [];
  const problems = storageEndpointProblems(where, ref.storageAccount, 'blob', stack);
  const attributes = ref.attributes;
  if (!account.sharedKeys && (attributes.mountWithWorkloadIdentityToken !== 'true' || !attributes.clientID)) {
    problems.push(
      `${where}: storage account ${ref.storageAccount} accepts no shared keys, so the volume must mount with ` +
        'the workload identity token (mountWithWorkloadIdentityToken: "true" and a clientID)',
    );
  }
  return problems;
}

/** Problems with an Azure Blob container reference (Blob CSI volume attributes or profile). */
export function blobProblems(where: string, ref: BlobReference, stack: StackInventory): string[] {
  const containers = stack.blobContainers.get(ref.storageAccount);
  if (!containers) {
    return [
      `${where}: storage account "${ref.storageAccount}" is not created by stack ${stack.stack} (it creates: ${list(stack.blobContainers.keys())})`,
    ];
  }
  const problems: string[] = [];
  if (!containers.has(ref.containerName)) {
    problems.push(
      `${where}: container "${ref.containerName}" is not created in storage account ${ref.storageAccount} by stack ${stack.stack} (it creates: ${list(containers)})`,
    );
  }
  if (ref.resourceGroup !== undefined && !stack.resourceGroups.has(ref.resourceGroup)) {
    problems.push(
      `${where}: resource group "${ref.resourceGroup}" is not created by stack ${stack.stack} (it creates: ${list(stack.resourceGroups)})`,
    );
  }
  return problems;
}

/**
 * Checks a cluster's cloud profile, the source every chart takes cloud names
 * from: identity annotations of every cloud workload, model storage of every
 * model the cluster serves, image repositories and node pool selectors.
 */
export function profileProblems(
  cluster: ClusterSpec,
  profile: CloudProfile,
  outputs: ClusterOutputs,
  fleet: FleetInventory,
): string[] {
  const stack = fleet.byStack.get(cluster.name);
  if (!stack) return [`${cluster.name}: no Terraform stack is rendered for this cluster`];
  const problems: string[] = [];
  for (const workload of cloudWorkloadsFor(cluster.cloud)) {
    const where = `${cluster.name}: profile.workloadIdentity('${workload.name}')`;
    let binding: ReturnType<CloudProfile['workloadIdentity']>;
    try {
      binding = profile.workloadIdentity(workload.name);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
      continue;
    }
    for (const [key, value] of Object.entries(binding.serviceAccountAnnotations)) {
      problems.push(...annotationProblems(where, key, value, stack, outputs));
    }
  }
  problems.push(
    ...backupLocationProblems(`${cluster.name}: profile.backupStorage()`, profile.backupStorage(), stack),
  );
  problems.push(
    ...logSnapshotStorageProblems(
      `${cluster.name}: profile.logSnapshotStorage()`,
      profile.logSnapshotStorage(),
      stack,
    ),
  );
  for (const { model } of cluster.models) {
    const where = `${cluster.name}: profile.modelStorage('${model}')`;
    const storage = profile.modelStorage(model);
    if (storage.kind === 'object-store') problems.push(...bucketUriProblems(where, storage.uri, fleet));
    else problems.push(...blobProblems(where, storage, stack));
  }
  for (const image of PLATFORM_IMAGES) {
    const repository = profile.imageRepository(image);
    const registry = [...stack.registries].find((r) => repository === r || repository.startsWith(`${r}/`));
    if (!registry) {
      problems.push(
        `${cluster.name}: profile.imageRepository('${image}') is ${repository}, which no registry of stack ${stack.stack} serves (${list(stack.registries)})`,
      );
    }
  }
  for (const pool of cluster.nodePools) {
    for (const [label, value] of Object.entries(profile.nodePlacement(pool).nodeSelector)) {
      if (label === POOL_ROLE_LABEL) {
        if (!stack.nodePoolRoles.has(value)) {
          problems.push(
            `${cluster.name}: profile.nodePlacement('${pool.name}') selects ${label}=${value}, but no pool of stack ${stack.stack} has that role (${list(stack.nodePoolRoles)})`,
          );
        }
      } else if (!stack.nodePools.has(value)) {
        problems.push(
          `${cluster.name}: profile.nodePlacement('${pool.name}') selects ${label}=${value}, but stack ${stack.stack} creates pools: ${list(stack.nodePools)}`,
        );
      }
    }
  }
  return problems;
}

/** A Velero backup location as the chart's values or a BackupStorageLocation give it. */
export interface BackupLocationRef {
  readonly provider: string;
  readonly bucket: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * Problems with a Velero backup location: its bucket must be one the cluster's stack creates. An
 * Azure location names its storage account (`config.storageAccount`) and a container in it; the
 * others name a bucket. Whatever the provider, the stack's own inventory decides: a stack holds
 * one cloud's buckets only, so a location naming another cloud's kind of bucket finds none.
 */
export function backupLocationProblems(
  where: string,
  location: BackupLocationRef,
  stack: StackInventory,
): string[] {
  const { provider, bucket, config } = location;
  if (config.storageAccount !== undefined) {
    const account = String(config.storageAccount);
    const containers = stack.blobContainers.get(account);
    if (!containers) {
      return [
        `${where}: Velero (${provider}) storage account "${account}" is not one stack ${stack.stack} creates (${list(stack.blobContainers.keys())})`,
      ];
    }
    return containers.has(bucket)
      ? []
      : [
          `${where}: Velero (${provider}) container "${bucket}" is not in storage account ${account} of stack ${stack.stack} (${list(containers)})`,
        ];
  }
  const buckets = new Set([...stack.s3Buckets, ...stack.gcsBuckets]);
  return buckets.has(bucket)
    ? []
    : [
        `${where}: Velero (${provider}) bucket "${bucket}" is not a bucket stack ${stack.stack} creates (${list(buckets)})`,
      ];
}

/**
 * Problems with Elasticsearch's snapshot repository: its bucket (Azure: a container of the named
 * storage account, reached through the account's blob endpoint) must be one the cluster's stack
 * creates, since Elasticsearch refuses to register a repository whose bucket does not exist.
 */
export function logSnapshotStorageProblems(
  where: string,
  storage: Pick<LogSnapshotStorage, 'type' | 'bucket' | 'storageAccount'>,
  stack: StackInventory,
): string[] {
  const { type, bucket, storageAccount } = storage;
  if (storageAccount !== undefined) {
    const containers = stack.blobContainers.get(storageAccount);
    if (!containers) {
      return [
        `${where}: Elasticsearch (${type}) storage account "${storageAccount}" is not one stack ${stack.stack} creates (${list(stack.blobContainers.keys())})`,
      ];
    }
    return [
      ...(containers.has(bucket)
        ? []
        : [
            `${where}: Elasticsearch (${type}) container "${bucket}" is not in storage account ${storageAccount} of stack ${stack.stack} (${list(containers)})`,
          ]),
      ...storageEndpointProblems(where, storageAccount, 'blob', stack),
    ];
  }
  const buckets = new Set([...stack.s3Buckets, ...stack.gcsBuckets]);
  return buckets.has(bucket)
    ? []
    : [
        `${where}: Elasticsearch (${type}) bucket "${bucket}" is not a bucket stack ${stack.stack} creates (${list(buckets)})`,
      ];
}

/** Every Velero backup location in a parsed document (`backupStorageLocation` entries of Helm values). */
function* backupLocations(value: unknown, path = ''): Generator<[string, BackupLocationRef]> {
  if (Array.isArray(value))
    for (const [i, item] of value.entries()) yield* backupLocations(item, `${path}[${i}]`);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const at = path ? `${path}.${key}` : key;
      if (key === 'backupStorageLocation' && Array.isArray(item)) {
        for (const [i, entry] of item.entries()) {
          const e = entry as Record<string, unknown>;
          yield [
            `${at}[${i}]`,
            {
              provider: String(e.provider),
              bucket: String(e.bucket),
              config: (e.config ?? {}) as Record<string, unknown>,
            },
          ];
        }
      } else yield* backupLocations(item, at);
    }
  }
}

/** Every string in a parsed document, with its field path. */
function* strings(value: unknown, path = '', key = ''): Generator<[string, string, string]> {
  if (typeof value === 'string') yield [path, key, value];
  else if (Array.isArray(value))
    for (const [i, item] of value.entries()) yield* strings(item, `${path}[${i}]`, key);
  else if (value !== null && typeof value === 'object') {
    for (const [k, item] of Object.entries(value)) yield* strings(item, path ? `${path}.${k}` : k, k);
  }
}

/** Annotation keys that name a cloud identity, wherever they appear (ServiceAccounts, Helm values). */
const IDENTITY_KEYS = new Set([
  'eks.amazonaws.com/role-arn',
  'iam.gke.io/gcp-service-account',
  'azure.workload.identity/client-id',
]);

/** Every object in a parsed document that names a storage account and a container (Blob CSI volume attributes). */
function* blobReferences(value: unknown, path = ''): Generator<[string, BlobReference]> {
  if (Array.isArray(value))
    for (const [i, item] of value.entries()) yield* blobReferences(item, `${path}[${i}]`);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.storageAccount === 'string' && typeof record.containerName === 'string') {
      const resourceGroup = typeof record.resourceGroup === 'string' ? record.resourceGroup : undefined;
      yield [
        path,
        {
          storageAccount: record.storageAccount,
          containerName: record.containerName,
          resourceGroup,
          attributes: record,
        },
      ];
    }
    for (const [key, item] of Object.entries(record))
      yield* blobReferences(item, path ? `${path}.${key}` : key);
  }
}

/**
 * Checks rendered manifests of one cluster: every identity annotation (on a
 * ServiceAccount, or in Helm values an Application passes to a chart), every
 * `s3://` / `gs://` URI and every Blob container reference in any document.
 */
export function manifestProblems(
  cluster: ClusterSpec,
  files: readonly TreeFile[],
  outputs: ClusterOutputs,
  fleet: FleetInventory,
): string[] {
  const stack = fleet.byStack.get(cluster.name);
  if (!stack) return [`${cluster.name}: no Terraform stack is rendered for this cluster`];
  const problems: string[] = [];
  for (const { file, text } of files) {
    for (const document of parseDocuments(file, text)) {
      const doc = document.value as Record<string, unknown> | undefined;
      if (!doc) continue;
      for (const [path, key, value] of strings(doc)) {
        if (IDENTITY_KEYS.has(key)) {
          const parent = path.slice(0, path.length - key.length - 1);
          problems.push(...annotationProblems(`${file}: ${parent}`, key, value, stack, outputs));
        } else {
          problems.push(...roleArnProblems(`${file}: ${path}`, value, fleet));
        }
        for (const uri of value.match(/\b(?:s3|gs):\/\/[a-z0-9][a-z0-9._-]*[^\s"',]*/g) ?? []) {
          problems.push(...bucketUriProblems(`${file}: ${path}`, uri, fleet));
        }
      }
      for (const [path, location] of backupLocations(doc)) {
        problems.push(...backupLocationProblems(`${file}: ${path}`, location, stack));
      }
      for (const [path, ref] of blobReferences(doc)) {
        problems.push(...blobProblems(`${file}: ${path}`, ref, stack));
        problems.push(...blobVolumeAccessProblems(`${file}: ${path}`, ref, stack));
      }
      for (const [path, , value] of strings(doc)) {
        for (const [, account, service] of value.matchAll(STORAGE_HOST)) {
          problems.push(...storageEndpointProblems(`${file}: ${path}`, account, service, stack));
        }
      }
      problems.push(...redisClientProblems(file, doc, secretName(cluster, 'redis-auth-token'), stack));
    }
  }
  problems.push(...redisCaProblems(cluster, files, outputs, stack));
  return problems;
}

/** The pod spec of a workload document (Deployment, StatefulSet, DaemonSet, Job, CronJob), if any. */
function podSpecOf(doc: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = doc.spec as Record<string, unknown> | undefined;
  const template = (spec?.template ??
    ((spec?.jobTemplate as Record<string, unknown> | undefined)?.spec as Record<string, unknown> | undefined)
      ?.template) as Record<string, unknown> | undefined;
  return template?.spec as Record<string, unknown> | undefined;
}

/**
 * Where the stack's Redis signs with a CA of its own (Memorystore), every pod that reads the Redis
 * AUTH token (a client) must mount a ConfigMap holding the CA recorded in the outputs file: a
 * client verifying TLS against its system trust store alone never connects.
 */
export function redisCaProblems(
  cluster: ClusterSpec,
  files: readonly TreeFile[],
  outputs: ClusterOutputs,
  stack: StackInventory,
): string[] {
  if (!stack.redis?.privateCa) return [];
  const ca = outputs.cacheCaCertificate?.trim();
  const tokenSecret = secretName(cluster, 'redis-auth-token');
  const docs = files.flatMap(({ file, text }) =>
    parseDocuments(file, text).flatMap((d) => {
      const doc = d.value as Record<string, unknown> | undefined;
      return doc ? [{ file, doc }] : [];
    }),
  );
  const key = (doc: Record<string, unknown>, name: unknown) =>
    `${(doc.metadata as { namespace?: string } | undefined)?.namespace}/${String(name)}`;
  const tokenSecrets = new Set(
    docs
      .filter(
        ({ doc }) => doc.kind === 'ExternalSecret' && [...strings(doc)].some(([, , v]) => v === tokenSecret),
      )
      .map(({ doc }) => {
        const spec = doc.spec as { target?: { name?: string } } | undefined;
        return key(doc, spec?.target?.name ?? (doc.metadata as { name?: string }).name);
      }),
  );
  const caConfigMaps = new Set(
    docs
      .filter(
        ({ doc }) =>
          doc.kind === 'ConfigMap' &&
          ca !== undefined &&
          Object.values((doc.data ?? {}) as Record<string, string>).some((v) => v.trim() === ca),
      )
      .map(({ doc }) => key(doc, (doc.metadata as { name?: string }).name)),
  );
  const problems: string[] = [];
  for (const { file, doc } of docs) {
    const pod = podSpecOf(doc);
    if (!pod) continue;
    const readsToken = [...strings(pod)].some(
      ([path, k, v]) => k === 'name' && path.includes('secretKeyRef') && tokenSecrets.has(key(doc, v)),
    );
    if (!readsToken) continue;
    const volumes = (pod.volumes ?? []) as { configMap?: { name?: string } }[];
    if (volumes.some((v) => v.configMap?.name !== undefined && caConfigMaps.has(key(doc, v.configMap.name))))
      continue;
    problems.push(
      ca === undefined
        ? `${file}: a client of ${stack.redis.address}, whose server CA is the service's own, but ` +
            `${outputsFile(cluster)} records no cacheCaCertificate`
        : `${file}: a client of ${stack.redis.address}, whose server CA is the service's own, mounts no ConfigMap ` +
            `holding the CA recorded in ${outputsFile(cluster)} (cacheCaCertificate)`,
    );
  }
  return problems;
}

/**
 * A client that fetches the Redis AUTH token from the secret store sends it, and one that connects
 * with `rediss://` or `ssl=true` speaks TLS: the stack's Redis must ask for both, or every connection
 * fails (a password sent to a Redis without one is refused; TLS to a plaintext port never handshakes).
 */
export function redisClientProblems(
  file: string,
  doc: Record<string, unknown>,
  tokenSecret: string,
  stack: StackInventory,
): string[] {
  const problems: string[] = [];
  for (const [path, , value] of strings(doc)) {
    const sendsToken = value === tokenSecret;
    const speaksTls = /^rediss:\/\/|,ssl=true\b/.test(value);
    if (!sendsToken && !speaksTls) continue;
    const where = `${file}: ${path}`;
    if (!stack.redis) {
      problems.push(`${where}: a Redis client, but stack ${stack.stack} creates no managed Redis`);
      continue;
    }
    if (sendsToken && !stack.redis.requiresAuth) {
      problems.push(
        `${where}: the client sends the AUTH token from ${tokenSecret}, but ${stack.redis.address} of stack ` +
          `${stack.stack} has no password (AUTH token, auth_enabled or access-key authentication)`,
      );
    }
    if (speaksTls && !stack.redis.tls) {
      problems.push(
        `${where}: the client connects over TLS, but ${stack.redis.address} of stack ${stack.stack} does not serve TLS`,
      );
    }
  }
  return problems;
}

/** Inventories of every stack of a rendered Terraform tree (`terraform/<stack>/cdk.tf.json` → content). */
export function fleetInventory(fleet: Fleet, terraform: ReadonlyMap<string, string>): FleetInventory {
  const byStack = new Map<string, StackInventory>();
  for (const cluster of fleet.clusters) {
    const text = terraform.get(terraformFile(cluster.name));
    if (text) byStack.set(cluster.name, inventory(cluster.name, JSON.parse(text)));
  }
  return { byStack };
}

/** The Argo CD Application name of the GPU device plugin the cloud profiles install (platform/clouds/nvidia-device-plugin.ts). */
const DEVICE_PLUGIN_APPLICATION = 'nvidia-device-plugin';

/**
 * Every GPU pool of the cluster must have a device plugin, or its GPUs are never advertised and GPU
 * pods stay Pending: either the cloud installs one (the stack says so), or the rendered tree has
 * the plugin's Application whose node affinity selects the pool (by the label the profile places
 * on) and whose tolerations cover the pool's taints.
 */
export function devicePluginProblems(
  cluster: ClusterSpec,
  profile: CloudProfile,
  files: readonly TreeFile[],
  stack: StackInventory,
): string[] {
  const file = `${cluster.name}/argocd/Application.argocd.${DEVICE_PLUGIN_APPLICATION}.yaml`;
  const application = files.find((f) => f.file === file);
  const values = application
    ? ((
        parseDocuments(file, application.text)[0]?.value as {
          spec?: { source?: { helm?: { valuesObject?: Record<string, unknown> } } };
        }
      )?.spec?.source?.helm?.valuesObject ?? {})
    : undefined;
  const terms = ((
    values?.affinity as
      | {
          nodeAffinity?: {
            requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: unknown[] };
          };
        }
      | undefined
  )?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) as {
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  }[];
  const tolerations = (values?.tolerations ?? []) as {
    key?: string;
    operator?: string;
    value?: string;
    effect?: string;
  }[];
  const problems: string[] = [];
  for (const pool of cluster.nodePools.filter((p) => p.gpu)) {
    if (stack.poolsWithCloudGpuPlugin.has(pool.name)) continue;
    if (!values) {
      problems.push(
        `${cluster.name}: GPU pool ${pool.name} has no device plugin: the cloud installs none there ` +
          `(stack ${stack.stack}) and ${file} is not rendered`,
      );
      continue;
    }
    const selector = profile.nodePlacement(pool).nodeSelector;
    const selects = terms.some((term) =>
      Object.entries(selector).every(([key, value]) =>
        (term.matchExpressions ?? []).some(
          (e) => e.key === key && e.operator === 'In' && e.values?.includes(value),
        ),
      ),
    );
    if (!selects) {
      problems.push(
        `${file}: the device plugin's node affinity does not select GPU pool ${pool.name} ` +
          `(${Object.entries(selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')})`,
      );
    }
    for (const taint of profile.nodeTaints(pool).filter((t) => t.effect !== 'PreferNoSchedule')) {
      const tolerated = tolerations.some(
        (t) =>
          (t.key === undefined || t.key === taint.key) &&
          (t.effect === undefined || t.effect === taint.effect) &&
          (t.operator === 'Exists' || t.value === taint.value),
      );
      if (!tolerated) {
        problems.push(
          `${file}: the device plugin does not tolerate ${taint.key}=${taint.value}:${taint.effect} of GPU pool ${pool.name}`,
        );
      }
    }
  }
  return problems;
}
