import { parse } from 'yaml';
import { syntheticContext, syntheticFleet } from '../../bench/fleet';
import { loadDeclaredFleet } from '../../clusters';
import type { Fleet } from '../../clusters/types';
import { loadFleet } from '../../clusters/validate';
import { gatewayConfigSchema } from '../../gateway/src/config';
import { profileFor } from '../../platform/clouds';
import { type RenderedResource, renderFleet } from '../../tools/synth/render';

type Json = Record<string, any>;

const declared = loadDeclaredFleet();
const synthetic = loadFleet(syntheticFleet(6));
const trees: [string, Fleet, readonly RenderedResource[]][] = [
  ['declared fleet', declared, renderFleet(declared).resources],
  ['6 generated clusters', synthetic, renderFleet(synthetic, undefined, syntheticContext).resources],
];

const podSpecOf = (r: RenderedResource): Json | undefined => {
  const spec = (r.object as Json).spec;
  if (r.kind === 'Deployment' || r.kind === 'StatefulSet' || r.kind === 'DaemonSet' || r.kind === 'Job') {
    return spec.template.spec;
  }
  if (r.kind === 'CronJob') return spec.jobTemplate.spec.template.spec;
  return undefined;
};
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.each(trees)('workloads of the %s', (_name, fleet, resources) => {
  const workloads = resources.filter((r) => podSpecOf(r));
  const deployments = resources.filter((r) => r.kind === 'Deployment');

  it('has model serving, the gateway and data sync in every cluster', () => {
    for (const cluster of fleet.clusters) {
      const components = new Set(resources.filter((r) => r.cluster === cluster.name).map((r) => r.component));
      expect([...components]).toEqual(expect.arrayContaining(['model-serving', 'gateway', 'data-sync']));
    }
    expect(deployments.length).toBeGreaterThan(fleet.clusters.length * 3);
  });

  it('runs every container non-root, read-only, with requests, limits and a pinned image', () => {
    for (const workload of workloads) {
      const pod = podSpecOf(workload) as Json;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        const where = `${workload.file} ${container.name}`;
        expect([where, container.securityContext]).toEqual([
          where,
          expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }),
        ]);
        expect([where, Object.keys(container.resources.requests).sort()]).toEqual([
          where,
          expect.arrayContaining(['cpu', 'memory']),
        ]);
        expect([where, Object.keys(container.resources.limits).sort()]).toEqual([
          where,
          expect.arrayContaining(['cpu', 'memory']),
        ]);
        expect([where, container.image]).toEqual([
          where,
          expect.stringMatching(/:\d+\.\d+\.\d+[\w.-]*(@sha256:[a-f0-9]{64})?$/),
        ]);
      }
    }
  });

  it('gives every Deployment probes and a disruption budget that selects it', () => {
    const budgets = resources.filter((r) => r.kind === 'PodDisruptionBudget');
    for (const deployment of deployments) {
      const template = (deployment.object as Json).spec.template;
      for (const container of template.spec.containers) {
        expect([deployment.file, !!container.readinessProbe, !!container.livenessProbe]).toEqual([
          deployment.file,
          true,
          true,
        ]);
      }
      const covering = budgets.filter(
        (b) =>
          b.cluster === deployment.cluster &&
          b.namespace === deployment.namespace &&
          matches((b.object as Json).spec.selector.matchLabels, template.metadata.labels),
      );
      expect([deployment.file, covering.length]).toEqual([deployment.file, 1]);
    }
  });

  it('puts GPU models only on GPU pools, and other models never there', () => {
    const gpuModels = new Set(fleet.models.filter((m) => m.needsGpu).map((m) => m.name));
    for (const deployment of deployments.filter(
      (d) => d.component === 'model-serving' && d.name !== 'feature-server',
    )) {
      const cluster = fleet.clusters.find((c) => c.name === deployment.cluster) as Fleet['clusters'][number];
      const pod = (deployment.object as Json).spec.template.spec;
      const model = pod.containers[0];
      const gpuPool = cluster.nodePools.find((p) => p.role === 'gpu');
      // Node placement does not depend on recorded outputs.
      const gpuSelector = profileFor(cluster, { workloadIdentityClientIds: {} }).nodePlacement(
        gpuPool as never,
      ).nodeSelector;
      const onGpu = JSON.stringify(pod.nodeSelector) === JSON.stringify(gpuSelector);
      const modelName = (deployment.object as Json).metadata.labels['ml-platform.io/model'];
      expect([deployment.file, onGpu]).toEqual([deployment.file, gpuModels.has(modelName)]);
      expect([deployment.file, !!model.resources.limits['nvidia.com/gpu']]).toEqual([
        deployment.file,
        gpuModels.has(modelName),
      ]);
    }
  });

  it("reads models with the cluster's cloud scheme", () => {
    const expected = { aws: 's3://', gcp: 'gs://', azure: '/models/' };
    for (const config of resources.filter(
      (r) => r.kind === 'ConfigMap' && (r.object as Json).data?.['models.config'],
    )) {
      const cluster = fleet.clusters.find((c) => c.name === config.cluster) as Fleet['clusters'][number];
      const basePath = /base_path: "([^"]+)"/.exec((config.object as Json).data['models.config'])?.[1] ?? '';
      expect([config.file, basePath.startsWith(expected[cluster.cloud])]).toEqual([config.file, true]);
    }
  });

  it("splits traffic in every VirtualService with the fleet's weights", () => {
    for (const service of resources.filter(
      (r) => r.kind === 'VirtualService' && r.component === 'model-serving',
    )) {
      for (const route of (service.object as Json).spec.http as Json[]) {
        if (route.route.length < 2) continue;
        const modelName = route.route[0].destination.host.split('.')[0];
        const model = fleet.models.find((m) => m.name === modelName);
        const weights = route.route.map((d: Json) => [
          Number(/-v(\d+)$/.exec(d.destination.subset)?.[1]),
          d.weight,
        ]);
        expect([service.file, weights]).toEqual([
          service.file,
          model?.split?.map((s) => [s.version, s.weight]),
        ]);
      }
    }
  });

  it('configures each gateway with a provider per cluster, as the gateway itself parses it', () => {
    // The gateway's own ConfigMap (not the Redis CA it mounts on GKE).
    const configs = resources.filter(
      (r) =>
        r.kind === 'ConfigMap' &&
        r.component === 'gateway' &&
        'config.json' in ((r.object as Json).data ?? {}),
    );
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) {
      const parsed = gatewayConfigSchema.parse(parse((config.object as Json).data['config.json']));
      expect(parsed.providers.map((p) => p.name)).toEqual(fleet.clusters.map((c) => c.name));
    }
  });
});
