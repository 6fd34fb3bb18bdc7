import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { Cloud, ClusterSpec, NodePool, Taint } from '../../clusters/types';
import type { BucketRole, SecretKey } from '../../clusters/workloads';
import type { Contribution, CredentialEndpoint } from '../kernel/contribution';
import type { HelmRelease } from '../kernel/helm';
import type { IstioCniValues, IstioPlatform } from '../mesh/chart-values';

/** The External Secrets provider block that reads the cloud's secret store. */
export type SecretStoreProvider = NonNullable<IClusterSecretStore['spec']>['provider'];

/**
 * A question the profile cannot answer from the committed fleet, such as an
 * identity that exists only after `terraform apply`. Synthesis reports it like
 * any other problem in the fleet: with the file to fix, and nothing written.
 */
export class MissingCloudValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingCloudValueError';
  }
}

/** A Kubernetes toleration, as rendered into a pod spec. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: Taint['effect'];
}

/** Where pods for a node pool must go: the cloud's pool label and the taints to tolerate. */
export interface NodePlacement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

/** What a ServiceAccount and its pods need to act as a cloud identity. */
export interface WorkloadIdentityBinding {
  /** Annotations on the ServiceAccount (IAM role ARN, Google SA email, Azure client id). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Labels on the ServiceAccount. */
  readonly serviceAccountLabels: Readonly<Record<string, string>>;
  /** Labels every pod using the ServiceAccount must carry (Azure's webhook selects on them). */
  readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * Where pods acting as a cloud identity fetch their credentials, when the platform's egress to
 * the internet on 443 does not reach it: the flow every namespace holding such a workload gets
 * (platform/kernel/flows.ts), and what check:cluster proves each annotated pod may reach.
 */
export interface WorkloadIdentityEndpoint extends CredentialEndpoint {
  /** The ServiceAccount annotation that gives a pod the identity; check:cluster finds the pods by it. */
  readonly serviceAccountAnnotation: string;
}

/** How a model server reads a model's artifacts on this cloud. */
export type ModelStorage =
  /** The server reads the object store natively (TF Serving knows s3:// and gs://). */
  | {
      readonly kind: 'object-store';
      readonly uri: string;
      /** Environment the server's filesystem client needs (region, endpoint settings). */
      readonly env: Readonly<Record<string, string>>;
    }
  /**
   * TF Serving cannot read Azure Blob, so the container is mounted with the
   * Blob CSI driver and the server reads a local path.
   */
  | {
      readonly kind: 'blob-csi';
      readonly storageAccount: string;
      readonly containerName: string;
      readonly resourceGroup: string;
      /** Path inside the container holding the model's versions. */
      readonly containerPath: string;
      /** Client id of the identity the CSI driver mounts the container as. */
      readonly clientId: string;
    };

/** How a pod in another cluster reads this cluster's model bucket: environment and a projected token. */
export interface CrossCloudReadAccess {
  /** Environment the reader's SDK (rclone) needs. */
  readonly env: Readonly<Record<string, string>>;
  /** Audience of the projected ServiceAccount token the cloud accepts. */
  readonly tokenAudience: string;
  /** Where the token is mounted; `env` points there. */
  readonly tokenPath: string;
}

/** An rclone remote for one of the cluster's buckets, configured through environment variables. */
export interface RcloneRemote {
  /** `RCLONE_CONFIG_<NAME>_*` settings without the prefix, e.g. `{ TYPE: 's3', ENV_AUTH: 'true' }`. */
  readonly settings: Readonly<Record<string, string>>;
  /** Bucket (Azure: container) the remote path starts with. */
  readonly bucket: string;
}

/** A spot pool and the on-demand pool the fleet names as its fallback (`fallbackFor`). */
export interface SpotPair {
  readonly spot: NodePool;
  readonly fallback: NodePool;
}

/** What makes a spot pool fall back to its on-demand pool automatically on this cloud. */
export interface SpotFallback {
  /**
   * Regular expressions over the node-group names the cluster autoscaler sees
   * (EKS Auto Scaling groups, AKS scale sets), for the priority expander:
   * spot first, the fallback next. Absent where the cloud's autoscaler takes
   * no priority list (GKE: the pairing of pools is all it needs).
   */
  readonly priorityPatterns?: { readonly spot: string; readonly fallback: string };
}

/** A Kubernetes object an add-on renders, written as its typed model (`IConfigMap`, ...). */
export interface AddOnObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

/**
 * Something only some clouds need the platform to run, as a component of its
 * own (cdk-eks-blueprints' add-ons): the profile builds it from its answers,
 * and the synthesis renders it between the platform's foundation (base,
 * secrets) and its services. Its parts are built when the component renders,
 * so a value the cloud cannot answer yet is reported against the add-on.
 */
export interface CloudAddOn {
  /** Component name: its folder under `dist/<cluster>/` and its Argo CD Application. */
  readonly name: string;
  /** The objects it renders, by their id in its chart (`<add-on>/<id>` in dist/manifest.json). */
  objects(): Readonly<Record<string, AddOnObject>>;
  /** The upstream charts it installs, each as its own Argo CD Application. */
  helmReleases(): readonly HelmRelease[];
  /** What it declares beyond its objects (platform/kernel/contribution.ts), such as what its charts create. */
  contributes?(): Contribution;
}

/** A subject of a RoleBinding or ClusterRoleBinding. */
export interface RbacSubject {
  readonly kind: 'Group' | 'User';
  readonly name: string;
  readonly apiGroup: 'rbac.authorization.k8s.io';
}

/** What Istio's CNI node agent must know about the cloud's nodes. */
export interface IstioCniPlatform extends Pick<IstioCniValues, 'cniBinDir' | 'cniConfDir'> {
  /** Istio's platform profile for the cloud, where Istio has one (the charts' `global.platform`). */
  readonly platform?: IstioPlatform;
}

/** Volume performance tiers charts may ask for. */
export type StorageTier = 'standard' | 'fast';

/**
 * Where the StorageClass of a tier comes from. A claim naming a class nobody
 * creates stays Pending forever, so every tier is either created by the cloud
 * in every cluster, or rendered by the platform (base component) from this.
 */
export type StorageClassSource =
  /** The cloud creates the class in every cluster (GKE's PD CSI driver, AKS's Azure Disk CSI driver). */
  | { readonly name: string; readonly providedByCloud: true; readonly provisioner: string }
  /** Nothing creates it: the platform renders it. */
  | {
      readonly name: string;
      readonly providedByCloud: false;
      /** CSI driver that provisions the volumes. */
      readonly provisioner: string;
      /** The driver's CreateVolume parameters (volume type, encryption, IOPS). */
      readonly parameters: Readonly<Record<string, string>>;
    };

/** Load balancers are either reachable from the VPC only or from the internet. */
/** Where Velero keeps the cluster's backups, and the plugin that speaks to that store. */
export interface BackupStorage {
  /** Velero's provider name of the plugin (`aws`, `gcp`, `azure`). */
  readonly provider: string;
  /** The plugin's image; an init container copies its binary into Velero's plugin folder. */
  readonly pluginImage: string;
  /** The cluster's backups bucket (Azure: container). */
  readonly bucket: string;
  /** The BackupStorageLocation's `config`, as the plugin reads it. */
  readonly config: Readonly<Record<string, string>>;
}

/** A ServiceAccount token projected into a pod for the cloud's token exchange. */
export interface ProjectedToken {
  /** Volume name; the cloud's identity webhook adds no volume of its own next to one of this name. */
  readonly volume: string;
  /** Folder under Elasticsearch's config directory, the only place its repository clients may read. */
  readonly configSubdirectory: string;
  /** File name of the token in that folder. */
  readonly file: string;
  /** Audience the cloud's token exchange accepts. */
  readonly audience: string;
  /** Environment variable naming the token file (the webhook then leaves it as set). */
  readonly fileEnv: string;
}

/** Where Elasticsearch keeps the cluster's log snapshots, and how its nodes authenticate there. */
export interface LogSnapshotStorage {
  /** Repository type, the module bundled in Elasticsearch: `s3`, `gcs` or `azure`. */
  readonly type: 's3' | 'gcs' | 'azure';
  /** The cluster's log-snapshots bucket (Azure: container). */
  readonly bucket: string;
  /** Azure: the storage account holding the container. */
  readonly storageAccount?: string;
  /** Repository settings naming the bucket, as `PUT _snapshot/<repository>` takes them. */
  readonly settings: Readonly<Record<string, string>>;
  /** Client settings of elasticsearch.yml (the S3 client's region). */
  readonly nodeConfig: Readonly<Record<string, string>>;
  /**
   * Client settings Elasticsearch reads from its keystore only, none of them a credential (the
   * Azure client's account name): the workload identity is the credential on every cloud.
   */
  readonly keystoreSettings: Readonly<Record<string, string>>;
  /** Environment of the elasticsearch container besides the token's (the IAM role to assume). */
  readonly env: Readonly<Record<string, string>>;
  /** The token the cloud exchanges for its credentials; absent where the metadata server answers (GKE). */
  readonly token?: ProjectedToken;
}

export type LoadBalancerScheme = 'internal' | 'external';

/** The CSI snapshot API's group and kinds (kubernetes-csi/external-snapshotter), as a cloud installs them. */
export const VOLUME_SNAPSHOT_API = {
  group: 'snapshot.storage.k8s.io',
  kinds: ['VolumeSnapshotClass', 'VolumeSnapshot', 'VolumeSnapshotContent'],
} as const;

/**
 * How the cloud snapshots the cluster's persistent volumes: its CSI driver (the provisioner of the
 * StorageClasses) cuts the snapshot with the driver's own identity, and the snapshot API
 * (`VOLUME_SNAPSHOT_API`: CRDs and the snapshot controller) is installed by the cloud in every
 * cluster, which check:cluster trusts as it trusts the built-in APIs.
 */
export interface VolumeSnapshotSupport {
  /** The CSI drivers whose volumes are snapshotted: one VolumeSnapshotClass each. */
  readonly drivers: readonly string[];
  /** What installs the snapshot CRDs and controller, for the reader (and infra/<cloud>/ that enables it). */
  readonly apiInstalledBy: string;
}

/**
 * How OpenCost reads this cloud's prices beyond its workload identity (whose grants each stack
 * makes from the workload's `readsPrices`).
 */
export interface CostPricing {
  /**
   * The platform secret holding an API key OpenCost must send to the cloud's price list, where
   * that price list takes a key rather than an identity (OpenCost's `CLOUD_PROVIDER_API_KEY`).
   */
  readonly apiKeySecret?: SecretKey;
  /** Further environment of OpenCost's container, from OpenCost's own settings (pkg/env). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Everything that differs between clouds, answered for one cluster. Charts ask
 * the profile and never test the cloud themselves.
 */
export interface CloudProfile {
  readonly cloud: Cloud;
  /** StorageClass name for persistent volumes of a tier (`storageClasses()[tier].name`). */
  storageClass(tier: StorageTier): string;
  /** The StorageClass of every tier and whether the cloud creates it or the platform must render it. */
  storageClasses(): Readonly<Record<StorageTier, StorageClassSource>>;
  /** Annotations that make a `type: LoadBalancer` Service internal or external. */
  loadBalancerAnnotations(scheme: LoadBalancerScheme): Readonly<Record<string, string>>;
  /**
   * The controller that acts on `loadBalancerAnnotations`, from its pinned
   * upstream chart, where the platform must install it (AWS); undefined
   * where the cloud's own controller manager provisions load balancers.
   * Charts whose Services need a load balancer require it by name.
   */
  loadBalancerController(): HelmRelease | undefined;
  /**
   * The `metrics.k8s.io` API (metrics-server) CPU-based HPAs need, from its
   * pinned chart, where the platform must install it (EKS); undefined where
   * the cloud runs metrics-server in every cluster itself (GKE, AKS).
   */
  resourceMetricsServer(): HelmRelease | undefined;
  /**
   * The device plugin that advertises the GPUs of the cluster's GPU pools (`nvidia.com/gpu`), from
   * its pinned upstream chart, where the platform must install it (EKS, AKS); undefined where the
   * cloud installs its own (GKE) or the cluster has no GPU pool.
   */
  gpuDevicePlugin(): HelmRelease | undefined;
  /** Workload identity for the ServiceAccount of a workload (e.g. `model-serving`). */
  workloadIdentity(workload: string): WorkloadIdentityBinding;
  /**
   * Where the pods of a workload identity fetch their credentials, where the NetworkPolicies must
   * open a path for it (GKE: the metadata server on a link-local address); undefined where the
   * credentials come from the cloud's token service on 443, which the workloads' egress to the
   * cloud already allows (EKS, AKS).
   */
  workloadIdentityEndpoint(): WorkloadIdentityEndpoint | undefined;
  /** Every taint nodes of the pool carry: the fleet's and those the cloud adds itself. */
  nodeTaints(pool: NodePool): readonly Taint[];
  /**
   * Node selector and tolerations that put a pod on the pool. A spot pool with
   * an on-demand fallback places by role on both, so the pods can move there.
   */
  nodePlacement(pool: NodePool): NodePlacement;
  /** How spot capacity of the pair falls back to on-demand on this cloud. */
  spotFallback(pair: SpotPair): SpotFallback;
  /**
   * The components this cloud needs and runs none of itself, for this cluster: spot fallback's
   * priority expander where the cloud's autoscaler takes one (EKS, AKS), with cluster-autoscaler
   * itself on EKS. Empty where the cloud needs nothing (GKE) or the cluster has no spot pair.
   */
  addOns(): readonly CloudAddOn[];
  /**
   * Who may read the cluster through the platform's read-only role, from the cluster file's
   * `view` API access: GKE names a Google group (Google Groups for RBAC) or a user or service
   * account by its email, AKS an Entra ID group by its object id. Empty on EKS, whose `view`
   * principals join the developers group through their access entries instead.
   */
  apiViewers(): readonly RbacSubject[];
  /** Where the server for a model reads its artifacts. */
  modelStorage(model: string): ModelStorage;
  /** URI of an object in one of the cluster's buckets, in the form the cloud's SDKs read. */
  objectUri(bucket: BucketRole, path: string): string;
  /** How rclone reaches one of the cluster's buckets as the pod's workload identity. */
  rcloneRemote(bucket: BucketRole): RcloneRemote;
  /** Velero's backup store and plugin; the credentials are the `velero` workload identity's. */
  backupStorage(): BackupStorage;
  /** How OpenCost reads the cloud's prices (platform/cost); the identity is the `opencost` workload's. */
  costPricing(): CostPricing;
  /** How the cluster's volumes are snapshotted (Velero's CSI snapshots, platform/backup). */
  volumeSnapshots(): VolumeSnapshotSupport;
  /** Elasticsearch's snapshot repository; the credentials are the `elasticsearch` workload identity's. */
  logSnapshotStorage(): LogSnapshotStorage;
  /** How a pod of `reader` (another cluster) reads this cluster's model bucket, federating its identity. */
  crossCloudModelReader(reader: ClusterSpec): CrossCloudReadAccess;
  /** Host of the cluster's container registry. */
  registryHost(): string;
  /** Full image repository for an image name in the cluster's registry. */
  imageRepository(image: string): string;
  /**
   * Where the cloud's nodes keep their CNI plugins and configuration, for the
   * Istio CNI node agent that chains its plugin onto the cloud's own.
   */
  istioCni(): IstioCniPlatform;
  /**
   * How External Secrets reads the cloud's secret store (Secrets Manager,
   * Secret Manager, Key Vault), authenticated as the controller's workload identity.
   */
  secretStoreProvider(): SecretStoreProvider;
  /**
   * PEM of the CA the managed Redis' server certificate chains to, where no system trust store holds
   * it (Memorystore's per-instance CA): clients that verify TLS must be given it. Undefined where
   * the certificate is from a public CA (ElastiCache: Amazon, Azure Managed Redis: DigiCert).
   */
  redisServerCa(): string | undefined;
}
