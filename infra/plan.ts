import {
  bucketName,
  cacheName,
  databaseInstanceName,
  meshRemoteSecretName,
  PLATFORM_DATABASE,
  replicaReaderRoleName,
  secretName,
  workloadIdentityName,
} from '../clusters/naming';
import { type ClusterOutputs, loadClusterOutputs, outputsFile, requireOutput } from '../clusters/outputs';
import type { ClusterSpec, Fleet, NodePool } from '../clusters/types';
import {
  type BucketAccess,
  type BucketRole,
  type CloudWorkload,
  cloudWorkload,
  cloudWorkloadsFor,
  PLATFORM_IMAGES,
  type PlatformImage,
  platformSecretsFor,
  serviceAccountSubject,
} from '../clusters/workloads';
import { overlaps, pairedRegionRange, prefixLength, subnet } from './cidr';
import { type CrossCloudPlan, crossCloudPlan } from './cross-cloud';
import { BUCKETS, DATABASE, KUBERNETES, SUBNET_LAYOUT } from './defaults';
import { infraProfileOf } from './profiles';

/**
 * What one cluster needs from its cloud, independent of any cloud and of any
 * Terraform library: derived from the fleet only. Each cloud folder turns a
 * plan into resources; CDKTF is one way to do that, plain Terraform JSON would
 * be another reading the same plan.
 */
export interface InfrastructurePlan<C extends ClusterSpec = ClusterSpec> {
  /** The cluster the plan is for. */
  readonly cluster: C;
  /** Tags (AWS, Azure) or labels (GCP) every resource carries. */
  readonly tags: Readonly<Record<string, string>>;
  readonly network: NetworkPlan;
  readonly kubernetes: KubernetesPlan;
  /** The managed PostgreSQL, when the cluster file declares one (`database`); absent, the stack creates none. */
  readonly database?: DatabasePlan;
  /** The BigQuery dataset, when the cluster file declares one (`analyticsDataset`, GCP only). */
  readonly analyticsDataset?: AnalyticsDatasetPlan;
  readonly cache: CachePlan;
  readonly buckets: readonly BucketPlan[];
  readonly registry: RegistryPlan;
  readonly identities: readonly IdentityPlan[];
  readonly secrets: readonly SecretPlan[];
  /** Clusters of other clouds that read this cluster's model bucket (it is the replication source). */
  readonly modelReaders: readonly ModelReaderPlan[];
  /**
   * The network of the database's read replica in the cloud's paired region,
   * where the cluster declares a database and it geo-replicates that way (Azure Flexible Server);
   * absent elsewhere.
   */
  readonly databaseReplica?: DatabaseReplicaPlan;
  /** The site-to-site VPN links to the clusters of other clouds (infra/cross-cloud.ts). */
  readonly crossCloud: CrossCloudPlan;
}

/** Addresses of the database replica's network in the paired region, peered with the cluster's. */
export interface DatabaseReplicaPlan {
  /** Address space of the replica's network (`pairedRegionRange` of the VPC range), disjoint from the fleet's. */
  readonly networkCidr: string;
  /** Subnet the replica is delegated into. */
  readonly subnetCidr: string;
}

/** Whether the cluster's stack keeps a read replica of its database in the paired region; the cost estimate asks too. */
export function keepsDatabaseReplica(cluster: Pick<ClusterSpec, 'cloud' | 'database'>): boolean {
  return cluster.database !== undefined && infraProfileOf(cluster).geoReplicatedDatabase;
}

/**
 * The replica network of a cluster whose database geo-replicates. Peered
 * with the cluster's VNet, so its range must not meet any range of the fleet:
 * the fleet file to change is named when it does.
 */
