/**
 * Every sizing and retention choice of the stacks, in one place. The fleet
 * says what runs where; these say how big and how long, the same for every
 * cluster of a cloud. Change a value here and every stack follows.
 */

/**
 * How a cluster's VPC range is carved, as (prefix length added to the VPC's,
 * block index) pairs. With a /16 VPC: private subnets are /19s at the start,
 * public subnets /22s near the end, the managed-services range a /20 in the
 * middle and the control plane a /28 at the very end.
 */
export const SUBNET_LAYOUT = {
  /** Private (node) subnet of zone i: block i of size VPC+3 (a /19 in a /16). */
  private: { extraBits: 3, firstIndex: 0 },
  /** Public (load balancer, NAT) subnet of zone i: block 48+i of size VPC+6 (a /22 in a /16). */
  public: { extraBits: 6, firstIndex: 48 },
  /** Range reserved for managed services reached over private addresses (Cloud SQL, Memorystore, Azure endpoints). */
  managedServices: { extraBits: 4, index: 8 },
  /** GKE control plane peering range: one /28, the last block of the VPC. */
  controlPlanePrefix: 28,
} as const;

/** PostgreSQL for the platform's services. */
export const DATABASE = {
  /** Major PostgreSQL version on every cloud. */
  engineVersion: '16',
  /** Initial storage, GiB. */
  storageGb: 100,
  /** Ceiling of storage autoscaling, GiB. */
  maxStorageGb: 1000,
  /** Days of automated backups (and point-in-time recovery) kept. */
  backupRetentionDays: 14,
  /** Administrator login; its password is generated and held by the cloud, never by Terraform. */
  adminUser: 'mlplatform_admin',
  /** Instance sizes per cloud. */
  instanceClass: { aws: 'db.r6g.large', gcp: 'db-custom-4-16384', azure: 'GP_Standard_D4ds_v5' },
} as const;

/** Redis for rate limits and the gateway's shared state. */
export const CACHE = {
  /** Major Redis version where the service lets one choose it (Azure Managed Redis runs its own, 7.4). */
  engineVersion: { aws: '7.1', gcp: 'REDIS_7_2' },
  /** Nodes in the replication group: one primary and replicas in other zones. */
  nodes: 3,
  /** Memory per node, GiB (AWS node type and Azure SKU are chosen to match). */
  memoryGb: 13,
  /** AWS node type with ~13 GiB. */
  awsNodeType: 'cache.r7g.large',
  /** Azure Managed Redis Balanced B10: 12 GB, the nearest size to 13 GiB; high availability doubles the nodes. */
  azureSku: 'Balanced_B10',
  /** Port with TLS on AWS (Memorystore reports its own, 6378; Azure Managed Redis 10000). */
  port: { aws: 6379 },
  /** Days of daily snapshots kept (AWS). */
  snapshotRetentionDays: 7,
} as const;

/** Object storage lifecycle. */
export const BUCKETS = {
  /** Days an overwritten or deleted object version is kept before it expires. */
  noncurrentVersionDays: 90,
  /** Days after which an unfinished multipart upload is aborted. */
  abortIncompleteUploadDays: 7,
  /** Data-lake objects move to an infrequent-access tier after this many days. */
  dataLakeInfrequentAfterDays: 30,
  /** Data-lake objects move to an archive tier after this many days. */
  dataLakeArchiveAfterDays: 180,
  /** Days deleted blobs and containers stay recoverable (Azure soft delete). */
  softDeleteDays: 30,
} as const;

/** Container registries. */
export const REGISTRY = {
  /** Untagged images expire after this many days. */
  untaggedImageDays: 14,
} as const;

/** Kubernetes control planes. */
export const KUBERNETES = {
  /** Days control plane and container logs are kept where the stack owns the log store. */
  logRetentionDays: 30,
  /** Whether the API server has a public endpoint; operators and CI reach a private one through the VPC. */
  publicApiEndpoint: false,
} as const;

/**
 * Instance types an EKS spot node group may also use, by the fleet's instance type: same vCPUs and
 * memory (so cluster-autoscaler's template node holds for all of them), other families or
 * generations, so one spot pool running dry does not empty the group. Only EKS takes several types
 * per group; AKS agent pools and GKE node pools take one machine type, and the on-demand fallback
 * pool is their answer to a reclaim.
 */
