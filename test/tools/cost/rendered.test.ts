import { loadDeclaredFleet } from '../../../clusters';
import { costAssumptions } from '../../../clusters/defaults';
import { parseConfig } from '../../../gateway/src/config';
import { clusterBillables, UnknownChartError } from '../../../tools/cost/billables';
import {
  costResources,
  RESOURCE_COSTS,
  stackResources,
  UnpricedResourceError,
} from '../../../tools/cost/coverage';
import { estimateFleet, MissingPriceError } from '../../../tools/cost/estimate';
import { PRICES, type PriceTable } from '../../../tools/cost/prices';
import { crossCloudShare, steadyStateShares } from '../../../tools/cost/traffic';
import { readTree } from '../../../tools/tree/files';
import { DIST_DIR, GLOBAL_ENDPOINT_STACK, terraformFile } from '../../../tools/tree/layout';
import { databaseFleet, synthesized } from '../../infra/helpers';

/**
 * The lines only the rendered tree can tell: every resource type of the stacks and every billable
 * object of the manifests is priced or listed as free, and each cluster's report carries the
 * control plane, NAT, load balancers, volumes, logging and traffic.
 */
const fleet = loadDeclaredFleet();
const tree = readTree(DIST_DIR);

/** The tree with one file replaced. */
function withFile(path: string, text: string): Map<string, string> {
  return new Map([...tree, [path, text]]);
}

describe('coverage of the stacks', () => {
  // The declared stacks, the same clusters declaring a database (which dist/ never shows), the global endpoint.
  const stacks = [
    ...fleet.clusters.map((c) => ({
      name: c.name,
      cloud: c.cloud,
      json: JSON.parse(tree.get(terraformFile(c.name)) ?? ''),
    })),
    ...databaseFleet.clusters.map((c) => ({
      name: `${c.name} with a database`,
      cloud: c.cloud,
      json: synthesized(c, databaseFleet).json,
    })),
    // The global endpoint's stack (Route 53, priced on AWS's table).
    {
      name: GLOBAL_ENDPOINT_STACK,
      cloud: 'aws' as const,
      json: JSON.parse(tree.get(terraformFile(GLOBAL_ENDPOINT_STACK)) ?? ''),
    },
  ];

  it.each(stacks.map((s) => [s.name, s] as const))(
    'prices or lists as free every resource of %s',
    (_name, stack) => {
      const priced = costResources(
        stackResources(stack.json),
        PRICES.clouds[stack.cloud],
        PRICES.hoursPerMonth,
      );
      expect(priced.length).toBeGreaterThan(stack.name === GLOBAL_ENDPOINT_STACK ? 5 : 50);
    },
  );

  it('lists no resource type that no stack creates', () => {
    const created = new Set(stacks.flatMap((s) => stackResources(s.json).map((r) => r.type)));
    expect(Object.keys(RESOURCE_COSTS).filter((type) => !created.has(type))).toEqual([]);
  });

  it('fails on a resource type it does not know, naming it', () => {
    const stack = { resource: { aws_new_thing: { a: {} }, aws_vpc: { v: {} }, aws_other_thing: { b: {} } } };
    expect(() => costResources(stackResources(stack), PRICES.clouds.aws, 730)).toThrow(UnpricedResourceError);
    expect(() => costResources(stackResources(stack), PRICES.clouds.aws, 730)).toThrow(
      /neither priced nor listed as free in tools\/cost\/coverage\.ts: aws_new_thing, aws_other_thing/,
    );
  });

  it('prices the VPN end of public addresses with the network line, the NAT address on its own', () => {
    const aks = fleet.clusters.find((c) => c.cloud === 'azure');
    const resources = stackResources(JSON.parse(tree.get(terraformFile(aks?.name ?? '')) ?? ''));
    const addresses = costResources(resources, PRICES.clouds.azure, 730).filter(
      ({ resource }) => resource.type === 'azurerm_public_ip',
    );
    expect(
      addresses.map(({ resource, cost }) => [resource.path.split('/').slice(1).join('/'), cost]),
    ).toEqual([
      ['cross-cloud/address-instance-0', { pricedBy: 'network' }],
      ['cross-cloud/address-instance-1', { pricedBy: 'network' }],
      ['network/nat-address', { line: 'public-addresses', unit: 'public IPv4', monthlyUsd: 0.005 * 730 }],
    ]);
  });
});

