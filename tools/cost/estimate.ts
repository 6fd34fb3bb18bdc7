import { type CostAssumptions, costAssumptions } from '../../clusters/defaults';
import type { Cloud, ClusterSpec, Fleet, ModelResources, NodePool } from '../../clusters/types';
import { crossCloudPlan, hostsOperatorBastion } from '../../infra/cross-cloud';
import { DATABASE } from '../../infra/defaults';
import { keepsDatabaseReplica } from '../../infra/plan';
import { GLOBAL_ENDPOINT_STACK, terraformFile } from '../tree/layout';
import { clusterBillables } from './billables';
import { costResources, type ResourceLine, stackResources } from './coverage';
import { type CloudPrices, type InstancePrice, PRICES, type PriceTable } from './prices';
import { cpuCores, GIB, memoryBytes } from './quantity';
import { crossCloudShare, renderedGatewayConfig } from './traffic';

/**
 * Share of a node's CPU and memory that pods can request: the rest goes to the
 * kubelet, the OS and per-node daemons (CNI, log shipper, mesh node agent).
 */
export const ALLOCATABLE_SHARE = 0.9;

/** What a line item is. */
export type LineKind =
  | 'node-pool'
  | 'database'
  | 'cache'
  | 'storage'
  | 'egress'
  | 'network'
  /** What the rest of the stack and the rendered manifests create: control plane, NAT, volumes … */
  | 'platform'
  /** Usage priced from an assumption of clusters/defaults.ts `costAssumptions`. */
  | 'traffic';

/** One priced item of a cluster. */
export interface CostLine {
  /** Stable key within the cluster, e.g. `node-pool/ml-workloads`; matches lines of a base estimate. */
  readonly key: string;
  readonly kind: LineKind;
  /** How the amount was reached, for a reviewer. */
  readonly detail: string;
  readonly monthlyUsd: number;
}

/** A node pool's count and capacity mix. */
export interface PoolEstimate {
  readonly pool: string;
  /** Nodes the estimate pays for: the pool's desired size, or more when the models' requests need more. */
  readonly nodes: number;
  /** Nodes the models' minimum replicas need (fractional: before rounding up). */
  readonly neededNodes: number;
  readonly spot: boolean;
  readonly monthlyUsd: number;
}

/**
 * The serving cost a model's replicas account for: their requests as a share
 * of their pool's nodes. Already inside the node-pool lines; shown so a replica
 * change has a visible price even when it fits on the nodes that are there.
 */
export interface ModelAllocation {
  readonly model: string;
  readonly pool: string;
  readonly replicas: number;
  readonly monthlyUsd: number;
}

/** The estimate of one cluster. */
export interface ClusterEstimate {
  readonly cluster: string;
  readonly cloud: Cloud;
  readonly lines: readonly CostLine[];
  readonly pools: readonly PoolEstimate[];
  readonly models: readonly ModelAllocation[];
  readonly monthlyUsd: number;
  readonly budgetUsd: number;
  /** Share of node spend on spot capacity (at spot prices), 0..1. */
  readonly spotShare: number;
}

/** A limit the estimate goes over. */
export interface BudgetExcess {
  /** `cluster eks-prod`, `cloud aws` or `fleet`. */
  readonly scope: string;
  readonly monthlyUsd: number;
  readonly budgetUsd: number;
}

/** The estimate of the fleet. */
export interface FleetEstimate {
  readonly clusters: readonly ClusterEstimate[];
  readonly perCloud: Readonly<Record<Cloud, { monthlyUsd: number; budgetUsd: number }>>;
  readonly monthlyUsd: number;
  readonly budgetUsd: number;
  readonly overBudget: readonly BudgetExcess[];
  readonly prices: {
    readonly source: string;
    readonly asOf: string;
    /** Where each cloud's network prices were read, and when (they are dated apart from the rest). */
    readonly network: readonly string[];
    /** Where each cloud's platform prices come from (empty when the estimate had no rendered tree). */
    readonly platform: readonly string[];
  };
}

/** Raised when the fleet uses something the price table has no price for. */
export class MissingPriceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingPriceError';
  }
}

/** Rounds to cents, so sums and deltas print without float noise. */
const cents = (usd: number) => Math.round(usd * 100) / 100;

/** The price table's entry for the pool's machine type; throws naming the pool when there is none. */
export function instance(prices: CloudPrices, cluster: ClusterSpec, pool: NodePool): InstancePrice {
  const price = prices.instances[pool.instanceType];
  if (!price)
    throw new MissingPriceError(
      `${cluster.name}: node pool ${pool.name} uses ${pool.instanceType}, which has no price in ` +
        'tools/cost/prices.ts; add it with its size and on-demand price',
    );
  return price;
}

