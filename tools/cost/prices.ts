import type { Cloud } from '../../clusters/types';

/** One machine type: its size (for packing replicas onto nodes) and its on-demand price. */
export interface InstancePrice {
  /** vCPUs per node. */
  readonly vcpu: number;
  /** Memory per node, GiB. */
  readonly memoryGib: number;
  /** Accelerators per node (0 when none). */
  readonly gpus: number;
  /** On-demand (pay-as-you-go) price per node-hour, USD, including attached GPUs. */
  readonly onDemandHourlyUsd: number;
}

/** What one cloud charges, for the region the fleet runs in there. */
export interface CloudPrices {
  /** Region the prices are for. */
  readonly region: string;
  /** Machine types the fleet uses, by the cloud's name. */
  readonly instances: Readonly<Record<string, InstancePrice>>;
  /**
   * Typical discount of spot capacity against on-demand, 0..1. Spot prices
   * move hourly; a long-run average is what a monthly estimate can use.
   */
  readonly spotDiscount: number;
  /** Managed PostgreSQL instance classes, USD per hour (HA where the stack deploys HA). */
  readonly databaseHourlyUsd: Readonly<Record<string, number>>;
  /**
   * The database's read replica in the paired region, where the stack keeps one
   * (`keepsDatabaseReplica` in infra/plan.ts), by the primary's class, USD per hour:
   * one instance, since replicas get no HA. Empty on clouds without a replica.
   */
  readonly databaseReplicaHourlyUsd: Readonly<Record<string, number>>;
  /** Database storage, USD per GB-month (a replica stores as much as its primary). */
  readonly databaseStorageGbMonthUsd: number;
  /** The managed Redis as the stack deploys it (infra/defaults.ts `CACHE`), USD per hour. */
  readonly cacheHourlyUsd: number;
  /** Object storage (standard class), USD per GB-month. */
  readonly objectStorageGbMonthUsd: number;
  /** Internet egress (first pricing tier), USD per GB. */
  readonly egressGbUsd: number;
  /** The stack's end of the cross-cloud network (infra/cross-cloud.ts) and the operator bastion. */
  readonly network: NetworkPrices;
  /** What the rest of the cluster's stack and the rendered manifests create (tools/cost/coverage.ts). */
  readonly platform: PlatformPrices;
}

/**
 * The charges a cluster pays beyond its nodes and managed data stores: the control plane, NAT,
 * load balancers, volumes, keys, secrets, logs, the registry and traffic inside the cloud. Each
 * resource type of the stacks and each billable object of the tree maps to one of these in
 * tools/cost/coverage.ts, or is listed there as free with the reason.
 */
export interface PlatformPrices {
  /** Where these prices come from, and when. */
  readonly source: string;
  readonly asOf: string;
  /** The managed control plane by the tier the stack asks for (EKS standard support, GKE, AKS `sku_tier`), USD per hour. */
  readonly controlPlaneHourlyUsd: Readonly<Record<string, number>>;
  /** One NAT gateway (AWS, Azure) or Cloud NAT gateway for the cluster's VMs (GCP, at its 32-VM cap), USD per hour. */
  readonly natGatewayHourlyUsd: number;
  /** Data processed by NAT, USD per GB. */
  readonly natGbUsd: number;
  /** One public IPv4 address (NAT, VPN), USD per hour. */
  readonly publicAddressHourlyUsd: number;
  /** One load balancer a Service of type LoadBalancer gets, with its first rules and a light load, USD per hour. */
  readonly loadBalancerHourlyUsd: number;
  /** Block storage by the StorageClass a claim names, USD per GB-month. */
  readonly volumeGbMonthUsd: Readonly<Record<string, number>>;
  /** One customer-managed encryption key, USD per month. */
  readonly kmsKeyMonthUsd: number;
  /** One secret in the cloud's secret store, USD per month (Key Vault bills operations only: 0). */
  readonly secretMonthUsd: number;
  /** The secret store itself, USD per month (0 where only secrets are billed). */
  readonly secretStoreMonthUsd: number;
  /** Logs ingested by the cloud's logging service (CloudWatch, Cloud Logging, Log Analytics), USD per GB. */
  readonly logIngestGbUsd: number;
  /** Container images stored in the registry, USD per GB-month (0 where the registry's tier includes the storage). */
  readonly registryGbMonthUsd: number;
  /** The registry's tier by its SKU, USD per month (Azure Container Registry; 0 elsewhere). */
  readonly registrySkuMonthUsd: Readonly<Record<string, number>>;
  /** A private endpoint (Azure Private Link), USD per hour. */
  readonly privateEndpointHourlyUsd: number;
  /** A private DNS zone, USD per month. */
  readonly privateDnsZoneMonthUsd: number;
  /** Traffic between zones of the region, USD per GB crossing (both directions counted where both are billed). */
  readonly interZoneGbUsd: number;
  /**
   * A Route 53 health check of the cluster's ingress (the global endpoint), USD per month: Route 53
   * bills a check of an endpoint outside AWS more than one inside, and the 10 s interval on top.
   */
  readonly ingressHealthCheck: { readonly baseMonthUsd: number; readonly fastIntervalMonthUsd: number };
}