describe('billable objects of the manifests', () => {
  it('finds the gateways’ load balancers and every claim, including those the charts create', () => {
    for (const cluster of fleet.clusters) {
      const billables = clusterBillables(tree, cluster.name);
      expect(billables.loadBalancers).toEqual([
        { owner: 'istio-eastwest: Service istio-eastwestgateway' },
        { owner: 'istio-ingress: Service istio-ingressgateway' },
      ]);
      // From kube-prometheus-stack's values (one claim per replica of Prometheus and Alertmanager,
      // one for Grafana) and the Elasticsearch resource (one per node of its node set).
      expect(billables.volumes.map((v) => [v.owner, v.gb, v.count])).toEqual([
        ['kube-prometheus-stack: Prometheus', 200, 2],
        ['kube-prometheus-stack: Alertmanager', 10, 3],
        ['kube-prometheus-stack: Grafana', 10, 1],
        ['Elasticsearch logs/default', 200, 3],
      ]);
    }
  });

  const application = (chart: string, values: Record<string, unknown>) =>
    JSON.stringify({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: chart, namespace: 'argocd' },
      spec: { source: { chart, helm: { releaseName: chart, valuesObject: values } } },
    });

  it('fails on a chart it does not know, naming it', () => {
    const broken = withFile(
      'eks-prod/argocd/Application.argocd.new-chart.yaml',
      application('new-chart', {}),
    );
    expect(() => clusterBillables(broken, 'eks-prod')).toThrow(UnknownChartError);
    expect(() => clusterBillables(broken, 'eks-prod')).toThrow(/does not know: new-chart/);
  });

  it('fails when a chart said to create nothing billable is given a LoadBalancer or a persistent volume', () => {
    const lb = withFile(
      'eks-prod/argocd/Application.argocd.jaeger.yaml',
      application('jaeger', { query: { service: { type: 'LoadBalancer' } } }),
    );
    expect(() => clusterBillables(lb, 'eks-prod')).toThrow(
      /jaeger: its values set query\.service\.type: LoadBalancer/,
    );
    const disk = withFile(
      'eks-prod/argocd/Application.argocd.prometheus-pushgateway.yaml',
      application('prometheus-pushgateway', { persistentVolume: { enabled: true } }),
    );
    expect(() => clusterBillables(disk, 'eks-prod')).toThrow(/persistentVolume\.enabled: true/);
  });

  it('prices a claim by its class, and refuses a claim without one or a volume of an unknown driver', () => {
    const claim = (storageClassName?: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'scratch', namespace: 'ml-serving' },
        spec: { storageClassName, resources: { requests: { storage: '50Gi' } } },
      });
    const extra = clusterBillables(
      withFile('eks-prod/model-serving/PersistentVolumeClaim.ml-serving.scratch.yaml', claim('gp3')),
      'eks-prod',
    );
    expect(extra.volumes).toContainEqual({ owner: 'claim scratch', storageClass: 'gp3', gb: 50, count: 1 });
    expect(() =>
      clusterBillables(
        withFile('eks-prod/model-serving/PersistentVolumeClaim.ml-serving.scratch.yaml', claim()),
        'eks-prod',
      ),
    ).toThrow(/claim scratch: a claim without a storageClassName cannot be priced/);
    const volume = JSON.stringify({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'nfs' },
      spec: { csi: { driver: 'nfs.csi.k8s.io', volumeHandle: 'x' } },
    });
    expect(() =>
      clusterBillables(withFile('eks-prod/model-serving/PersistentVolume.nfs.yaml', volume), 'eks-prod'),
    ).toThrow(/PersistentVolume nfs .*nfs\.csi\.k8s\.io volume is billed/);
  });
});

