import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { ClusterSpec, Fleet } from '../clusters/types';
import type { ArgoProject } from '../platform/kernel/chart';
import type { NamespaceDeclaration } from '../platform/kernel/contribution';
import type { HelmRelease } from '../platform/kernel/helm';
import { ARGOCD_NAMESPACE, IN_CLUSTER, SYNC_WAVE } from './settings';

type GroupKind = { group: string; kind: string };

/**
 * Cluster-scoped kinds the platform's components and operator charts create.
 * A kind missing here fails the GitOps integrity check, so widening it is a
 * reviewed change, never an accident.
 */
const PLATFORM_CLUSTER_RESOURCES: GroupKind[] = [
  { group: '', kind: 'Namespace' },
  { group: '', kind: 'PersistentVolume' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
  { group: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshotClass' },
  { group: 'storage.k8s.io', kind: 'StorageClass' },
];

/** Workloads may bind their own model volumes, nothing else cluster-wide. */
const APPS_CLUSTER_RESOURCES: GroupKind[] = [{ group: '', kind: 'PersistentVolume' }];

/** Guard rails the platform owns; a workload may not replace them in its namespace. */
const APPS_FORBIDDEN: GroupKind[] = [
  { group: '', kind: 'LimitRange' },
  { group: '', kind: 'ResourceQuota' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'security.istio.io', kind: 'AuthorizationPolicy' },
  { group: 'security.istio.io', kind: 'PeerAuthentication' },
];

/** Namespaces the workloads of the apps project run in. */
const APPS_NAMESPACES = ['ml-platform', 'ml-serving'];

/** The AppProjects of a cluster: explicit sources, destinations and kinds, never `*`. */
export function appProjects(
  cluster: ClusterSpec,
  fleet: Fleet,
  releases: readonly HelmRelease[],
  namespaces: readonly NamespaceDeclaration[],
): IAppProject[] {
  const destinations = (namespaces: readonly string[]) =>
    [...namespaces].sort().map((namespace) => ({ server: IN_CLUSTER, namespace }));
  const helmRepos = [...new Set(releases.map((r) => r.repoURL))].sort();
  const project = (
    name: ArgoProject,
    description: string,
    spec: Omit<NonNullable<IAppProject['spec']>, 'description' | 'orphanedResources'>,
  ): IAppProject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE]: '0' } },
    spec: { description, orphanedResources: { warn: true }, ...spec },
  });
  return [
    project(
      'platform',
      `Platform services of ${cluster.name}: namespaces, policies, operators, mesh, observability`,
      {
        sourceRepos: [fleet.settings.repoUrl, ...helmRepos],
        // kube-system too: cluster-autoscaler, its priority ConfigMap (the only namespace AKS's
        // managed autoscaler reads it from) and the node termination handler live there.
        destinations: destinations([...namespaces.map((n) => n.name), 'kube-system']),
        clusterResourceWhitelist: PLATFORM_CLUSTER_RESOURCES,
      },
    ),
    project('apps', `Workloads of ${cluster.name}: model serving, the gateway, data sync`, {
      sourceRepos: [fleet.settings.repoUrl],
      destinations: destinations(APPS_NAMESPACES),
      clusterResourceWhitelist: APPS_CLUSTER_RESOURCES,
      namespaceResourceBlacklist: APPS_FORBIDDEN,
    }),
  ];
}
