import type { CloudPrices } from './prices';

/**
 * How the estimate accounts for every resource type the cluster stacks create. A type missing
 * here fails the cost report (and its test), so a new resource comes with its price or with the
 * reason it costs nothing: an estimate that silently leaves out part of the bill gives false
 * comfort to the budget gate.
 */

/** One resource of a rendered stack (`dist/terraform/<stack>/cdk.tf.json`). */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  /** Its construct path (`eks-prod/network/nat-us-east-1a`), from the stack's metadata. */
  readonly path: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** The lines the estimate computes from the fleet or from usage assumptions, not per resource. */
export type AggregateLine =
  | 'node-pool'
  | 'database'
  | 'cache'
  | 'storage'
  | 'egress'
  | 'network'
  | 'logging'
  | 'registry'
  | 'traffic/nat'
  | 'traffic/replication';

/** The lines priced resource by resource. */
export type ResourceLine =
  | 'control-plane'
  | 'nat'
  | 'public-addresses'
  | 'kms'
  | 'secrets'
  | 'private-endpoints'
  | 'private-dns'
  | 'registry-tier'
  | 'global-endpoint';

/** How one resource is accounted for. */
export type ResourceCost =
  /** Priced by a line computed for the whole cluster (from the fleet or from a usage assumption). */
  | { readonly pricedBy: AggregateLine }
  /** Priced on its own: its line and its monthly amount. */
  | { readonly line: ResourceLine; readonly monthlyUsd: number; readonly unit: string }
  /** Costs nothing by itself, and why. */
  | { readonly free: string };

/** Prices a resource from its configuration and the cloud's price table. */
type Pricing = (resource: StackResource, prices: CloudPrices, hours: number) => ResourceCost;

const by =
  (line: AggregateLine): Pricing =>
  () => ({ pricedBy: line });
const free =
  (reason: string): Pricing =>
  () => ({ free: reason });
const hourly =
  (line: ResourceLine, unit: string, price: (prices: CloudPrices) => number): Pricing =>
  (_resource, prices, hours) => ({ line, unit, monthlyUsd: price(prices) * hours });
const monthly =
  (line: ResourceLine, unit: string, price: (prices: CloudPrices) => number): Pricing =>
  (_resource, prices) => ({ line, unit, monthlyUsd: price(prices) });

/** The cross-cloud VPN's resources are priced together by the network line (infra/cross-cloud.ts). */
const crossCloudOr =
  (pricing: Pricing): Pricing =>
  (resource, prices, hours) =>
    resource.path.includes('/cross-cloud/') ? { pricedBy: 'network' } : pricing(resource, prices, hours);

/** The managed control plane, at the tier the resource asks for (`sku_tier` on AKS, the standard fee elsewhere). */
const controlPlane: Pricing = (resource, prices, hours) => {
  const tier = typeof resource.config.sku_tier === 'string' ? resource.config.sku_tier : 'standard';
  const price = prices.platform.controlPlaneHourlyUsd[tier];
  if (price === undefined) throw new Error(`control plane tier ${tier} of ${resource.path} has no price`);
  return { line: 'control-plane', unit: `control plane (${tier})`, monthlyUsd: price * hours };
};

/** Azure Container Registry bills its tier by the day; the storage it includes covers the platform's images. */
const registryTier: Pricing = (resource, prices) => {
  const sku = String(resource.config.sku);
  const price = prices.platform.registrySkuMonthUsd[sku];
  if (price === undefined) throw new Error(`registry tier ${sku} of ${resource.path} has no price`);
  return { line: 'registry-tier', unit: `registry (${sku})`, monthlyUsd: price };
};

const IDENTITY = 'identities, roles, grants and policies are not billed';
const NETWORK_PLUMBING = 'networks, subnets, routes, route tables and firewall rules are not billed';
const ADDON = 'a managed add-on or setting of the cluster, billed with the control plane or the nodes';
const BUCKET_SETTING = "a setting of a bucket, priced with the bucket's storage";
const DB_PART = 'a part of the database server, priced with it';

