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
    },
  },
};
