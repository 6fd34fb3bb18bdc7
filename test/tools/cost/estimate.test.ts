import { aksProd, aksProdDatabase } from '../../../clusters/aks-prod';
import { fleetSettings } from '../../../clusters/defaults';
import { eksProd } from '../../../clusters/eks-prod';
import { gkeProd } from '../../../clusters/gke-prod';
import { models } from '../../../clusters/models';
import type { Fleet, NodePool } from '../../../clusters/types';
import { estimateFleet, MissingPriceError } from '../../../tools/cost/estimate';
import type { PriceTable } from '../../../tools/cost/prices';
import { formatCost } from '../../../tools/cost/report';

/**
 * Round prices and a 100-hour month, so every expected figure below can be
 * worked out by hand. (infra/defaults.ts gives the database 100 GB and the
 * classes db.r6g.large / db-custom-4-16384.)
 */
/** No network prices: the tests of other lines leave the network line at zero. */
const noNetwork = {
  source: 'test fixture',
  asOf: '2026-01-01',
  gatewayHourlyUsd: 0,
  tunnelHourlyUsd: 0,
  includedTunnels: 0,
  gatewayAddresses: 0,
  publicAddressHourlyUsd: 0,
  dnsForwardingHourlyUsd: 0,
  dnsInboundHourlyUsd: 0,
  bastionHourlyUsd: 0,
};

/** No platform prices: the rendered lines are tested in rendered.test.ts with the real table. */
const noPlatform = {
  source: 'test fixture',
  asOf: '2026-01-01',
  controlPlaneHourlyUsd: {},
  natGatewayHourlyUsd: 0,
  natGbUsd: 0,
  publicAddressHourlyUsd: 0,
  loadBalancerHourlyUsd: 0,
  volumeGbMonthUsd: {},
  kmsKeyMonthUsd: 0,
  secretMonthUsd: 0,
  secretStoreMonthUsd: 0,
  logIngestGbUsd: 0,
  registryGbMonthUsd: 0,
  registrySkuMonthUsd: {},
  privateEndpointHourlyUsd: 0,
  privateDnsZoneMonthUsd: 0,
  interZoneGbUsd: 0,
  ingressHealthCheck: { baseMonthUsd: 0, fastIntervalMonthUsd: 0 },
};

const table: PriceTable = {
  source: 'test fixture',
  asOf: '2026-01-01',
  hoursPerMonth: 100,
  clouds: {
    aws: {
      region: 'us-east-1',
      instances: {
        'gen.x': { vcpu: 4, memoryGib: 16, gpus: 0, onDemandHourlyUsd: 1 },
        'ml.x': { vcpu: 10, memoryGib: 40, gpus: 0, onDemandHourlyUsd: 2 },
        'gpu.x': { vcpu: 4, memoryGib: 16, gpus: 1, onDemandHourlyUsd: 3 },
      },
      spotDiscount: 0.5,
      databaseHourlyUsd: { 'db.r6g.large': 0.5 },
      databaseReplicaHourlyUsd: {},
      databaseStorageGbMonthUsd: 0.1,
      cacheHourlyUsd: 0.2,
      objectStorageGbMonthUsd: 0.01,
      egressGbUsd: 0.05,
      network: noNetwork,
      platform: noPlatform,
    },
    gcp: {
      region: 'us-central1',
      instances: { 'n.x': { vcpu: 4, memoryGib: 16, gpus: 0, onDemandHourlyUsd: 1 } },
      spotDiscount: 0.7,
      databaseHourlyUsd: { 'db-custom-4-16384': 1 },
      databaseReplicaHourlyUsd: {},
      databaseStorageGbMonthUsd: 0.2,
      cacheHourlyUsd: 0.5,
      objectStorageGbMonthUsd: 0.02,
      egressGbUsd: 0.1,
      network: noNetwork,
      platform: noPlatform,
    },
    // The fixture fleet has no Azure cluster; the replica test below adds one.
    azure: {
      region: 'eastus',
      instances: { 'az.x': { vcpu: 4, memoryGib: 16, gpus: 0, onDemandHourlyUsd: 1 } },
      spotDiscount: 0,
      databaseHourlyUsd: { GP_Standard_D4ds_v5: 2 },
      databaseReplicaHourlyUsd: { GP_Standard_D4ds_v5: 1 },
      databaseStorageGbMonthUsd: 0.3,
      cacheHourlyUsd: 0.5,
      objectStorageGbMonthUsd: 0,
      egressGbUsd: 0,
      network: noNetwork,
      platform: noPlatform,
    },
  },
};