/** Every resource type the stacks create, with how it is priced. */
export const RESOURCE_COSTS: Readonly<Record<string, Pricing>> = {
  // Kubernetes: the control plane, node pools and what comes with them.
  aws_eks_cluster: controlPlane,
  google_container_cluster: controlPlane,
  azurerm_kubernetes_cluster: controlPlane,
  aws_eks_node_group: by('node-pool'),
  google_container_node_pool: by('node-pool'),
  azurerm_kubernetes_cluster_node_pool: by('node-pool'),
  aws_eks_addon: free(ADDON),
  aws_eks_access_entry: free(IDENTITY),
  aws_eks_access_policy_association: free(IDENTITY),
  aws_ebs_encryption_by_default: free('an account setting'),
  aws_iam_instance_profile: free(IDENTITY),
  aws_iam_openid_connect_provider: free(IDENTITY),
  aws_iam_role: free(IDENTITY),
  aws_iam_role_policy: free(IDENTITY),
  aws_iam_role_policy_attachment: free(IDENTITY),
  google_service_account: free(IDENTITY),
  google_service_account_iam_member: free(IDENTITY),
  google_project_iam_member: free(IDENTITY),
  google_project_service: free('enabling an API is not billed; its use is, on the lines of what uses it'),
  azurerm_user_assigned_identity: free(IDENTITY),
  azurerm_federated_identity_credential: free(IDENTITY),
  azurerm_role_assignment: free(IDENTITY),
  azurerm_role_definition: free(IDENTITY),
  azurerm_resource_group: free('a container for resources'),
  terraform_data: free('exists only in Terraform state'),

  // Networks.
  aws_vpc: free(NETWORK_PLUMBING),
  aws_subnet: free(NETWORK_PLUMBING),
  aws_route_table: free(NETWORK_PLUMBING),
  aws_route_table_association: free(NETWORK_PLUMBING),
  aws_internet_gateway: free('an internet gateway is not billed; the traffic through it is (egress)'),
  aws_security_group: free(NETWORK_PLUMBING),
  aws_vpc_security_group_ingress_rule: free(NETWORK_PLUMBING),
  aws_vpc_endpoint: (resource, prices, hours) =>
    resource.config.vpc_endpoint_type === 'Gateway'
      ? { free: 'gateway endpoints (S3) are not billed' }
      : {
          line: 'private-endpoints',
          unit: 'interface endpoint',
          monthlyUsd: prices.platform.privateEndpointHourlyUsd * hours,
        },
  google_compute_network: free(NETWORK_PLUMBING),
  google_compute_subnetwork: free(NETWORK_PLUMBING),
  google_compute_firewall: free(NETWORK_PLUMBING),
  google_compute_network_peering_routes_config: free(NETWORK_PLUMBING),
  google_compute_global_address: free('an internal range reserved for private services access is not billed'),
  google_service_networking_connection: free('private services access peering is not billed'),
  azurerm_virtual_network: free(NETWORK_PLUMBING),
  azurerm_subnet: free(NETWORK_PLUMBING),
  azurerm_subnet_nat_gateway_association: free(NETWORK_PLUMBING),
  azurerm_nat_gateway_public_ip_association: free(NETWORK_PLUMBING),
  azurerm_virtual_network_peering: free(
    "no hourly charge; the per-GB charge of the database replica's stream across it is not estimated",
  ),
  aws_nat_gateway: hourly('nat', 'NAT gateway', (p) => p.platform.natGatewayHourlyUsd),
  google_compute_router_nat: hourly('nat', 'Cloud NAT', (p) => p.platform.natGatewayHourlyUsd),
  azurerm_nat_gateway: hourly('nat', 'NAT gateway', (p) => p.platform.natGatewayHourlyUsd),
  google_compute_router: crossCloudOr(free('a Cloud Router for NAT only is not billed')),
  aws_eip: crossCloudOr(hourly('public-addresses', 'public IPv4', (p) => p.platform.publicAddressHourlyUsd)),
  azurerm_public_ip: crossCloudOr(
    hourly('public-addresses', 'public IPv4', (p) => p.platform.publicAddressHourlyUsd),
  ),
  azurerm_private_endpoint: hourly(
    'private-endpoints',
    'private endpoint',
    (p) => p.platform.privateEndpointHourlyUsd,
  ),
  azurerm_private_dns_zone: monthly(
    'private-dns',
    'private DNS zone',
    (p) => p.platform.privateDnsZoneMonthUsd,
  ),
  azurerm_private_dns_zone_virtual_network_link: free('virtual network links of a zone are not billed'),

  // The cross-cloud network and the operator bastion: the network line.
  aws_customer_gateway: by('network'),
  aws_vpn_connection: by('network'),
  aws_vpn_gateway: by('network'),
  aws_vpn_gateway_route_propagation: by('network'),
  aws_route53_resolver_endpoint: by('network'),
  aws_route53_resolver_rule: by('network'),
  aws_route53_resolver_rule_association: by('network'),
  aws_instance: by('network'),
  google_compute_external_vpn_gateway: by('network'),
  google_compute_ha_vpn_gateway: by('network'),
  google_compute_vpn_tunnel: by('network'),
  google_compute_router_interface: by('network'),
  google_compute_router_peer: by('network'),
  google_dns_managed_zone: by('network'),
  azurerm_local_network_gateway: by('network'),
  azurerm_virtual_network_gateway: by('network'),
  azurerm_virtual_network_gateway_connection: by('network'),
  azurerm_private_dns_resolver: by('network'),
  azurerm_private_dns_resolver_inbound_endpoint: by('network'),

  // Data: object storage, the cache, the database.
  aws_s3_bucket: by('storage'),
  aws_s3_bucket_lifecycle_configuration: free(BUCKET_SETTING),
  aws_s3_bucket_ownership_controls: free(BUCKET_SETTING),
  aws_s3_bucket_policy: free(BUCKET_SETTING),
  aws_s3_bucket_public_access_block: free(BUCKET_SETTING),
  aws_s3_bucket_server_side_encryption_configuration: free(BUCKET_SETTING),
  aws_s3_bucket_versioning: free(BUCKET_SETTING),
  google_storage_bucket: by('storage'),
  google_storage_bucket_iam_member: free(IDENTITY),
  azurerm_storage_account: by('storage'),
  azurerm_storage_container: free('a container of the storage account, priced with its storage'),
  azurerm_storage_management_policy: free(BUCKET_SETTING),
  aws_elasticache_replication_group: by('cache'),
  aws_elasticache_subnet_group: free(NETWORK_PLUMBING),
  google_redis_instance: by('cache'),
  azurerm_managed_redis: by('cache'),
  aws_db_instance: by('database'),
  aws_db_subnet_group: free(NETWORK_PLUMBING),
  google_sql_database_instance: by('database'),
  google_sql_database: free(DB_PART),
  azurerm_postgresql_flexible_server: by('database'),
  azurerm_postgresql_flexible_server_database: free(DB_PART),
  azurerm_postgresql_flexible_server_active_directory_administrator: free(DB_PART),
  google_bigquery_dataset: free(
    'an empty dataset is not billed; its storage and queries are usage the estimate does not assume',
  ),

  // Keys and secrets.
  aws_kms_key: monthly('kms', 'KMS key', (p) => p.platform.kmsKeyMonthUsd),
  aws_secretsmanager_secret: monthly('secrets', 'secret', (p) => p.platform.secretMonthUsd),
  aws_secretsmanager_secret_version: free('a secret is billed per secret, not per version'),
  google_secret_manager_secret: monthly('secrets', 'secret', (p) => p.platform.secretMonthUsd),
  google_secret_manager_secret_iam_member: free(IDENTITY),
  azurerm_key_vault: monthly('secrets', 'key vault', (p) => p.platform.secretStoreMonthUsd),
  azurerm_key_vault_secret: monthly('secrets', 'secret', (p) => p.platform.secretMonthUsd),

  // Logs and images.
  aws_cloudwatch_log_group: by('logging'),
  azurerm_log_analytics_workspace: by('logging'),
  azurerm_monitor_data_collection_rule: by('logging'),
  azurerm_monitor_data_collection_rule_association: by('logging'),
  aws_ecr_repository: by('registry'),
  aws_ecr_lifecycle_policy: free('a setting of a repository'),
  google_artifact_registry_repository: by('registry'),
  azurerm_container_registry: registryTier,

  // The global endpoint (its own stack): each cluster pays for the check of its ingress.
  aws_route53_health_check: (resource, prices) => {
    const check = prices.platform.ingressHealthCheck;
    const fast = Number(resource.config.request_interval) <= 10;
    return {
      line: 'global-endpoint',
      unit: `ingress health check${fast ? ' (10 s)' : ''}`,
      monthlyUsd: check.baseMonthUsd + (fast ? check.fastIntervalMonthUsd : 0),
    };
  },
  aws_route53_record: free(
    'records are not billed; the queries they answer are (usage the estimate does not assume)',
  ),
};