describe('the rendered lines of the report', () => {
  const estimate = estimateFleet(fleet, PRICES, { tree });

  it('has control plane, NAT, load balancer, volume, logging and traffic lines for every cluster', () => {
    for (const cluster of estimate.clusters) {
      expect(cluster.lines.map((l) => l.key)).toEqual(
        expect.arrayContaining([
          'control-plane',
          'nat',
          'load-balancers',
          'volumes',
          'logging',
          'traffic/nat',
          'traffic/zones',
          'traffic/cross-cloud',
          'global-endpoint',
        ]),
      );
      for (const line of cluster.lines) expect(line.monthlyUsd).toBeGreaterThanOrEqual(0);
    }
    // Only the cluster models are published from copies them out.
    const source = fleet.settings.modelReplication.sourceCluster;
    expect(
      estimate.clusters
        .filter((c) => c.lines.some((l) => l.key === 'traffic/replication'))
        .map((c) => c.cluster),
    ).toEqual([source]);
  });

  it('computes each line from the rendered resources, the prices and the assumptions', () => {
    const eks = estimate.clusters.find((c) => c.cloud === 'aws');
    const line = (key: string) => eks?.lines.find((l) => l.key === key);
    const aws = PRICES.clouds.aws;
    const hours = PRICES.hoursPerMonth;
    // Three NAT gateways, one per zone of the VPC.
    expect(line('nat')).toEqual({
      key: 'nat',
      kind: 'platform',
      detail: '3 × NAT gateway',
      monthlyUsd: Math.round(3 * aws.platform.natGatewayHourlyUsd * hours * 100) / 100,
    });
    expect(line('control-plane')?.monthlyUsd).toBeCloseTo(
      aws.platform.controlPlaneHourlyUsd.standard * hours,
      2,
    );
    // Prometheus 2 × 200 Gi, Alertmanager 3 × 10 Gi, Grafana 10 Gi on gp3; Elasticsearch 3 × 200 Gi on io2.
    expect(line('volumes')?.detail).toBe('440 GiB gp3, 600 GiB io2');
    expect(line('volumes')?.monthlyUsd).toBeCloseTo(440 * 0.08 + 600 * 0.125, 2);
    expect(line('logging')?.monthlyUsd).toBeCloseTo(
      costAssumptions.cloudLogsGbPerMonth * aws.platform.logIngestGbUsd,
      2,
    );
    // Three zones: two hops of every prediction, each crossing zones two times in three.
    const zoneGb =
      (costAssumptions.predictionsPerMonth *
        (costAssumptions.requestBytes + costAssumptions.responseBytes) *
        2 *
        (2 / 3)) /
      1e9;
    expect(line('traffic/zones')?.monthlyUsd).toBeCloseTo(zoneGb * aws.platform.interZoneGbUsd, 1);
  });

  it('fails naming a StorageClass without a price', () => {
    const table: PriceTable = {
      ...PRICES,
      clouds: {
        ...PRICES.clouds,
        aws: {
          ...PRICES.clouds.aws,
          platform: { ...PRICES.clouds.aws.platform, volumeGbMonthUsd: { gp3: 0.08 } },
        },
      },
    };
    expect(() => estimateFleet(fleet, table, { tree })).toThrow(MissingPriceError);
    expect(() => estimateFleet(fleet, table, { tree })).toThrow(/eks-prod: StorageClass io2 has no price/);
  });
});

describe('cross-cloud share from the gateway’s routing', () => {
  const config = (costs: Record<string, number>, tieBuffer = 0.02) =>
    parseConfig({
      providers: Object.entries(costs).map(([name, cost]) => ({
        name,
        url: 'http://127.0.0.1:1',
        costPer1kRequests: cost,
        models: ['m'],
      })),
      scoring: { tieBuffer },
    });

  it('keeps a healthy cluster’s predictions at home when its own servers answer fastest', () => {
    const shares = steadyStateShares(config({ a: 0.42, b: 0.38 }), 'a', { ownCluster: 25, otherCloud: 85 });
    expect(Object.fromEntries(shares)).toEqual({ a: 1, b: 0 });
    expect(crossCloudShare(config({ a: 0.42, b: 0.38 }), 'a', costAssumptions)).toBeCloseTo(
      costAssumptions.degradedCrossCloudShare,
      6,
    );
  });

  it('shares predictions by score when clouds are within the tie buffer', () => {
    // Same latency everywhere: scores differ only by price (0.3 × 0.9 vs 0.3 × 1).
    const shares = steadyStateShares(config({ a: 1, b: 0.9 }, 0.05), 'a', { ownCluster: 50, otherCloud: 50 });
    const a = 0.4 + 0.3 * 0.9 + 0.3;
    const b = 1;
    expect(shares.get('a')).toBeCloseTo(a / (a + b), 6);
    expect(shares.get('b')).toBeCloseTo(b / (a + b), 6);
  });

  it('sends everything away when another cloud is both cheaper and faster beyond the tie buffer', () => {
    const shares = steadyStateShares(config({ a: 1, b: 0.5 }), 'a', { ownCluster: 100, otherCloud: 100 });
    expect(shares.get('a')).toBe(0);
  });
});