const pool = (
  name: string,
  role: NodePool['role'],
  instanceType: string,
  desiredSize: number,
  spot = false,
) =>
  ({
    name,
    role,
    instanceType,
    minSize: 0,
    maxSize: 10,
    desiredSize,
    capacityType: spot ? 'spot' : 'on-demand',
    diskSizeGb: 100,
    taints: [],
  }) satisfies NodePool;

const cpuModel = {
  ...models[0],
  name: 'cpu-model',
  resources: { ...models[0].resources, cpuRequest: '3', memoryRequest: '4Gi' },
};
const gpuModel = { ...models[1], name: 'gpu-model' };

function fixtureFleet(cpuReplicas: number): Fleet {
  return {
    settings: {
      ...fleetSettings,
      budgets: { fleetMonthlyUsd: 1700, perCloudMonthlyUsd: { aws: 2000, gcp: 250, azure: 1 } },
    },
    models: [cpuModel, gpuModel],
    clusters: [
      {
        ...eksProd,
        nodePools: [
          pool('general', 'general', 'gen.x', 2),
          pool('ml', 'ml', 'ml.x', 1, true),
          pool('gpu', 'gpu', 'gpu.x', 1),
        ],
        models: [
          { model: 'cpu-model', minReplicas: cpuReplicas, maxReplicas: 10 },
          { model: 'gpu-model', minReplicas: 3, maxReplicas: 4 },
        ],
        cost: { monthlyBudgetUsd: 1400, egressGbPerMonth: 2000, storageGb: 1000 },
        database: { usedBy: 'a test' },
      },
      {
        ...gkeProd,
        nodePools: [pool('general', 'general', 'n.x', 1)],
        models: [],
        cost: { monthlyBudgetUsd: 300, egressGbPerMonth: 0, storageGb: 0 },
        database: { usedBy: 'a test' },
      },
    ],
  };
}