/** A node of the pool for a month, at the spot discount when the pool is spot. */
export function nodeMonthlyUsd(table: PriceTable, cluster: ClusterSpec, pool: NodePool): number {
  const prices = table.clouds[cluster.cloud];
  const machine = instance(prices, cluster, pool);
  const discount = pool.capacityType === 'spot' ? prices.spotDiscount : 0;
  return machine.onDemandHourlyUsd * table.hoursPerMonth * (1 - discount);
}

/** The share of a node one replica fills: its largest share of the node's CPU, memory or GPUs. */
export function replicaNodeShare(machine: InstancePrice, resources: ModelResources): number {
  return Math.max(
    cpuCores(resources.cpuRequest) / (machine.vcpu * ALLOCATABLE_SHARE),
    memoryBytes(resources.memoryRequest) / GIB / (machine.memoryGib * ALLOCATABLE_SHARE),
    resources.gpus ? resources.gpus / machine.gpus : 0,
  );
}

/** The pool a model's replicas run on: the cluster's GPU pool when it needs one, else its ML pool. */
export function poolOf(cluster: ClusterSpec, needsGpu: boolean): NodePool | undefined {
  return cluster.nodePools.find((pool) => pool.role === (needsGpu ? 'gpu' : 'ml'));
}

/**
 * What synthesis rendered for the fleet: the tree (paths relative to dist/) and the usage
 * assumptions. Without it the estimate has only the lines the fleet alone determines.
 */
export interface RenderedFleet {
  readonly tree: ReadonlyMap<string, string>;
  readonly assumptions?: CostAssumptions;
}

/** Estimates one cluster's monthly cost. */
export function estimateCluster(
  cluster: ClusterSpec,
  fleet: Fleet,
  table: PriceTable = PRICES,
  rendered?: RenderedFleet,
): ClusterEstimate {
  const prices = table.clouds[cluster.cloud];
  const hours = table.hoursPerMonth;
  const lines: CostLine[] = [];
  const pools: PoolEstimate[] = [];
  const models: ModelAllocation[] = [];

  for (const pool of cluster.nodePools) {
    const machine = instance(prices, cluster, pool);
    const nodeMonthly = nodeMonthlyUsd(table, cluster, pool);
    const served = cluster.models.flatMap((deployment) => {
      const spec = fleet.models.find((m) => m.name === deployment.model);
      if (!spec || poolOf(cluster, spec.needsGpu)?.name !== pool.name) return [];
      const nodes = replicaNodeShare(machine, spec.resources) * deployment.minReplicas;
      return [{ model: spec.name, replicas: deployment.minReplicas, nodes }];
    });
    const neededNodes = served.reduce((sum, s) => sum + s.nodes, 0);
    const nodes = Math.min(pool.maxSize, Math.max(pool.desiredSize, Math.ceil(neededNodes - 1e-9)));
    const monthlyUsd = cents(nodes * nodeMonthly);
    pools.push({ pool: pool.name, nodes, neededNodes, spot: pool.capacityType === 'spot', monthlyUsd });
    lines.push({
      key: `node-pool/${pool.name}`,
      kind: 'node-pool',
      detail:
        `${nodes} × ${pool.instanceType} ${pool.capacityType}` +
        (pool.capacityType === 'spot' ? ` (−${Math.round(prices.spotDiscount * 100)} %)` : ''),
      monthlyUsd,
    });
    for (const s of served)
      models.push({
        model: s.model,
        pool: pool.name,
        replicas: s.replicas,
        monthlyUsd: cents(s.nodes * nodeMonthly),
      });
  }

  // PostgreSQL only where the cluster file declares one: the stack creates none otherwise.
  if (cluster.database) lines.push(...databaseLines(cluster, prices, hours));
  lines.push({
    key: 'cache',
    kind: 'cache',
    detail: 'managed Redis',
    monthlyUsd: cents(prices.cacheHourlyUsd * hours),
  });
  lines.push({
    key: 'storage',
    kind: 'storage',
    detail: `${cluster.cost.storageGb} GB object storage`,
    monthlyUsd: cents(cluster.cost.storageGb * prices.objectStorageGbMonthUsd),
  });
  lines.push({
    key: 'egress',
    kind: 'egress',
    detail: `${cluster.cost.egressGbPerMonth} GB egress`,
    monthlyUsd: cents(cluster.cost.egressGbPerMonth * prices.egressGbUsd),
  });

  lines.push(networkLine(cluster, fleet, prices, hours));
  if (rendered) lines.push(...renderedLines(cluster, fleet, table, rendered));

  const nodeSpend = pools.reduce((sum, p) => sum + p.monthlyUsd, 0);
  const spotSpend = pools.filter((p) => p.spot).reduce((sum, p) => sum + p.monthlyUsd, 0);
  return {
    cluster: cluster.name,
    cloud: cluster.cloud,
    lines,
    pools,
    models,
    monthlyUsd: cents(lines.reduce((sum, line) => sum + line.monthlyUsd, 0)),
    budgetUsd: cluster.cost.monthlyBudgetUsd,
    spotShare: nodeSpend > 0 ? spotSpend / nodeSpend : 0,
  };
}

