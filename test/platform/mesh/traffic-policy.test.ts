import { loadDeclaredFleet } from '../../../clusters';
import type { ClusterSpec, Fleet } from '../../../clusters/types';
import { failoverRegion, meshTrafficPolicy } from '../../../platform/mesh/traffic-policy';

const fleet = loadDeclaredFleet();

/** A fleet with an extra cluster, derived from a declared one. */
function withExtra(base: Fleet, extra: Partial<ClusterSpec> & Pick<ClusterSpec, 'name' | 'region'>): Fleet {
  const template = base.clusters[0] as ClusterSpec;
  return { ...base, clusters: [...base.clusters, { ...template, ...extra } as ClusterSpec] };
}

describe('meshTrafficPolicy', () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))(
    '%s fails over from its own region to another cluster of the fleet',
    (_name, cluster) => {
      const lb = meshTrafficPolicy(cluster, fleet).loadBalancer?.localityLbSetting;
      expect(lb?.enabled).toBe(true);
      expect(lb?.failover).toHaveLength(1);
      const [entry] = lb?.failover ?? [];
      expect(entry?.from).toBe(cluster.region);
      const peerRegions = fleet.clusters.filter((c) => c.name !== cluster.name).map((c) => c.region);
      expect(peerRegions).toContain(entry?.to);
    },
  );

  it('prefers another region of the same cloud over other clouds', () => {
    const aws = fleet.clusters.find((c) => c.cloud === 'aws') as ClusterSpec;
    const bigger = withExtra(fleet, { name: 'eks-west', region: 'us-west-2' });
    expect(failoverRegion(aws, bigger)).toBe('us-west-2');
  });

  it('never fails over to its own region, and sets no failover when no other region exists', () => {
    const [only] = fleet.clusters as ClusterSpec[];
    const alone: Fleet = { ...fleet, clusters: [only as ClusterSpec] };
    const sameRegion = withExtra(alone, { name: 'twin', region: (only as ClusterSpec).region });
    expect(failoverRegion(only as ClusterSpec, sameRegion)).toBeUndefined();
    const lb = meshTrafficPolicy(only as ClusterSpec, sameRegion).loadBalancer?.localityLbSetting;
    expect(lb?.enabled).toBe(true);
    expect(lb?.failover).toBeUndefined();
  });

  it('has outlier detection, which locality failover needs to notice an unhealthy locality', () => {
    for (const cluster of fleet.clusters) {
      const policy = meshTrafficPolicy(cluster, fleet);
      expect(policy.outlierDetection?.consecutiveGatewayErrors).toBeGreaterThan(0);
      expect(policy.outlierDetection?.maxEjectionPercent).toBeLessThan(100);
      expect(policy.connectionPool?.http?.maxRetries).toBe(0);
      expect(policy.connectionPool?.tcp?.maxConnections).toBeGreaterThan(0);
    }
  });
});