describe('cost estimate', () => {
  it('prices node pools by the nodes the models need, spot at its discount, and the managed services', () => {
    const estimate = estimateFleet(fixtureFleet(6), table);
    const [eks, gke] = estimate.clusters;
    expect(eks.lines.map((l) => [l.key, l.monthlyUsd])).toEqual([
      ['node-pool/general', 200], // 2 nodes × $1 × 100 h
      // 6 replicas × 3 vCPU need 18 of 10 × 0.9 allocatable vCPU = 2 nodes × $2 × 100 h × 0.5 (spot)
      ['node-pool/ml', 200],
      ['node-pool/gpu', 900], // 3 one-GPU replicas need 3 nodes (desired 1) × $3 × 100 h
      ['database', 60], // $0.5 × 100 h + 100 GB × $0.1
      ['cache', 20], // $0.2 × 100 h
      ['storage', 10], // 1000 GB × $0.01
      ['egress', 100], // 2000 GB × $0.05
      ['network', 0], // priced in its own test below
    ]);
    expect(eks.monthlyUsd).toBe(1490);
    expect(eks.spotShare).toBeCloseTo(200 / 1300, 6);
    expect(eks.models).toEqual([
      { model: 'cpu-model', pool: 'ml', replicas: 6, monthlyUsd: 200 },
      { model: 'gpu-model', pool: 'gpu', replicas: 3, monthlyUsd: 900 },
    ]);
    // 1 node × $1 × 100 h + database $1 × 100 h + 100 GB × $0.2 + cache $0.5 × 100 h
    expect(gke.monthlyUsd).toBe(270);
    expect(estimate.perCloud.aws.monthlyUsd).toBe(1490);
    expect(estimate.perCloud.gcp.monthlyUsd).toBe(270);
    expect(estimate.monthlyUsd).toBe(1760);
    expect(estimate.overBudget).toEqual([
      { scope: 'cluster eks-prod', monthlyUsd: 1490, budgetUsd: 1400 },
      { scope: 'cloud gcp', monthlyUsd: 270, budgetUsd: 250 },
      { scope: 'fleet', monthlyUsd: 1760, budgetUsd: 1700 },
    ]);
  });

  it('shows the delta of a replica change against a base, line by line', () => {
    // 3 replicas × 3 vCPU fit one node: the ML pool drops from 2 nodes to its desired 1.
    const base = estimateFleet(fixtureFleet(3), table);
    const head = estimateFleet(fixtureFleet(6), table);
    expect(base.clusters[0].lines.find((l) => l.key === 'node-pool/ml')?.monthlyUsd).toBe(100);
    expect(base.monthlyUsd).toBe(1660);
    const report = formatCost(head, 'text', base, 'main');
    expect(report).toMatch(/fleet\s+\$1,760\.00\s+\$1,660\.00\s+\+\$100\.00\s+\$1,700\.00/);
    expect(report).toMatch(/node-pool\/ml\s+2 × ml\.x spot \(−50 %\)\s+\$200\.00\s+\$100\.00\s+\+\$100\.00/);
    expect(report).toMatch(
      /of which model\/cpu-model\s+3 → 6 min replicas on ml\s+\$200\.00\s+\$100\.00\s+\+\$100\.00/,
    );
    expect(report).toContain('! OVER BUDGET fleet: $1,760.00 > budget $1,700.00');
    const md = formatCost(head, 'md', base, 'main');
    expect(md).toContain('> - cluster eks-prod: $1,490.00 > budget $1,400.00');
    expect(md).toContain('<details><summary><b>eks-prod</b>: 2 line(s) changed</summary>');
  });

  it('prices no database, and no replica, for a cluster whose file declares none', () => {
    const fleet = fixtureFleet(6);
    const withDatabases = estimateFleet(fleet, table);
    const without = estimateFleet(
      { ...fleet, clusters: fleet.clusters.map(({ database: _, ...cluster }) => cluster) },
      table,
    );
    for (const [i, cluster] of without.clusters.entries()) {
      expect(cluster.lines.filter((l) => l.kind === 'database')).toEqual([]);
      // Exactly the database line less: $60 on eks-prod, $120 on gke-prod.
      expect(cluster.monthlyUsd).toBe(withDatabases.clusters[i].monthlyUsd - [60, 120][i]);
    }
    // The sample fleet declares none: its report prices no database at all.
    expect(aksProd.database).toBeUndefined();
    const aks = {
      ...aksProd,
      nodePools: [pool('general', 'general', 'az.x', 1)],
      models: [],
      cost: { monthlyBudgetUsd: 1000, egressGbPerMonth: 0, storageGb: 0 },
    };
    const azure = estimateFleet({ ...fleet, clusters: [aks] }, table).clusters[0];
    expect(azure.lines.map((l) => l.key)).toEqual([
      'node-pool/general',
      'cache',
      'storage',
      'egress',
      'network',
    ]);
  });

  it("prices the Azure database's read replica like the primary, as one instance, and only there", () => {
    const fleet = fixtureFleet(1);
    const aks = {
      ...aksProd,
      database: aksProdDatabase,
      nodePools: [pool('general', 'general', 'az.x', 1)],
      models: [],
      cost: { monthlyBudgetUsd: 1000, egressGbPerMonth: 0, storageGb: 0 },
    };
    const estimate = estimateFleet({ ...fleet, clusters: [...fleet.clusters, aks] }, table);
    const azure = estimate.clusters[2];
    expect(azure.lines.map((l) => [l.key, l.detail, l.monthlyUsd])).toEqual([
      ['node-pool/general', '1 × az.x on-demand', 100], // 1 node × $1 × 100 h
      ['database', 'GP_Standard_D4ds_v5, 100 GB', 230], // $2 × 100 h (HA) + 100 GB × $0.3
      ['database-replica', 'GP_Standard_D4ds_v5 read replica, 100 GB', 130], // $1 × 100 h + 100 GB × $0.3
      ['cache', 'managed Redis', 50],
      ['storage', '0 GB object storage', 0],
      ['egress', '0 GB egress', 0],
      ['network', 'VPN: 6 tunnel(s) to 2 peer(s), inbound resolver', 0],
    ]);
    expect(azure.monthlyUsd).toBe(510);
    expect(estimate.perCloud.azure.monthlyUsd).toBe(510);
    // The other clouds' stacks keep no replica, so they have no such line.
    for (const other of estimate.clusters.slice(0, 2)) {
      expect(other.lines.map((l) => l.key)).not.toContain('database-replica');
    }
    const unpriced = { ...table.clouds.azure, databaseReplicaHourlyUsd: {} };
    expect(() =>
      estimateFleet(
        { ...fleet, clusters: [aks] },
        { ...table, clouds: { ...table.clouds, azure: unpriced } },
      ),
    ).toThrow(
      new MissingPriceError(
        'aks-prod: the database read replica (GP_Standard_D4ds_v5, one instance) has no price in tools/cost/prices.ts (databaseReplicaHourlyUsd)',
      ),
    );
  });

  it("prices each cluster's end of the cross-cloud VPN, its DNS forwarding and the bastion", () => {
    const fleet = fixtureFleet(1);
    const aks = {
      ...aksProd,
      nodePools: [pool('general', 'general', 'az.x', 1)],
      models: [],
      cost: { monthlyBudgetUsd: 1000, egressGbPerMonth: 0, storageGb: 0 },
    };
    const priced = (network: Partial<typeof noNetwork>) => ({ ...noNetwork, ...network });
    const vpnTable: PriceTable = {
      ...table,
      clouds: {
        aws: {
          ...table.clouds.aws,
          network: priced({ tunnelHourlyUsd: 0.5, dnsForwardingHourlyUsd: 1, bastionHourlyUsd: 0.1 }),
        },
        gcp: { ...table.clouds.gcp, network: priced({ tunnelHourlyUsd: 1, dnsForwardingHourlyUsd: 0.01 }) },
        azure: {
          ...table.clouds.azure,
          network: priced({
            gatewayHourlyUsd: 3,
            gatewayAddresses: 2,
            publicAddressHourlyUsd: 0.5,
            tunnelHourlyUsd: 2,
            includedTunnels: 5,
            dnsInboundHourlyUsd: 1,
          }),
        },
      },
    };
    const estimate = estimateFleet({ ...fleet, clusters: [...fleet.clusters, aks] }, vpnTable);
    const network = (i: number) => estimate.clusters[i].lines.find((l) => l.key === 'network');
    // AWS: 8 tunnels (two connections to each of GCP and Azure) × $0.5 + Resolver $1 + bastion $0.1, × 100 h
    expect(network(0)).toEqual({
      key: 'network',
      kind: 'network',
      detail: 'VPN: 8 tunnel(s) to 2 peer(s), DNS forwarding, bastion',
      monthlyUsd: 510,
    });
    // GCP: 4 tunnels to AWS + 2 to Azure × $1 + forwarding zone $0.01, × 100 h
    expect(network(1)).toMatchObject({
      detail: 'VPN: 6 tunnel(s) to 2 peer(s), DNS forwarding',
      monthlyUsd: 601,
    });
    // Azure: gateway $3 + 2 addresses × $0.5 + (6 − 5 included) tunnels × $2 + inbound resolver $1, × 100 h
    expect(network(2)).toMatchObject({
      detail: 'VPN: 6 tunnel(s) to 2 peer(s), inbound resolver',
      monthlyUsd: 700,
    });
  });

  it('refuses a machine type without a price, naming the pool and where to add it', () => {
    const fleet = fixtureFleet(1);
    const cluster = { ...fleet.clusters[1], nodePools: [pool('general', 'general', 'unpriced.x', 1)] };
    expect(() => estimateFleet({ ...fleet, clusters: [cluster] }, table)).toThrow(
      new MissingPriceError(
        'gke-prod: node pool general uses unpriced.x, which has no price in tools/cost/prices.ts; add it with its size and on-demand price',
      ),
    );
  });
});