/**
 * The cluster's end of the cross-cloud network as its stack builds it: the
 * VPN gateway and its addresses, every planned tunnel (whether or not the
 * peer's outputs are recorded yet: the estimate is for the network running),
 * DNS forwarding to peers' private zones, the inbound resolver for its own,
 * and the operator bastion where the stack runs one.
 */
function networkLine(cluster: ClusterSpec, fleet: Fleet, prices: CloudPrices, hours: number): CostLine {
  const plan = crossCloudPlan(fleet, cluster, () => ({ workloadIdentityClientIds: {} }));
  const net = prices.network;
  const tunnels = plan.links.reduce((sum, link) => sum + link.tunnels.length, 0);
  const forwards = plan.links.some((link) => link.peerDns);
  const bastion = hostsOperatorBastion(cluster);
  const hourly =
    (plan.links.length > 0 ? net.gatewayHourlyUsd + net.gatewayAddresses * net.publicAddressHourlyUsd : 0) +
    Math.max(0, tunnels - net.includedTunnels) * net.tunnelHourlyUsd +
    (forwards ? net.dnsForwardingHourlyUsd : 0) +
    (plan.privateDns ? net.dnsInboundHourlyUsd : 0) +
    (bastion ? net.bastionHourlyUsd : 0);
  const parts = [
    `VPN: ${tunnels} tunnel(s) to ${plan.links.length} peer(s)`,
    ...(forwards ? ['DNS forwarding'] : []),
    ...(plan.privateDns ? ['inbound resolver'] : []),
    ...(bastion ? ['bastion'] : []),
  ];
  return { key: 'network', kind: 'network', detail: parts.join(', '), monthlyUsd: cents(hourly * hours) };
}

/** Estimates every cluster, totals per cloud and for the fleet, and lists every budget exceeded. */
export function estimateFleet(
  fleet: Fleet,
  table: PriceTable = PRICES,
  rendered?: RenderedFleet,
): FleetEstimate {
  const clusters = fleet.clusters.map((cluster) => estimateCluster(cluster, fleet, table, rendered));
  const budgets = fleet.settings.budgets;
  const clouds: Cloud[] = ['aws', 'gcp', 'azure'];
  const perCloud = Object.fromEntries(
    clouds.map((cloud) => [
      cloud,
      {
        monthlyUsd: cents(
          clusters.filter((c) => c.cloud === cloud).reduce((sum, c) => sum + c.monthlyUsd, 0),
        ),
        budgetUsd: budgets.perCloudMonthlyUsd[cloud],
      },
    ]),
  ) as Record<Cloud, { monthlyUsd: number; budgetUsd: number }>;
  const monthlyUsd = cents(clusters.reduce((sum, c) => sum + c.monthlyUsd, 0));
  const overBudget: BudgetExcess[] = [
    ...clusters.map((c) => ({
      scope: `cluster ${c.cluster}`,
      monthlyUsd: c.monthlyUsd,
      budgetUsd: c.budgetUsd,
    })),
    ...clouds.map((cloud) => ({ scope: `cloud ${cloud}`, ...perCloud[cloud] })),
    { scope: 'fleet', monthlyUsd, budgetUsd: budgets.fleetMonthlyUsd },
  ].filter((item) => item.monthlyUsd > item.budgetUsd);
  return {
    clusters,
    perCloud,
    monthlyUsd,
    budgetUsd: budgets.fleetMonthlyUsd,
    overBudget,
    prices: {
      source: table.source,
      asOf: table.asOf,
      network: clouds.map((cloud) => {
        const { source, asOf } = table.clouds[cloud].network;
        return `${source}, as of ${asOf}`;
      }),
      platform: rendered
        ? clouds.map((cloud) => {
            const { source, asOf } = table.clouds[cloud].platform;
            return `${source}, as of ${asOf}`;
          })
        : [],
    },
  };
}

