import { parse } from 'yaml';
import { fleetInput, loadDeclaredFleet } from '../../../clusters';
import type { ClusterSpec } from '../../../clusters/types';
import { loadFleet } from '../../../clusters/validate';
import { profileFor } from '../../../platform/clouds';
import { PRIORITY, PRIORITY_CONFIGMAP, SPOT_FALLBACK_ADD_ON } from '../../../platform/clouds/spot-fallback';
import { componentsFor } from '../../../platform/components';
import { type RenderedResource, recordedContext, renderFleet } from '../../../tools/synth/render';

const fleet = loadDeclaredFleet();
const { resources } = renderFleet(fleet);
const of = (cluster: string) => resources.filter((r) => r.cluster === cluster);
const find = (cluster: string, kind: string, name: string) =>
  of(cluster).find((r) => r.kind === kind && r.name === name);

/** Helm values of the Argo CD Application that installs a release. */
function helmApp(cluster: string, release: string) {
  const app = find(cluster, 'Application', release)?.object as
    | {
        spec: {
          source: { chart: string; targetRevision: string; helm: { valuesObject: Record<string, any> } };
        };
      }
    | undefined;
  return app?.spec.source;
}

function priorities(cluster: string): Record<number, string[]> | undefined {
  const configMap = find(cluster, 'ConfigMap', PRIORITY_CONFIGMAP);
  return configMap ? parse((configMap.object.data as { priorities: string }).priorities) : undefined;
}