/**
 * What one cloud's end of the cross-cloud VPN costs by the hour. Traffic
 * through the tunnels is billed by every cloud as internet egress (the
 * `egress` line); none of the gateways built charges per GB processed (the
 * AWS virtual private gateway does not, a transit gateway would).
 */
export interface NetworkPrices {
  /** Where these prices were read, and when. */
  readonly source: string;
  readonly asOf: string;
  /** The VPN gateway itself, USD per hour (0 where only tunnels or connections are billed). */
  readonly gatewayHourlyUsd: number;
  /** One tunnel, USD per hour (an AWS connection of two tunnels counts as two). */
  readonly tunnelHourlyUsd: number;
  /** Tunnels the gateway price includes (Azure: 10 site-to-site tunnels on VpnGw1AZ). */
  readonly includedTunnels: number;
  /** Public addresses the gateway needs and is billed for separately (Azure: one Standard IP per instance). */
  readonly gatewayAddresses: number;
  /** One public address, USD per hour. */
  readonly publicAddressHourlyUsd: number;
  /** Forwarding DNS to a peer's private zone (AWS: Resolver endpoint, two ENIs; GCP: forwarding zone), USD per hour. */
  readonly dnsForwardingHourlyUsd: number;
  /** Answering peers' queries for the cluster's private zone (Azure: DNS Private Resolver inbound endpoint), USD per hour. */
  readonly dnsInboundHourlyUsd: number;
  /** The operator bastion's instance, USD per hour (where the stack runs one). */
  readonly bastionHourlyUsd: number;
}

/** The whole price table, with where its numbers come from. */
export interface PriceTable {
  /** Where the prices were read. */
  readonly source: string;
  /** When they were read (ISO date); re-check before relying on an estimate much later. */
  readonly asOf: string;
  /** Hours billed in a month (365 × 24 / 12). */
  readonly hoursPerMonth: number;
  readonly clouds: Readonly<Record<Cloud, CloudPrices>>;
}

/**
 * The platform prices (control plane, NAT, load balancers, volumes, keys, secrets, logs, registry,
 * traffic between zones) are the providers' published list prices as they stood when this table
 * was last written; they were not re-read from the pricing pages on that date (the machine that
 * wrote them reaches no cloud site). Re-check them against the pages named here before budgeting.
 */
const PLATFORM_AS_OF = '2026-11-29';
const PLATFORM_SOURCE: Readonly<Record<Cloud, string>> = {
  aws: 'Amazon EKS, VPC (NAT gateway, public IPv4, PrivateLink, data transfer), Elastic Load Balancing, EBS, KMS, Secrets Manager, CloudWatch Logs, ECR and Route 53 pricing pages, us-east-1 (not re-read: re-check)',
  gcp: 'GKE, Cloud NAT, Cloud Load Balancing, Persistent Disk, Cloud KMS, Secret Manager, Cloud Logging, Artifact Registry, Cloud DNS and network pricing pages, us-central1 (not re-read: re-check)',
  azure:
    'AKS, NAT Gateway, Public IP, Load Balancer, Managed Disks, Key Vault, Log Analytics, Container Registry, Private Link and Private DNS pricing pages, East US (not re-read: re-check)',
};

/**
 * Public list prices of the machine types and managed services the fleet uses,
 * for the fleet's regions, without commitments or negotiated discounts. An
 * estimate, not an invoice: it exists to compare a change with its base and to
 * catch a change that blows a budget. A pool whose machine type is missing
 * here fails the cost report, so a new machine type comes with its price.
 */