export const SPOT_INSTANCE_ALTERNATIVES: Readonly<Record<string, readonly string[]>> = {
  // 16 vCPU, 32 GiB.
  'c6i.4xlarge': ['c6a.4xlarge', 'c7i.4xlarge', 'c5.4xlarge', 'c5a.4xlarge'],
  // 4 vCPU, 16 GiB.
  'm6i.xlarge': ['m6a.xlarge', 'm7i.xlarge', 'm5.xlarge', 'm5a.xlarge'],
};

/** Secret stores. */
export const SECRETS = {
  /** Days a deleted secret stays recoverable (Secrets Manager). */
  recoveryDays: 30,
  /** Days a deleted Key Vault or Key Vault secret stays recoverable (the Azure maximum). */
  keyVaultSoftDeleteDays: 90,
} as const;

/**
 * The cross-cloud network (infra/cross-cloud.ts): a site-to-site IPsec VPN
 * with BGP between every pair of clusters on different clouds.
 */
export const CROSS_CLOUD_NETWORK = {
  /**
   * Tunnel inside addresses: a /30 per tunnel, four slots per link. Azure takes
   * BGP (APIPA) addresses only from 169.254.21.0 to 169.254.22.255, AWS and GCP
   * any link-local /30 outside their reserved ones, so every link draws from
   * Azure's range: 128 /30s, 32 links, 8 fully meshed clusters.
   */
  tunnelInsideRange: '169.254.21.0/23',
  /** Tunnel slots reserved per link (an AWS side needs four: two connections of two tunnels). */
  tunnelsPerLink: 4,
  /** First private ASN; cluster i of the fleet (declaration order) speaks BGP as firstAsn + i. */
  firstAsn: 64512,
  /** Azure VPN gateway SKU: zone-redundant, BGP, active-active, 650 Mbit/s aggregate. */
  azureGatewaySku: 'VpnGw1AZ',
  /** Port of the Kubernetes API servers, which peers' istiod (and the operator bastion) reach. */
  apiServerPort: 443,
  /** Ports of the east-west gateways peers' sidecars reach (mTLS passthrough, status). */
  eastWestPorts: [15443, 15021],
} as const;

/**
 * Where a cluster's VPC range holds its connectivity subnets: /24s (a VPC
 * range + 8) from block `firstIndex`, i.e. 10.x.248.0/24 onwards in a /16,
 * between the public subnets and the control plane /28.
 */
export const CONNECTIVITY_LAYOUT = {
  extraBits: 8,
  firstIndex: 248,
  /** Block offsets: the VPN gateway's subnet (Azure GatewaySubnet), the operator bastion, the DNS resolver. */
  gateway: 0,
  bastion: 1,
  dnsResolver: 2,
} as const;

/** The operators' and CI's path to the private API servers (infra/aws/bastion.ts). */
export const OPERATOR_ACCESS = {
  /** Instance type of the bastion: SSM port forwarding needs little. */
  bastionInstanceType: 't4g.small',
  /** AMI of the bastion: Amazon Linux 2023 (arm64), which ships the SSM agent, via its public SSM parameter. */
  bastionAmiParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
} as const;

/**
 * The global endpoint (infra/global/endpoint.ts): Route 53 latency records for the prediction API
 * host, one per cluster, each withdrawn when its cluster's health check fails. These three numbers
 * bound how long clients keep reaching a lost cluster (tools/lifecycle/failover.ts computes it from
 * the rendered stack; it must stay under a minute).
 */
export const GLOBAL_ENDPOINT = {
  /** Seconds between two checks of one Route 53 checker: 10 ("fast") or 30 are the values Route 53 takes. */
  requestIntervalSeconds: 10,
  /** Consecutive failed checks before Route 53 considers the ingress unhealthy (1..10). */
  failureThreshold: 3,
  /** Seconds resolvers may cache the answer; a withdrawn cluster is still answered from caches this long. */
  ttlSeconds: 15,
  /** Seconds resolvers may cache a cluster's own ingress record, which never moves. */
  ingressRecordTtlSeconds: 300,
  /** Route 53 checker regions (at least three); spread so one region's trouble cannot fail a cluster. */
  checkerRegions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1'],
} as const;
