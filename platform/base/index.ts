import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import type { NamespaceDeclaration } from '../kernel/contribution';
import { namespacePolicies } from '../kernel/flows';
import type { HelmRelease } from '../kernel/helm';
import { baseChartObjects } from './chart-objects';
import { baseContribution } from './contributes';
import { NamespaceNetworkPolicies } from './network-policies';
import { CriticalPriorityQuota, NamespaceQuota } from './quotas';
import { PlatformRbac } from './rbac';
import { PlatformStorageClasses } from './storage';

/** Labels that make Pod Security Admission enforce the plan's level and warn about anything short of restricted. */
function podSecurityLabels(plan: NamespaceDeclaration, kubernetesVersion: string): Record<string, string> {
  const version = `v${kubernetesVersion}`;
  return {
    'pod-security.kubernetes.io/enforce': plan.podSecurity,
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': version,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': version,
  };
}

/**
 * The ground every other component stands on: the namespaces the components
 * declare, with Pod Security Admission labels, quotas and default limits,
 * default-deny network policies with the allows their flows need, and
 * least-privilege RBAC.
 */
export class BaseChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'base', props);
    const policies = namespacePolicies(props.declarations);

    for (const policy of policies) {
      const plan = policy.namespace;
      new k8s.KubeNamespace(this, `namespace-${plan.name}`, {
        metadata: {
          name: plan.name,
          labels: {
            ...podSecurityLabels(plan, props.cluster.kubernetesVersion),
            ...(plan.mesh ? { 'istio-injection': 'enabled' } : {}),
            ...plan.labels,
          },
          annotations: {
            // Pruning or deleting a namespace deletes everything in it: Argo CD must never do either.
            'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
            ...(plan.podSecurityReason
              ? { 'ml-platform.io/pod-security-reason': plan.podSecurityReason }
              : {}),
          },
        },
      });
      new NamespaceNetworkPolicies(this, `network-${plan.name}`, policy);
      if (plan.quota) new NamespaceQuota(this, `quota-${plan.name}`, plan.name, plan.quota);
      if (plan.criticalPods) {
        new CriticalPriorityQuota(this, `critical-priority-${plan.name}`, plan.name, plan.criticalPods);
      }
    }

    new PlatformStorageClasses(this, 'storage', Object.values(props.profile.storageClasses()));

    new PlatformRbac(this, 'rbac', {
      developersGroup: props.fleet.settings.accessGroups.developers,
      viewers: props.profile.apiViewers(),
      deployersGroup: props.fleet.settings.accessGroups.deployers,
      deployNamespaces: policies.filter((p) => p.namespace.mesh).map((p) => p.namespace.name),
    });
  }
}

export const baseComponent: Component = {
  name: 'base',
  project: 'platform',
  build: (scope, props) => new BaseChart(scope, props),
  // The cloud's load balancer controller and metrics-server, where the platform installs them
  // (EKS): part of the ground too, since any component's LoadBalancer Service waits for the
  // first and every CPU-based HPA for the second. The GPU device plugin too, where the cloud
  // installs none (EKS, AKS): without it GPU nodes advertise no GPUs and GPU pods stay Pending.
  helmReleases: ({ profile }) =>
    [profile.loadBalancerController(), profile.resourceMetricsServer(), profile.gpuDevicePlugin()].filter(
      (release): release is HelmRelease => release !== undefined,
    ),
  contributes: (props) => {
    const chartObjects = baseChartObjects(props);
    return { ...baseContribution(props), ...(chartObjects ? { chartObjects } : {}) };
  },
};
