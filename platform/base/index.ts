import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { ClusterSpec } from '../../clusters/types';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import type { HelmRelease } from '../kernel/helm';
import { baseChartObjects } from './chart-objects';
import { type NamespacePlan, platformNamespaces } from './namespaces';
import { NamespaceNetworkPolicies } from './network-policies';
import { CriticalPriorityQuota, NamespaceQuota } from './quotas';
import { PlatformRbac } from './rbac';
import { PlatformStorageClasses } from './storage';

/** Labels that make Pod Security Admission enforce the plan's level and warn about anything short of restricted. */
function podSecurityLabels(plan: NamespacePlan, kubernetesVersion: string): Record<string, string> {
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
 * The `view` principals of a GKE or AKS cluster file, as RBAC subjects of the read-only role: GKE
 * names a Google group (Google Groups for RBAC) and a user or service account by its email, AKS an
 * Entra ID group by its object id. EKS puts its `view` roles in the developers group instead.
 */
export function viewerSubjects(cluster: ClusterSpec): k8s.Subject[] {
  const apiGroup = 'rbac.authorization.k8s.io';
  if (cluster.cloud === 'gcp') {
    return cluster.apiAccess
      .filter((access) => access.scope === 'view')
      .map((access) => {
        const [kind, email] = access.member.split(':');
        return { kind: kind === 'group' ? 'Group' : 'User', name: email, apiGroup };
      });
  }
  if (cluster.cloud === 'azure') {
    return cluster.apiAccess
      .filter((access) => access.scope === 'view')
      .map((access) => ({ kind: 'Group', name: access.groupObjectId, apiGroup }));
  }
  return [];
}

/**
 * The ground every other component stands on: namespaces with Pod Security
 * Admission labels, quotas and default limits, default-deny network policies
 * with the allows the platform needs, and least-privilege RBAC.
 */
export class BaseChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'base', props);
    const plans = platformNamespaces(props.cluster, props.outputs);

    for (const plan of plans) {
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
      new NamespaceNetworkPolicies(this, `network-${plan.name}`, plan);
      if (plan.quota) new NamespaceQuota(this, `quota-${plan.name}`, plan.name, plan.quota);
      if (plan.criticalPods) {
        new CriticalPriorityQuota(this, `critical-priority-${plan.name}`, plan.name, plan.criticalPods);
      }
    }

    new PlatformStorageClasses(this, 'storage', Object.values(props.profile.storageClasses()));

    new PlatformRbac(this, 'rbac', {
      developersGroup: props.fleet.settings.accessGroups.developers,
      viewers: viewerSubjects(props.cluster),
      deployersGroup: props.fleet.settings.accessGroups.deployers,
      deployNamespaces: plans.filter((plan) => plan.mesh).map((plan) => plan.name),
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
    return chartObjects ? { chartObjects } : {};
  },
};