export const PRICES: PriceTable = {
  source:
    'On-demand list prices from the AWS EC2/RDS/ElastiCache, Google Compute Engine/Cloud SQL/Memorystore ' +
    'and Azure Virtual Machines/Database for PostgreSQL public pricing pages (Azure Managed Redis: approximate, see its row)',
  asOf: '2026-11-01',
  hoursPerMonth: 730,
  clouds: {
    aws: {
      region: 'us-east-1',
      instances: {
        'm6i.xlarge': { vcpu: 4, memoryGib: 16, gpus: 0, onDemandHourlyUsd: 0.192 },
        'c6i.4xlarge': { vcpu: 16, memoryGib: 32, gpus: 0, onDemandHourlyUsd: 0.68 },
        'g4dn.xlarge': { vcpu: 4, memoryGib: 16, gpus: 1, onDemandHourlyUsd: 0.526 },
      },
      spotDiscount: 0.65,
      // db.r6g.large Multi-AZ (two instances billed).
      databaseHourlyUsd: { 'db.r6g.large': 0.45 },
      databaseReplicaHourlyUsd: {},
      databaseStorageGbMonthUsd: 0.23,
      // Three cache.r7g.large nodes at 0.219 each.
      cacheHourlyUsd: 0.657,
      objectStorageGbMonthUsd: 0.023,
      egressGbUsd: 0.09,
      network: {
        source: 'AWS Site-to-Site VPN, Route 53 Resolver and EC2 (t4g.small) pricing pages, us-east-1',
        asOf: '2026-11-29',
        // The virtual private gateway is free; a VPN connection is 0.05 per hour for its two tunnels.
        gatewayHourlyUsd: 0,
        tunnelHourlyUsd: 0.025,
        includedTunnels: 0,
        gatewayAddresses: 0,
        publicAddressHourlyUsd: 0.005,
        // An outbound Resolver endpoint with two ENIs at 0.125 each.
        dnsForwardingHourlyUsd: 0.25,
        dnsInboundHourlyUsd: 0.25,
        bastionHourlyUsd: 0.0168,
      },
      platform: {
        source: PLATFORM_SOURCE.aws,
        asOf: PLATFORM_AS_OF,
        controlPlaneHourlyUsd: { standard: 0.1 },
        natGatewayHourlyUsd: 0.045,
        natGbUsd: 0.045,
        publicAddressHourlyUsd: 0.005,
        // A Network Load Balancer (0.0225) with about one NLCU (0.006).
        loadBalancerHourlyUsd: 0.0285,
        volumeGbMonthUsd: { gp3: 0.08, io2: 0.125 },
        kmsKeyMonthUsd: 1,
        secretMonthUsd: 0.4,
        secretStoreMonthUsd: 0,
        logIngestGbUsd: 0.5,
        registryGbMonthUsd: 0.1,
        registrySkuMonthUsd: {},
        privateEndpointHourlyUsd: 0.01,
        privateDnsZoneMonthUsd: 0.5,
        // 0.01 per GB out of a zone and 0.01 per GB into the other.
        interZoneGbUsd: 0.02,
        ingressHealthCheck: { baseMonthUsd: 0.5, fastIntervalMonthUsd: 1 },
      },
    },
    gcp: {
      region: 'us-central1',
      instances: {
        'n2-standard-4': { vcpu: 4, memoryGib: 16, gpus: 0, onDemandHourlyUsd: 0.194 },
        'c2-standard-16': { vcpu: 16, memoryGib: 64, gpus: 0, onDemandHourlyUsd: 0.835 },
        // n1-standard-8 (0.38) with one attached T4 (0.35).
        'n1-standard-8': { vcpu: 8, memoryGib: 30, gpus: 1, onDemandHourlyUsd: 0.73 },
      },
      spotDiscount: 0.7,
      // db-custom-4-16384 with regional HA (billed twice).
      databaseHourlyUsd: { 'db-custom-4-16384': 0.554 },
      databaseReplicaHourlyUsd: {},
      databaseStorageGbMonthUsd: 0.34,
      // Memorystore Standard (HA) 13 GB at 0.054 per GB-hour.
      cacheHourlyUsd: 0.702,
      objectStorageGbMonthUsd: 0.02,
      egressGbUsd: 0.12,
      network: {
        source: 'Google Cloud VPN (HA VPN) and Cloud DNS pricing pages, us-central1',
        asOf: '2026-11-29',
        // HA VPN bills tunnels, not the gateway; its interface addresses are not billed apart.
        gatewayHourlyUsd: 0,
        tunnelHourlyUsd: 0.05,
        includedTunnels: 0,
        gatewayAddresses: 0,
        publicAddressHourlyUsd: 0.005,
        // A managed zone is 0.20 a month; forwarded queries (0.40 per million) are left out.
        dnsForwardingHourlyUsd: 0.2 / 730,
        dnsInboundHourlyUsd: 0,
        bastionHourlyUsd: 0,
      },
      platform: {
        source: PLATFORM_SOURCE.gcp,
        asOf: PLATFORM_AS_OF,
        // The GKE cluster management fee; the free-tier credit covers one zonal or Autopilot
        // cluster per billing account, not a regional Standard cluster like this one.
        controlPlaneHourlyUsd: { standard: 0.1 },
        // Cloud NAT: 0.0014 per VM-hour, capped at 32 VMs (0.044).
        natGatewayHourlyUsd: 0.044,
        natGbUsd: 0.045,
        publicAddressHourlyUsd: 0.005,
        // A regional forwarding rule (0.025) for the first five rules.
        loadBalancerHourlyUsd: 0.025,
        // pd-balanced behind standard-rwo, pd-ssd behind premium-rwo.
        volumeGbMonthUsd: { 'standard-rwo': 0.1, 'premium-rwo': 0.17 },
        kmsKeyMonthUsd: 0.06,
        // Per active secret version (the first six free per billing account are left out).
        secretMonthUsd: 0.06,
        secretStoreMonthUsd: 0,
        // Cloud Logging beyond the 50 GiB each project gets free a month.
        logIngestGbUsd: 0.5,
        registryGbMonthUsd: 0.1,
        registrySkuMonthUsd: {},
        privateEndpointHourlyUsd: 0.01,
        privateDnsZoneMonthUsd: 0.2,
        interZoneGbUsd: 0.01,
        ingressHealthCheck: { baseMonthUsd: 0.75, fastIntervalMonthUsd: 2 },
      },
    },
    azure: {
      region: 'eastus',
      instances: {
        Standard_D4s_v5: { vcpu: 4, memoryGib: 16, gpus: 0, onDemandHourlyUsd: 0.192 },
        Standard_F16s_v2: { vcpu: 16, memoryGib: 32, gpus: 0, onDemandHourlyUsd: 0.677 },
        Standard_NC4as_T4_v3: { vcpu: 4, memoryGib: 28, gpus: 1, onDemandHourlyUsd: 0.526 },
      },
      spotDiscount: 0.7,
      // GP_Standard_D4ds_v5 with zone-redundant HA (billed twice).
      databaseHourlyUsd: { GP_Standard_D4ds_v5: 0.712 },
      // One GP_Standard_D4ds_v5 instance: half the zone-redundant figure above, at the East US
      // rate. The replica runs in the paired region (West US), whose rate was not read separately.
      databaseReplicaHourlyUsd: { GP_Standard_D4ds_v5: 0.356 },
      databaseStorageGbMonthUsd: 0.115,
      // Azure Managed Redis Balanced_B10 (12 GB) with high availability, East US. NOT read from the
      // pricing page like the other rows (it could not be reached from here): an approximate figure
      // to re-check before budgeting. Premium P2, which this replaces, was 1.11.
      cacheHourlyUsd: 0.33,
      objectStorageGbMonthUsd: 0.0184,
      egressGbUsd: 0.087,
      network: {
        source: 'Azure VPN Gateway, Public IP addresses and DNS Private Resolver pricing pages, East US',
        asOf: '2026-11-29',
        // VpnGw1AZ, active-active at the same gateway price, 10 site-to-site tunnels included.
        gatewayHourlyUsd: 0.361,
        tunnelHourlyUsd: 0.015,
        includedTunnels: 10,
        gatewayAddresses: 2,
        publicAddressHourlyUsd: 0.005,
        dnsForwardingHourlyUsd: 0.2466,
        // An inbound endpoint is 180 a month.
        dnsInboundHourlyUsd: 0.2466,
        bastionHourlyUsd: 0,
      },
      platform: {
        source: PLATFORM_SOURCE.azure,
        asOf: PLATFORM_AS_OF,
        controlPlaneHourlyUsd: { Free: 0, Standard: 0.1, Premium: 0.6 },
        natGatewayHourlyUsd: 0.045,
        natGbUsd: 0.045,
        publicAddressHourlyUsd: 0.005,
        // Standard Load Balancer: 0.025 for the first five rules.
        loadBalancerHourlyUsd: 0.025,
        // managed-csi is StandardSSD_LRS (E10, 128 GiB: 9.60 a month), managed-csi-premium
        // Premium_LRS (P10, 128 GiB: 19.71 a month), per GB of those sizes.
        volumeGbMonthUsd: { 'managed-csi': 0.075, 'managed-csi-premium': 0.154 },
        // Software-protected keys bill per operation (0.03 per 10,000), not per key.
        kmsKeyMonthUsd: 0,
        secretMonthUsd: 0,
        secretStoreMonthUsd: 0,
        // Log Analytics, Analytics logs, pay-as-you-go (31 days of retention included).
        logIngestGbUsd: 2.3,
        // Premium includes 500 GB of storage.
        registryGbMonthUsd: 0,
        // 1.667 a day for Premium, 0.667 for Standard, 0.167 for Basic.
        registrySkuMonthUsd: { Basic: 5.08, Standard: 20.28, Premium: 50.71 },
        privateEndpointHourlyUsd: 0.01,
        privateDnsZoneMonthUsd: 0.5,
        // Azure does not bill traffic between availability zones of a region.
        interZoneGbUsd: 0,
        ingressHealthCheck: { baseMonthUsd: 0.75, fastIntervalMonthUsd: 2 },
      },
    },
  },
};
