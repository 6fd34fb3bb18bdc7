import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

const READ = ['get', 'list', 'watch'];
const DEPLOY = [...READ, 'create', 'update', 'patch'];

/** What developers may read: workloads and their configuration, never Secrets. */
const READABLE: k8s.PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'endpoints',
      'events',
      'limitranges',
      'namespaces',
      'persistentvolumeclaims',
      'pods',
      'pods/log',
      'resourcequotas',
      'serviceaccounts',
      'services',
    ],
    verbs: READ,
  },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
    verbs: READ,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
  {
    apiGroups: ['networking.istio.io'],
    resources: ['destinationrules', 'gateways', 'serviceentries', 'virtualservices'],
    verbs: READ,
  },
  {
    apiGroups: ['security.istio.io'],
    resources: ['authorizationpolicies', 'peerauthentications'],
    verbs: READ,
  },
  {
    apiGroups: ['monitoring.coreos.com'],
    resources: ['podmonitors', 'prometheusrules', 'servicemonitors'],
    verbs: READ,
  },
  { apiGroups: ['argoproj.io'], resources: ['applications', 'appprojects'], verbs: READ },
];

/**
 * What CI may change in a workload namespace: configuration, routing and scaling objects, not RBAC or
 * Secrets. Workload controllers are read-only: whoever writes a pod template picks the pod's
 * ServiceAccount and with it its cloud identity, and rollouts come from git through Argo CD
 * (CI only records image digests in a pull request, docs/delivery.md). policy RBAC-POD-CREATE.
 */
const DEPLOYABLE: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'services'], verbs: DEPLOY },
  { apiGroups: [''], resources: ['pods', 'pods/log', 'events'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: DEPLOY },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: DEPLOY },
  { apiGroups: ['networking.istio.io'], resources: ['destinationrules', 'virtualservices'], verbs: DEPLOY },
];

export interface PlatformRbacProps {
  /** Group whose members get read-only access cluster-wide. */
  readonly developersGroup: string;
  /**
   * Identities bound to the same read-only role next to `developersGroup`, where the cloud names
   * them itself and cannot put them in that group (GKE emails, AKS Entra ID group object ids).
   */
  readonly viewers?: readonly k8s.Subject[];
  /** Group of the CI identity that may deploy into the workload namespaces. */
  readonly deployersGroup: string;
  /** Namespaces CI may deploy into. */
  readonly deployNamespaces: readonly string[];
}

/** Least-privilege roles: read-only for developers, a deploy role for CI. No wildcard anywhere. */
export class PlatformRbac extends Construct {
  constructor(scope: Construct, id: string, props: PlatformRbacProps) {
    super(scope, id);
    const group = (name: string): k8s.Subject => ({
      kind: 'Group',
      name,
      apiGroup: 'rbac.authorization.k8s.io',
    });

    new k8s.KubeClusterRole(this, 'developer-role', {
      metadata: { name: 'ml-platform-developer-readonly' },
      rules: READABLE,
    });
    new k8s.KubeClusterRoleBinding(this, 'developer-binding', {
      metadata: { name: 'ml-platform-developer-readonly' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'ml-platform-developer-readonly',
      },
      subjects: [group(props.developersGroup), ...(props.viewers ?? [])],
    });

    for (const namespace of props.deployNamespaces) {
      const deployer = new Construct(this, `deployer-${namespace}`);
      new k8s.KubeRole(deployer, 'role', { metadata: { name: 'ci-deployer', namespace }, rules: DEPLOYABLE });
      new k8s.KubeRoleBinding(deployer, 'binding', {
        metadata: { name: 'ci-deployer', namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ci-deployer' },
        subjects: [group(props.deployersGroup)],
      });
    }
  }
}