function databaseReplicaPlan(fleet: Fleet, cluster: ClusterSpec): DatabaseReplicaPlan | undefined {
  if (!keepsDatabaseReplica(cluster)) return undefined;
  const networkCidr = pairedRegionRange(cluster.network.vpcCidr);
  for (const other of fleet.clusters) {
    for (const field of ['vpcCidr', 'podCidr', 'serviceCidr'] as const) {
      if (overlaps(networkCidr, other.network[field])) {
        throw new Error(
          `${cluster.name}: the database replica network ${networkCidr}, derived from network.vpcCidr ` +
            `${cluster.network.vpcCidr} (infra/cidr.ts), overlaps ${other.name}'s network.${field} ` +
            `${other.network[field]}; move that range out of ${networkCidr}`,
        );
      }
    }
  }
  return { networkCidr, subnetCidr: subnet(networkCidr, prefixLength(networkCidr) + 2, 0) };
}

/** A cluster of another cloud reading this cluster's model bucket, with its own federated identity. */
export interface ModelReaderPlan {
  /** The reading cluster. */
  readonly reader: string;
  /** Role it assumes here: `replicaReaderRoleName(source, reader)`. */
  readonly name: string;
  /** Issuer of the reader's ServiceAccount tokens, which this cloud trusts. */
  readonly issuerUrl: string;
  /** Token subject of the reader's data-sync ServiceAccount. */
  readonly subject: string;
  /** The model bucket it may read. */
  readonly bucket: string;
  /**
   * Where the issuer URL came from when it is not a real one: the reader's outputs file holding
   * placeholder outputs (`"placeholder": true`); absent for a derived or recorded issuer.
   */
  readonly issuerPlaceholderFile?: string;
}

/** For clouds that cannot grant other clusters' tokens access yet: a clear error instead of a half-built source. */
export function refuseModelReaders(plan: InfrastructurePlan): void {
  if (plan.modelReaders.length === 0) return;
  throw new Error(
    `${plan.cluster.name}: other clusters cannot read its models yet; cross-cloud reads are granted by AWS ` +
      'stacks only, so modelReplication.sourceCluster must be an AWS cluster (clusters/defaults.ts)',
  );
}

/** Issuer of a cluster's ServiceAccount tokens: derived where the cloud fixes it (GKE), recorded after apply elsewhere. */
function issuerUrlOf(cluster: ClusterSpec, outputsOf: OutputsOf): string {
  return (
    infraProfileOf(cluster).derivedTokenIssuer(cluster) ??
    requireOutput(cluster, outputsOf(cluster), 'oidcIssuerUrl')
  );
}

/** Where a cluster's recorded outputs come from: its outputs file, unless a caller supplies them. */
export type OutputsOf = (cluster: ClusterSpec) => ClusterOutputs;

/** The other clusters, when `cluster` is the model replication source; nobody otherwise. */
function modelReaders(fleet: Fleet, cluster: ClusterSpec, outputsOf: OutputsOf): ModelReaderPlan[] {
  if (fleet.settings.modelReplication.sourceCluster !== cluster.name) return [];
  const dataSync = cloudWorkload('data-sync');
  return fleet.clusters
    .filter((reader) => reader.name !== cluster.name)
    .map((reader) => ({
      reader: reader.name,
      name: replicaReaderRoleName(cluster, reader),
      issuerUrl: issuerUrlOf(reader, outputsOf),
      ...(infraProfileOf(reader).derivedTokenIssuer(reader) === undefined && outputsOf(reader).placeholder
        ? { issuerPlaceholderFile: outputsFile(reader) }
        : {}),
      subject: serviceAccountSubject(dataSync),
      bucket: bucketName(cluster, 'models'),
    }));
}

/** Subnets of one availability zone. */
export interface ZoneSubnets {
  /** Zone id as the cloud names it. */
  readonly zone: string;
  /** Private subnet for nodes (and, on AWS, databases and caches). */
  readonly privateCidr: string;
  /** Public subnet for load balancers and NAT. */
  readonly publicCidr: string;
}