/** Raised when a stack creates a resource type the estimate does not account for. */
export class UnpricedResourceError extends Error {
  constructor(readonly types: readonly string[]) {
    super(
      `resource types neither priced nor listed as free in tools/cost/coverage.ts: ${types.join(', ')}; ` +
        'add each with its price (or the reason it costs nothing)',
    );
    this.name = 'UnpricedResourceError';
  }
}

/** The resources of a stack's Terraform JSON, in file order. */
export function stackResources(stack: unknown): StackResource[] {
  const blocks =
    (stack as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource ?? {};
  return Object.entries(blocks).flatMap(([type, named]) =>
    Object.entries(named).map(([name, config]) => {
      const metadata = (config['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
      return { type, name, path: metadata?.path ?? `${type}.${name}`, config };
    }),
  );
}

/** Each resource with how it is priced; throws naming every type the table does not know. */
export function costResources(
  resources: readonly StackResource[],
  prices: CloudPrices,
  hours: number,
): { readonly resource: StackResource; readonly cost: ResourceCost }[] {
  const unknown = [
    ...new Set(resources.map((r) => r.type).filter((type) => !(type in RESOURCE_COSTS))),
  ].sort();
  if (unknown.length > 0) throw new UnpricedResourceError(unknown);
  return resources.map((resource) => ({
    resource,
    cost: RESOURCE_COSTS[resource.type](resource, prices, hours),
  }));
}
