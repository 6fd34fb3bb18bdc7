import { loadDeclaredFleet } from '../../../clusters';
import { loadClusterOutputs } from '../../../clusters/outputs';
import type { ClusterSpec } from '../../../clusters/types';
import { profileFor } from '../../../platform/clouds';
import {
  LOAD_BALANCER_CONTROLLER,
  LOAD_BALANCER_CONTROLLER_CHART,
  loadBalancerControllerChartObjects,
  WEBHOOK_TLS_SECRET,
} from '../../../platform/clouds/aws-load-balancer-controller';
import { AWS_LOAD_BALANCER_CONTROLLER_VALUE_PATHS } from '../../../platform/clouds/chart-value-paths';
import type { HelmRelease } from '../../../platform/kernel/helm';
import { EASTWEST_GATEWAY, INGRESS_GATEWAY } from '../../../platform/mesh/workloads';
import { unreadValuePaths } from '../../../tools/check-cluster/chart-values';
import { renderCluster, renderFleet } from '../../../tools/synth/render';

const fleet = loadDeclaredFleet();
const { resources } = renderFleet(fleet);
const byName = (name: string) => fleet.clusters.find((c) => c.name === name) as ClusterSpec;

type Application = {
  metadata: { annotations: Record<string, string> };
  spec: {
    source: { repoURL: string; chart: string; targetRevision: string; helm: { valuesObject: any } };
    destination: { namespace: string };
    ignoreDifferences: Record<string, unknown>[];
  };
};
const application = (cluster: string, name: string) =>
  resources.find((r) => r.cluster === cluster && r.kind === 'Application' && r.name === name)?.object as
    | Application
    | undefined;
const wave = (cluster: string, name: string) =>
  Number(application(cluster, name)?.metadata.annotations['argocd.argoproj.io/sync-wave']);