export interface NetworkPlan {
  /** The VPC / VNet range (`network.vpcCidr`). */
  readonly cidr: string;
  /** Per-zone subnets, in the fleet's zone order. */
  readonly zones: readonly ZoneSubnets[];
  /** Pod range (`network.podCidr`). */
  readonly podCidr: string;
  /** Service (ClusterIP) range (`network.serviceCidr`). */
  readonly serviceCidr: string;
  /** Range for managed services reached over private addresses, inside the VPC range. */
  readonly managedServicesCidr: string;
  /** A /28 for a managed control plane that peers into the VPC (GKE). */
  readonly controlPlaneCidr: string;
}

export interface KubernetesPlan {
  /** Cluster name; the fleet's. */
  readonly name: string;
  /** Kubernetes minor version. */
  readonly version: string;
  /** Node pools exactly as the fleet declares them. */
  readonly nodePools: readonly NodePool[];
  /** Whether the API server is reachable from the internet. */
  readonly publicApiEndpoint: boolean;
  /** Days control plane logs are kept. */
  readonly logRetentionDays: number;
}

export interface DatabasePlan {
  /** Instance name (`databaseInstanceName`). */
  readonly instanceName: string;
  /** The database the platform's services use. */
  readonly databaseName: string;
  /** Major PostgreSQL version. */
  readonly engineVersion: string;
  /** Initial storage, GiB. */
  readonly storageGb: number;
  /** Ceiling of storage autoscaling, GiB. */
  readonly maxStorageGb: number;
  /** Days of automated backups. */
  readonly backupRetentionDays: number;
  /** Administrator login. */
  readonly adminUser: string;
}

export interface AnalyticsDatasetPlan {
  /** Dataset id (`analyticsDatasetName`). */
  readonly datasetId: string;
}

export interface CachePlan {
  /** Instance / replication group name (`cacheName`). */
  readonly name: string;
}

export interface BucketPlan {
  /** What the bucket is for. */
  readonly role: BucketRole;
  /** Bucket (Azure: container) name (`bucketName`). */
  readonly name: string;
  /** Days an overwritten or deleted version is kept. */
  readonly noncurrentVersionDays: number;
  /** Days after which an unfinished multipart upload is aborted. */
  readonly abortIncompleteUploadDays: number;
  /** Tier moves by object age; empty for buckets read all the time (models). */
  readonly transitions: readonly { readonly afterDays: number; readonly tier: 'infrequent' | 'archive' }[];
}

export interface RegistryPlan {
  /** One repository per platform image, named as the image. */
  readonly repositories: readonly PlatformImage[];
}

export interface IdentityPlan {
  /** The workload the identity is for. */
  readonly workload: CloudWorkload;
  /** Cloud identity name (`workloadIdentityName`). */
  readonly name: string;
  /** Token subject the identity trusts: `system:serviceaccount:<namespace>:<name>`. */
  readonly subject: string;
  /** Buckets it may use, by name. */
  readonly buckets: readonly {
    readonly role: BucketRole;
    readonly name: string;
    readonly access: BucketAccess;
  }[];
  /** Secret names it may read. */
  readonly secrets: readonly string[];
}

export interface SecretPlan {
  /** Secret name in the cloud's secret store (`secretName`). */
  readonly name: string;
  /** What it holds. */
  readonly description: string;
}

/**
 * The tags every resource of a cluster carries. Keys use "_" rather than "-":
 * valid on all three clouds, and cdktf rewrites "-" to "_" in the Google
 * provider's default labels, which would give resources both spellings.
 */
export function standardTags(fleet: Fleet, cluster: ClusterSpec): Record<string, string> {
  return {
    cluster: cluster.name,
    environment: cluster.environment,
    cost_centre: fleet.settings.costCentre,
    managed_by: 'terraform',
    part_of: fleet.settings.partOf,
  };
}

