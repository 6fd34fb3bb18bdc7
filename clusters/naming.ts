import type { AzureClusterSpec, ClusterSpec, GcpClusterSpec } from './types';
import type { BucketRole, SecretKey } from './workloads';

/**
 * Cloud resource names derived from the fleet. Charts and CDKTF stacks both
 * call these, so the bucket a ServiceAccount may read and the bucket Terraform
 * creates are the same name by construction, never by copy.
 */

export { aksAgentPoolName } from './aks-pool-name';

/** Object storage bucket (or Azure storage container) holding the cluster's model artifacts. */
export function modelBucketName(cluster: ClusterSpec): string {
  switch (cluster.cloud) {
    case 'aws':
      // S3 names are global: the account id keeps them unique across accounts.
      return `mlp-${cluster.name}-models-${cluster.accountId}`;
    case 'gcp':
      return `${cluster.projectId}-${cluster.name}-models`;
    case 'azure':
      return 'models';
  }
}

/** Object storage bucket (or Azure storage container) holding the cluster's data lake (features, logs, exports). */
export function dataLakeBucketName(cluster: ClusterSpec): string {
  switch (cluster.cloud) {
    case 'aws':
      return `mlp-${cluster.name}-data-lake-${cluster.accountId}`;
    case 'gcp':
      return `${cluster.projectId}-${cluster.name}-data-lake`;
    case 'azure':
      return 'data-lake';
  }
}

/** Object storage bucket (or Azure storage container) holding the cluster's Velero backups. */
export function backupBucketName(cluster: ClusterSpec): string {
  switch (cluster.cloud) {
    case 'aws':
      return `mlp-${cluster.name}-backups-${cluster.accountId}`;
    case 'gcp':
      return `${cluster.projectId}-${cluster.name}-backups`;
    case 'azure':
      return 'backups';
  }
}

/**
 * Object storage bucket (or Azure storage container) holding the cluster's Elasticsearch snapshots.
 * Apart from the Velero backups: each writer is granted its own bucket only (grants are per bucket
 * on all three clouds), so neither can delete the other's backups, and the bucket never gets an
 * expiry or tiering rule, which Elasticsearch forbids on a repository's objects.
 */
export function logSnapshotBucketName(cluster: ClusterSpec): string {
  switch (cluster.cloud) {
    case 'aws':
      return `mlp-${cluster.name}-log-snapshots-${cluster.accountId}`;
    case 'gcp':
      return `${cluster.projectId}-${cluster.name}-log-snapshots`;
    case 'azure':
      return 'log-snapshots';
  }
}

/** The bucket (Azure: container) of a role. */
export function bucketName(cluster: ClusterSpec, role: BucketRole): string {
  const names: Record<BucketRole, (c: ClusterSpec) => string> = {
    models: modelBucketName,
    'data-lake': dataLakeBucketName,
    backups: backupBucketName,
    'log-snapshots': logSnapshotBucketName,
  };
  return names[role](cluster);
}

/**
 * Name of a platform secret in the cluster's secret store (Secrets Manager,
 * Secret Manager, Key Vault); letters, digits and "-" suit all three.
 */
export function secretName(cluster: ClusterSpec, key: SecretKey): string {
  return `${cluster.name}-${key}`;
}

/** The managed PostgreSQL instance (RDS identifier, Cloud SQL instance, Flexible Server). */
export function databaseInstanceName(cluster: ClusterSpec): string {
  return `mlp-${cluster.name}-postgres`;
}

/** The database inside the PostgreSQL instance the platform's services use. */
export const PLATFORM_DATABASE = 'mlplatform';

/** The managed Redis (ElastiCache replication group, Memorystore instance, Azure Cache for Redis). */
export function cacheName(cluster: ClusterSpec): string {
  return `mlp-${cluster.name}-redis`;
}

/** Azure Key Vault of a cluster: 3-24 letters, digits and "-", globally unique. */
export function azureKeyVaultName(cluster: AzureClusterSpec): string {
  return `kv-${cluster.name}-${cluster.subscriptionId.slice(0, 4)}`.slice(0, 24).replace(/-+$/, '');
}

/** BigQuery dataset for analytics of a GCP cluster: letters, digits and "_". */
export function analyticsDatasetName(cluster: GcpClusterSpec): string {
  return `${cluster.name.replace(/-/g, '_')}_analytics`;
}

/** Azure storage account of a cluster: 3-24 lowercase letters and digits, globally unique. */
export function azureStorageAccountName(cluster: AzureClusterSpec): string {
  return `mlp${cluster.name.replace(/[^a-z0-9]/g, '')}${cluster.subscriptionId.slice(0, 4)}`.slice(0, 24);
}

/** Azure container registry of a cluster: 5-50 letters and digits, globally unique. */
export function azureRegistryName(cluster: AzureClusterSpec): string {
  return `mlp${cluster.name.replace(/[^a-z0-9]/g, '')}`;
}

/** Artifact Registry repository of a GCP cluster. */
export function gcpRegistryRepository(cluster: GcpClusterSpec): string {
  return `${cluster.name}-images`;
}

/**
 * Cloud identity name (IAM role, Google service account id, Azure managed
 * identity) that a Kubernetes ServiceAccount of the given workload assumes.
 * Google service account ids are limited to 30 characters.
 */
export function workloadIdentityName(cluster: ClusterSpec, workload: string): string {
  const name = `${cluster.name}-${workload}`;
  return cluster.cloud === 'gcp' ? name.slice(0, 30).replace(/-+$/, '') : name;
}

/**
 * IAM role in an AWS source cluster's account that a pod of `reader` (another
 * cluster) assumes with its own ServiceAccount token to read the model
 * bucket. IAM role names are limited to 64 characters.
 */
export function replicaReaderRoleName(source: ClusterSpec, reader: ClusterSpec): string {
  return `${source.name}-model-reader-${reader.name}`.slice(0, 64);
}

/** Issuer of a GKE cluster's ServiceAccount tokens: fixed by project, location and name. */
export function gkeIssuerUrl(cluster: GcpClusterSpec): string {
  return `https://container.googleapis.com/v1/projects/${cluster.projectId}/locations/${cluster.region}/clusters/${cluster.name}`;
}

/**
 * The secret holding the kubeconfig (`istioctl create-remote-secret`) with
 * which `cluster`'s istiod watches `peer`'s API server; one per peer.
 */
export function meshRemoteSecretName(cluster: ClusterSpec, peer: ClusterSpec): string {
  return `${cluster.name}-istio-remote-${peer.name}`;
}