describe('the AWS Load Balancer Controller', () => {
  it('is installed on AWS clusters only, where the profile asks for it', () => {
    for (const cluster of fleet.clusters) {
      const installed = application(cluster.name, LOAD_BALANCER_CONTROLLER) !== undefined;
      expect(installed).toBe(profileFor(cluster).loadBalancerController() !== undefined);
      expect(installed).toBe(cluster.cloud === 'aws');
    }
  });

  it('comes from the pinned eks-charts chart into kube-system', () => {
    const source = application('eks-prod', LOAD_BALANCER_CONTROLLER)?.spec.source;
    expect(source).toMatchObject({
      repoURL: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      targetRevision: LOAD_BALANCER_CONTROLLER_CHART.version,
    });
    expect(LOAD_BALANCER_CONTROLLER_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(application('eks-prod', LOAD_BALANCER_CONTROLLER)?.spec.destination.namespace).toBe('kube-system');
  });

  it('is configured for its cluster, as the IRSA role of its ServiceAccount, on the general pool', () => {
    const cluster = byName('eks-prod');
    const profile = profileFor(cluster);
    const general = cluster.nodePools.find((p) => p.role === 'general');
    if (!general) throw new Error('eks-prod has no general pool');
    const values = application('eks-prod', LOAD_BALANCER_CONTROLLER)?.spec.source.helm.valuesObject;
    expect(values).toEqual({
      clusterName: cluster.name,
      region: cluster.region,
      vpcId: loadClusterOutputs(cluster).vpcId,
      replicaCount: 2,
      serviceAccount: {
        create: true,
        name: 'aws-load-balancer-controller',
        annotations: profile.workloadIdentity(LOAD_BALANCER_CONTROLLER).serviceAccountAnnotations,
      },
      // The profile's workload-identity pod labels (none on EKS) and the owner's team.
      podLabels: { team: 'platform' },
      podDisruptionBudget: { maxUnavailable: 1 },
      resources: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      },
      nodeSelector: profile.nodePlacement(general).nodeSelector,
      tolerations: profile.nodePlacement(general).tolerations,
      enableServiceMutatorWebhook: false,
      createIngressClassResource: false,
      ingressClassParams: { create: false },
    });
    expect(values.vpcId).toMatch(/^vpc-[0-9a-f]+$/);
  });

  it('is pinned at chart 3.5.0 (controller v3.5.0), the newest, with every value it is given read by that chart', () => {
    expect(LOAD_BALANCER_CONTROLLER_CHART.version).toBe('3.5.0');
    expect(AWS_LOAD_BALANCER_CONTROLLER_VALUE_PATHS).toMatchObject({
      chart: LOAD_BALANCER_CONTROLLER_CHART.chart,
      version: LOAD_BALANCER_CONTROLLER_CHART.version,
    });
    const values = application('eks-prod', LOAD_BALANCER_CONTROLLER)?.spec.source.helm.valuesObject;
    expect(unreadValuePaths(values, AWS_LOAD_BALANCER_CONTROLLER_VALUE_PATHS.reads)).toEqual([]);
    // Values chart 3.x added (templates/deployment.yaml), and one it never had.
    const reads = AWS_LOAD_BALANCER_CONTROLLER_VALUE_PATHS.reads;
    expect(reads).toEqual(expect.arrayContaining(['albGatewayMaxConcurrentReconciles', 'certManagement']));
    expect(unreadValuePaths({ keepTLSSecrets: true }, reads)).toEqual(['keepTLSSecrets']);
  });

  it('declares what chart 3.5.0 creates: its CRDs, the webhook Service behind both webhook configurations', () => {
    const release = profileFor(byName('eks-prod')).loadBalancerController() as HelmRelease;
    const objects = loadBalancerControllerChartObjects(release);
    // crds/crds.yaml and crds/gateway-crds.yaml at chart 3.5.0.
    expect(objects.customResources).toEqual(
      expect.arrayContaining([
        { group: 'aga.k8s.aws', kind: 'GlobalAccelerator' },
        { group: 'elbv2.k8s.aws', kind: 'ALBTargetControlConfig' },
        { group: 'elbv2.k8s.aws', kind: 'TargetGroupBinding' },
        { group: 'gateway.k8s.aws', kind: 'LoadBalancerConfiguration' },
      ]),
    );
    expect(objects.customResources).toHaveLength(7);
    // The metrics Service exists only with serviceMonitor.enabled, which the platform leaves off.
    expect(objects.services?.map((s) => s.name)).toEqual(['aws-load-balancer-webhook-service']);
    expect(objects.services?.[0]?.ports).toEqual([{ name: 'webhook-server', port: 443, targetPort: 9443 }]);
    expect(objects.apiBackends?.map((b) => `${b.kind}/${b.name}`)).toEqual([
      'MutatingWebhookConfiguration/aws-load-balancer-webhook',
      'ValidatingWebhookConfiguration/aws-load-balancer-webhook',
    ]);
  });

  it('keeps the generated webhook certificate and its CA bundles as they are live', () => {
    const ignored = application('eks-prod', LOAD_BALANCER_CONTROLLER)?.spec.ignoreDifferences ?? [];
    expect(ignored).toContainEqual({
      group: '',
      kind: 'Secret',
      name: WEBHOOK_TLS_SECRET,
      namespace: 'kube-system',
      jsonPointers: ['/data'],
    });
    expect(ignored).toContainEqual(
      expect.objectContaining({
        kind: 'MutatingWebhookConfiguration',
        group: 'admissionregistration.k8s.io',
      }),
    );
  });

  it('syncs before the Istio gateways whose LoadBalancer Services it provisions', () => {
    const controller = wave('eks-prod', LOAD_BALANCER_CONTROLLER);
    expect(controller).toBeGreaterThan(0);
    for (const gateway of [INGRESS_GATEWAY.release, EASTWEST_GATEWAY.release]) {
      expect(wave('eks-prod', gateway)).toBeGreaterThan(controller);
    }
  });

  it('fails synthesis naming the outputs file when the VPC id is not recorded', () => {
    const cluster = byName('eks-prod');
    const { vpcId: _, ...outputs } = loadClusterOutputs(cluster);
    expect(() =>
      renderCluster(fleet, cluster, undefined, {
        outputs,
        profile: profileFor(cluster, outputs),
        profileOf: profileFor,
      }),
    ).toThrow(/clusters\/eks-prod\.outputs\.json: vpcId: missing; apply the Terraform stack "eks-prod"/);
  });
});