/** The database the cluster declares and, where the stack keeps one, its read replica in the paired region. */
function databaseLines(cluster: ClusterSpec, prices: CloudPrices, hours: number): CostLine[] {
  const lines: CostLine[] = [];
  const dbClass = DATABASE.instanceClass[cluster.cloud];
  const dbHourly = prices.databaseHourlyUsd[dbClass];
  if (dbHourly === undefined)
    throw new MissingPriceError(
      `${cluster.name}: database class ${dbClass} has no price in tools/cost/prices.ts`,
    );
  lines.push({
    key: 'database',
    kind: 'database',
    detail: `${dbClass}, ${DATABASE.storageGb} GB`,
    monthlyUsd: cents(dbHourly * hours + DATABASE.storageGb * prices.databaseStorageGbMonthUsd),
  });
  // The stack's read replica in the paired region: the primary's class as one instance, and as
  // much storage as the primary (a replica may not have less). Replication traffic is not priced.
  if (keepsDatabaseReplica(cluster)) {
    const replicaHourly = prices.databaseReplicaHourlyUsd[dbClass];
    if (replicaHourly === undefined)
      throw new MissingPriceError(
        `${cluster.name}: the database read replica (${dbClass}, one instance) has no price in ` +
          'tools/cost/prices.ts (databaseReplicaHourlyUsd)',
      );
    lines.push({
      key: 'database-replica',
      kind: 'database',
      detail: `${dbClass} read replica, ${DATABASE.storageGb} GB`,
      monthlyUsd: cents(replicaHourly * hours + DATABASE.storageGb * prices.databaseStorageGbMonthUsd),
    });
  }
  return lines;
}

/** Readable order of the lines priced per resource. */
const RESOURCE_LINES: readonly ResourceLine[] = [
  'control-plane',
  'nat',
  'public-addresses',
  'private-endpoints',
  'private-dns',
  'kms',
  'secrets',
  'registry-tier',
  'global-endpoint',
];

const GB = 1e9;

/**
 * The lines only the rendered tree can tell: every resource of the cluster's stack priced by the
 * coverage table, the load balancers and volumes its manifests and charts create, and the usage
 * the assumptions put on them (logs, images, NAT, traffic between zones and clouds).
 */