describe('spot with on-demand fallback', () => {
  it('is an add-on of the clouds whose autoscaler takes a priority list, and only with a spot pair', () => {
    const names = (cluster: ClusterSpec) =>
      componentsFor(recordedContext(cluster).profile).map((component) => component.name);
    const byCloud = Object.fromEntries(fleet.clusters.map((c) => [c.cloud, names(c)]));
    expect(byCloud.aws).toContain(SPOT_FALLBACK_ADD_ON);
    expect(byCloud.azure).toContain(SPOT_FALLBACK_ADD_ON);
    expect(byCloud.gcp).not.toContain(SPOT_FALLBACK_ADD_ON);
    // Built between the foundation and the services: in place before workloads land on spot pools.
    expect(byCloud.aws.indexOf(SPOT_FALLBACK_ADD_ON)).toBe(byCloud.aws.indexOf('secrets') + 1);
    for (const cluster of fleet.clusters) {
      const onDemandOnly = {
        ...cluster,
        nodePools: cluster.nodePools
          .filter((pool) => pool.capacityType !== 'spot')
          .map(({ fallbackFor: _, ...pool }) => pool),
      } as ClusterSpec;
      expect(profileFor(onDemandOnly, { workloadIdentityClientIds: {} }).addOns()).toEqual([]);
    }
  });

  it('tells the EKS and AKS autoscalers to grow spot first, then its on-demand fallback', () => {
    expect(priorities('eks-prod')).toEqual({
      [PRIORITY.spot]: ['^eks-ml-workloads-.*'],
      [PRIORITY.fallback]: ['^eks-ml-fallback-.*'],
      [PRIORITY.other]: ['.*'],
    });
    expect(priorities('aks-prod')).toEqual({
      [PRIORITY.spot]: ['^aks-mlworkloads-.*'],
      [PRIORITY.fallback]: ['^aks-mlfallback-.*'],
      [PRIORITY.other]: ['.*'],
    });
    // Integer keys: the autoscaler reads map[int][]string and rejects quoted keys.
    const data = find('eks-prod', 'ConfigMap', PRIORITY_CONFIGMAP)?.object.data as
      | { priorities?: string }
      | undefined;
    const raw = data?.priorities ?? '';
    expect(raw.split('\n')[0]).toBe('50:');
    // GKE's own autoscaler takes no priority list: the pool pairing is the fallback there.
    expect(priorities('gke-prod')).toBeUndefined();
  });

  it('matches the names the clouds give the node groups of the pair', () => {
    const [spot] = priorities('eks-prod')?.[PRIORITY.spot] ?? [];
    expect(new RegExp(spot).test('eks-ml-workloads-8cc5a8e0-1b2c-4d5e-9f00-123456789abc')).toBe(true);
    expect(new RegExp(spot).test('eks-ml-fallback-8cc5a8e0-1b2c-4d5e-9f00-123456789abc')).toBe(false);
    const [fallback] = priorities('aks-prod')?.[PRIORITY.fallback] ?? [];
    expect(new RegExp(fallback).test('aks-mlfallback-12345678-vmss')).toBe(true);
  });

  it('runs cluster-autoscaler for Kubernetes 1.35 with the priority expander on EKS only', () => {
    const autoscaler = helmApp('eks-prod', 'cluster-autoscaler');
    expect(autoscaler).toMatchObject({ chart: 'cluster-autoscaler', targetRevision: '9.59.0' });
    // cluster-autoscaler's minor must be the fleet's Kubernetes minor.
    const minor = fleet.clusters.find((c) => c.name === 'eks-prod')?.kubernetesVersion;
    expect(autoscaler?.helm.valuesObject.image.tag).toMatch(
      new RegExp(`^v${minor?.replace('.', '\\.')}\\.\\d+$`),
    );
    expect(autoscaler?.helm.valuesObject).toMatchObject({
      cloudProvider: 'aws',
      autoDiscovery: { clusterName: 'eks-prod' },
      extraArgs: { expander: 'priority' },
      rbac: {
        serviceAccount: {
          name: 'cluster-autoscaler',
          annotations: {
            'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/eks-prod-cluster-autoscaler',
          },
        },
      },
    });
    for (const cluster of ['gke-prod', 'aks-prod']) {
      expect(helmApp(cluster, 'cluster-autoscaler')).toBeUndefined();
    }
  });

  it('installs no node termination handler: EKS managed node groups drain spot nodes themselves', () => {
    // The aws-node-termination-handler README: with EKS managed node groups it is not needed.
    for (const cluster of fleet.clusters.map((c) => c.name)) {
      expect(helmApp(cluster, 'aws-node-termination-handler')).toBeUndefined();
    }
  });

  it.each(fleet.clusters.map((c) => c.name))(
    '%s: serving pods on the spot pair may land on the fallback and keep capacity through a reclaim',
    (cluster) => {
      const deployments = of(cluster).filter((r) => {
        const spec = (
          r.object as { spec?: { template?: { spec?: { nodeSelector?: Record<string, string> } } } }
        ).spec?.template?.spec;
        return r.kind === 'Deployment' && spec?.nodeSelector?.['platform.ml/pool-role'] === 'ml';
      });
      expect(deployments.length).toBeGreaterThan(0);
      const budgets = of(cluster).filter((r) => r.kind === 'PodDisruptionBudget');
      for (const deployment of deployments) {
        const podLabels = (deployment.object as any).spec.template.metadata.labels as Record<string, string>;
        const budget = budgets.find((b: RenderedResource) => {
          const selector = (b.object as any).spec.selector.matchLabels as Record<string, string>;
          return (
            b.namespace === deployment.namespace &&
            Object.entries(selector).every(([k, v]) => podLabels[k] === v)
          );
        });
        expect({ deployment: deployment.name, budget: budget?.name }).toEqual({
          deployment: deployment.name,
          budget: expect.any(String),
        });
        const spec = ((budget?.object as any)?.spec ?? {}) as {
          maxUnavailable?: number;
          minAvailable?: number;
        };
        // Draining a reclaimed node evicts at most one serving pod of a version at a time.
        expect(spec.maxUnavailable === 1 || (spec.minAvailable ?? 0) >= 1).toBe(true);
      }
    },
  );

  it('rejects a fallback that could not take its spot pool’s pods', () => {
    const [eks, ...rest] = fleetInput.clusters;
    const pools = eks.spec.nodePools.map((p) =>
      p.name === 'ml-fallback' ? { ...p, fallbackFor: 'gpu' } : p,
    );
    expect(() =>
      loadFleet({ ...fleetInput, clusters: [{ ...eks, spec: { ...eks.spec, nodePools: pools } }, ...rest] }),
    ).toThrow(
      /nodePools\[3\]\.fallbackFor: "gpu" must name a spot pool of the cluster with the same role and taints/,
    );
  });
});