/** Derives what a cluster needs from the fleet. Pure: same fleet, same plan. */
export function planFor<C extends ClusterSpec>(
  fleet: Fleet,
  cluster: C,
  outputsOf: OutputsOf = loadClusterOutputs,
): InfrastructurePlan<C> {
  const secrets: SecretPlan[] = [
    ...platformSecretsFor(cluster.cloud).map((secret) => ({
      name: secretName(cluster, secret.key),
      description: secret.description,
    })),
    ...fleet.clusters
      .filter((peer) => peer.name !== cluster.name)
      .map((peer) => ({
        name: meshRemoteSecretName(cluster, peer),
        description: `Kubeconfig istiod uses to watch the endpoints of ${peer.name} (istioctl create-remote-secret)`,
      })),
  ];
  const { network } = cluster;
  const vpcPrefix = prefixLength(network.vpcCidr);
  const analyticsDatasetId = infraProfileOf(cluster).analyticsDatasetId(cluster);
  const buckets: BucketPlan[] = (['models', 'data-lake', 'backups', 'log-snapshots'] as const).map(
    (role) => ({
      role,
      name: bucketName(cluster, role),
      noncurrentVersionDays: BUCKETS.noncurrentVersionDays,
      abortIncompleteUploadDays: BUCKETS.abortIncompleteUploadDays,
      transitions:
        role === 'data-lake'
          ? [
              { afterDays: BUCKETS.dataLakeInfrequentAfterDays, tier: 'infrequent' },
              { afterDays: BUCKETS.dataLakeArchiveAfterDays, tier: 'archive' },
            ]
          : [],
    }),
  );
  return {
    cluster,
    tags: standardTags(fleet, cluster),
    network: {
      cidr: network.vpcCidr,
      podCidr: network.podCidr,
      serviceCidr: network.serviceCidr,
      zones: cluster.zones.map((zone, i) => ({
        zone,
        privateCidr: subnet(
          network.vpcCidr,
          vpcPrefix + SUBNET_LAYOUT.private.extraBits,
          SUBNET_LAYOUT.private.firstIndex + i,
        ),
        publicCidr: subnet(
          network.vpcCidr,
          vpcPrefix + SUBNET_LAYOUT.public.extraBits,
          SUBNET_LAYOUT.public.firstIndex + i,
        ),
      })),
      managedServicesCidr: subnet(
        network.vpcCidr,
        vpcPrefix + SUBNET_LAYOUT.managedServices.extraBits,
        SUBNET_LAYOUT.managedServices.index,
      ),
      controlPlaneCidr: subnet(
        network.vpcCidr,
        SUBNET_LAYOUT.controlPlanePrefix,
        2 ** (SUBNET_LAYOUT.controlPlanePrefix - vpcPrefix) - 1,
      ),
    },
    kubernetes: {
      name: cluster.name,
      version: cluster.kubernetesVersion,
      nodePools: cluster.nodePools,
      publicApiEndpoint: KUBERNETES.publicApiEndpoint,
      logRetentionDays: KUBERNETES.logRetentionDays,
    },
    database: cluster.database && {
      instanceName: databaseInstanceName(cluster),
      databaseName: PLATFORM_DATABASE,
      engineVersion: DATABASE.engineVersion,
      storageGb: DATABASE.storageGb,
      maxStorageGb: DATABASE.maxStorageGb,
      backupRetentionDays: DATABASE.backupRetentionDays,
      adminUser: DATABASE.adminUser,
    },
    analyticsDataset: analyticsDatasetId ? { datasetId: analyticsDatasetId } : undefined,
    cache: { name: cacheName(cluster) },
    buckets,
    registry: { repositories: PLATFORM_IMAGES },
    identities: cloudWorkloadsFor(cluster.cloud).map((workload) => ({
      workload,
      name: workloadIdentityName(cluster, workload.name),
      subject: serviceAccountSubject(workload),
      buckets: workload.buckets.map(({ bucket, access }) => ({
        role: bucket,
        name: bucketName(cluster, bucket),
        access,
      })),
      secrets:
        workload.secrets === 'all'
          ? secrets.map((secret) => secret.name)
          : workload.secrets.map((key) => secretName(cluster, key)),
    })),
    secrets,
    modelReaders: modelReaders(fleet, cluster, outputsOf),
    databaseReplica: databaseReplicaPlan(fleet, cluster),
    crossCloud: crossCloudPlan(fleet, cluster, outputsOf),
  };
}