function renderedLines(
  cluster: ClusterSpec,
  fleet: Fleet,
  table: PriceTable,
  rendered: RenderedFleet,
): CostLine[] {
  const prices = table.clouds[cluster.cloud];
  const platform = prices.platform;
  const hours = table.hoursPerMonth;
  const assumptions = rendered.assumptions ?? costAssumptions;
  const stackText = rendered.tree.get(terraformFile(cluster.name));
  if (stackText === undefined)
    throw new Error(
      `${cluster.name}: ${terraformFile(cluster.name)} is not in the rendered tree; run npm run synth`,
    );
  // The global endpoint's stack holds every cluster's record and health check: each cluster pays for its own.
  const globalText = rendered.tree.get(terraformFile(GLOBAL_ENDPOINT_STACK));
  const ownGlobal = globalText
    ? stackResources(JSON.parse(globalText)).filter(
        (r) => r.config.reference_name === cluster.name || r.config.set_identifier === cluster.name,
      )
    : [];
  const priced = costResources([...stackResources(JSON.parse(stackText)), ...ownGlobal], prices, hours);
  const lines: CostLine[] = [];

  for (const line of RESOURCE_LINES) {
    const items = priced.flatMap(({ cost }) => ('line' in cost && cost.line === line ? [cost] : []));
    if (items.length === 0) continue;
    const units = new Map<string, number>();
    for (const item of items) units.set(item.unit, (units.get(item.unit) ?? 0) + 1);
    lines.push({
      key: line,
      kind: 'platform',
      detail: [...units].map(([unit, count]) => `${count} × ${unit}`).join(', '),
      monthlyUsd: cents(items.reduce((sum, item) => sum + item.monthlyUsd, 0)),
    });
  }

  const billables = clusterBillables(rendered.tree, cluster.name);
  if (billables.loadBalancers.length > 0)
    lines.push({
      key: 'load-balancers',
      kind: 'platform',
      detail: `${billables.loadBalancers.length} × load balancer (Services of type LoadBalancer)`,
      monthlyUsd: cents(billables.loadBalancers.length * platform.loadBalancerHourlyUsd * hours),
    });
  if (billables.volumes.length > 0) {
    const byClass = new Map<string, number>();
    for (const volume of billables.volumes)
      byClass.set(volume.storageClass, (byClass.get(volume.storageClass) ?? 0) + volume.gb * volume.count);
    let monthlyUsd = 0;
    for (const [storageClass, gb] of byClass) {
      const price = platform.volumeGbMonthUsd[storageClass];
      if (price === undefined)
        throw new MissingPriceError(
          `${cluster.name}: StorageClass ${storageClass} has no price in tools/cost/prices.ts (volumeGbMonthUsd)`,
        );
      monthlyUsd += gb * price;
    }
    lines.push({
      key: 'volumes',
      kind: 'platform',
      detail: [...byClass].map(([storageClass, gb]) => `${Math.round(gb)} GiB ${storageClass}`).join(', '),
      monthlyUsd: cents(monthlyUsd),
    });
  }

  const pricedBy = (line: string) => priced.some(({ cost }) => 'pricedBy' in cost && cost.pricedBy === line);
  lines.push({
    key: 'logging',
    kind: 'traffic',
    detail: `${assumptions.cloudLogsGbPerMonth} GB of cloud logs (assumed)`,
    monthlyUsd: cents(assumptions.cloudLogsGbPerMonth * platform.logIngestGbUsd),
  });
  if (pricedBy('registry'))
    lines.push({
      key: 'registry',
      kind: 'traffic',
      detail: `${assumptions.registryGb} GB of images (assumed)`,
      monthlyUsd: cents(assumptions.registryGb * platform.registryGbMonthUsd),
    });
  if (priced.some(({ cost }) => 'line' in cost && cost.line === 'nat'))
    lines.push({
      key: 'traffic/nat',
      kind: 'traffic',
      detail: `${assumptions.natGbPerMonth} GB through NAT (assumed)`,
      monthlyUsd: cents(assumptions.natGbPerMonth * platform.natGbUsd),
    });

  // A prediction crosses two in-cluster hops (ingress gateway → gateway → model server), each to a
  // pod in another zone with probability (zones − 1) / zones when pods spread evenly.
  const predictionGb = (assumptions.requestBytes + assumptions.responseBytes) / GB;
  const crossZone = (cluster.zones.length - 1) / cluster.zones.length;
  const zoneGb = assumptions.predictionsPerMonth * predictionGb * 2 * crossZone;
  lines.push({
    key: 'traffic/zones',
    kind: 'traffic',
    detail: `${Math.round(zoneGb)} GB between zones (${assumptions.predictionsPerMonth.toLocaleString('en-US')} predictions, assumed)`,
    monthlyUsd: cents(zoneGb * platform.interZoneGbUsd),
  });

  // Predictions to another cloud: this cluster sends the requests of its own callers out, and sends
  // the responses to the requests other clusters route here; each leaves its cloud as egress.
  const shareOut = crossCloudShare(
    renderedGatewayConfig(rendered.tree, cluster.name),
    cluster.name,
    assumptions,
  );
  const others = fleet.clusters.filter((c) => c.name !== cluster.name);
  const shareIn = others.reduce(
    (sum, other) =>
      sum +
      crossCloudShare(renderedGatewayConfig(rendered.tree, other.name), other.name, assumptions) /
        others.length,
    0,
  );
  const crossGb =
    (assumptions.predictionsPerMonth *
      (shareOut * assumptions.requestBytes + shareIn * assumptions.responseBytes)) /
    GB;
  lines.push({
    key: 'traffic/cross-cloud',
    kind: 'traffic',
    detail: `${Math.round(crossGb)} GB to other clouds (${Math.round(shareOut * 1000) / 10} % of predictions routed away)`,
    monthlyUsd: cents(crossGb * prices.egressGbUsd),
  });

  // Every new model version leaves the source cluster's cloud once per other cluster.
  if (fleet.settings.modelReplication.sourceCluster === cluster.name) {
    const replicationGb =
      fleet.models.length * assumptions.modelVersionsPerMonth * assumptions.modelVersionGb * others.length;
    lines.push({
      key: 'traffic/replication',
      kind: 'traffic',
      detail: `${Math.round(replicationGb)} GB of model versions to ${others.length} cluster(s) (assumed)`,
      monthlyUsd: cents(replicationGb * prices.egressGbUsd),
    });
  }
  return lines;
}
