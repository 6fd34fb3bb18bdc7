import type { AwsClusterSpec } from '../../clusters/types';
import { cloudWorkload } from '../../clusters/workloads';
import { type ChartObjects, customResourcesOf } from '../kernel/contribution';
import type { HelmRelease } from '../kernel/helm';
import type { ResourceRequirements } from '../kernel/helm-values';
import { teamLabels } from '../kernel/pods';
import { AWS_LOAD_BALANCER_CONTROLLER_VALUE_PATHS } from './chart-value-paths';
import { CLOUD_CONTROLLERS_TEAM } from './common';
import type { NodePlacement, Toleration, WorkloadIdentityBinding } from './profile';

/**
 * The AWS Load Balancer Controller: the only controller that acts on the
 * annotations the AWS profile puts on `type: LoadBalancer` Services
 * (`aws-load-balancer-type: external`, `nlb-target-type: ip`); without it
 * those Services never get a load balancer. EKS does not run it, so the
 * platform installs it on every AWS cluster.
 */

/** The cloud workload (./cloud-workloads.ts) whose IRSA role the stack creates with the upstream policy. */
export const LOAD_BALANCER_CONTROLLER = 'aws-load-balancer-controller';

/**
 * Pinned upstream chart. Chart 3.5.0 (aws/eks-charts tag v0.0.242) installs controller v3.5.0;
 * the IAM policy in infra/aws/load-balancer-controller-policy.ts is that version's. Its
 * maintainers fix only the newest minor, so the pin follows the newest chart.
 */
export const LOAD_BALANCER_CONTROLLER_CHART = {
  repoURL: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  version: '3.5.0',
} as const;

/**
 * Custom resource kinds whose CRDs the chart installs (its crds/ folder at chart 3.5.0: crds.yaml
 * holds the ELBv2 kinds and GlobalAccelerator, gateway-crds.yaml the Gateway API configuration
 * kinds; Helm installs every file of the folder).
 */
export const LOAD_BALANCER_CONTROLLER_CRDS = [
  'aga.k8s.aws/GlobalAccelerator',
  'elbv2.k8s.aws/ALBTargetControlConfig',
  'elbv2.k8s.aws/IngressClassParams',
  'elbv2.k8s.aws/TargetGroupBinding',
  'gateway.k8s.aws/ListenerRuleConfiguration',
  'gateway.k8s.aws/LoadBalancerConfiguration',
  'gateway.k8s.aws/TargetGroupConfiguration',
] as const;

/** The Secret the chart puts the webhook's serving certificate in (`<name prefix>-tls`). */
export const WEBHOOK_TLS_SECRET = 'aws-load-balancer-tls';

/** The chart values the platform sets; everything else keeps the chart's default. */
export interface LoadBalancerControllerValues {
  /** EKS cluster name: the controller tags what it creates with it and discovers subnets by it. */
  readonly clusterName: string;
  /** Region of the cluster; given so the controller does not depend on instance metadata. */
  readonly region: string;
  /** VPC of the cluster, from the stack's outputs; given for the same reason. */
  readonly vpcId: string;
  /** Controller replicas; one leads, the other takes over within the lease. */
  readonly replicaCount: number;
  /** The ServiceAccount the chart creates, annotated with the IRSA role. */
  readonly serviceAccount: {
    readonly create: true;
    /** The workload entry's ServiceAccount, which the role trusts. */
    readonly name: string;
    /** The profile's workload-identity annotations (role ARN, regional STS). */
    readonly annotations: Readonly<Record<string, string>>;
  };
  /** Labels every controller pod carries (the profile's workload-identity pod labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Keeps a voluntary disruption (a node drain) from taking both replicas at once. */
  readonly podDisruptionBudget: { readonly maxUnavailable: number };
  /** Requests and limits of the controller container. */
  readonly resources: ResourceRequirements;
  /** Pins the pods to the general pool. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Tolerations of the general pool's taints. */
  readonly tolerations: readonly Toleration[];
  /**
   * Off: the webhook would claim every `LoadBalancer` Service in the cluster
   * and, while the controller is down, reject creating any. The platform's
   * Services opt in by the profile's annotations instead.
   */
  readonly enableServiceMutatorWebhook: false;
  /** Off: the platform exposes nothing through Ingress, so no `alb` IngressClass. */
  readonly createIngressClassResource: false;
  /** Off with the IngressClass it would parameterise. */
  readonly ingressClassParams: { readonly create: false };
}

/** What the release is built from, all answered by the AWS profile. */
export interface LoadBalancerControllerProps {
  /** The cluster it runs in. */
  readonly cluster: AwsClusterSpec;
  /** The cluster's VPC id, recorded from the stack's outputs. */
  readonly vpcId: string;
  /** The IRSA binding of the controller's ServiceAccount. */
  readonly identity: WorkloadIdentityBinding;
  /** Placement on the general pool. */
  readonly placement: NodePlacement;
}

/** The controller as an upstream Helm release with typed values. */
export function loadBalancerControllerRelease(props: LoadBalancerControllerProps): HelmRelease {
  const workload = cloudWorkload(LOAD_BALANCER_CONTROLLER);
  const values: LoadBalancerControllerValues = {
    clusterName: props.cluster.name,
    region: props.cluster.region,
    vpcId: props.vpcId,
    replicaCount: 2,
    serviceAccount: {
      create: true,
      name: workload.serviceAccount,
      annotations: props.identity.serviceAccountAnnotations,
    },
    podLabels: { ...props.identity.podLabels, ...teamLabels(CLOUD_CONTROLLERS_TEAM) },
    podDisruptionBudget: { maxUnavailable: 1 },
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    },
    nodeSelector: props.placement.nodeSelector,
    tolerations: props.placement.tolerations,
    enableServiceMutatorWebhook: false,
    createIngressClassResource: false,
    ingressClassParams: { create: false },
  };
  return {
    name: LOAD_BALANCER_CONTROLLER,
    ...LOAD_BALANCER_CONTROLLER_CHART,
    namespace: workload.namespace,
    values: { ...values },
    providesCrds: LOAD_BALANCER_CONTROLLER_CRDS,
    // Without cert-manager the chart generates a new webhook certificate on every render, and
    // Argo CD renders often: keep the live Secret, as the webhooks' CA bundles already are kept
    // (argocd/applications.ts), so certificate and CA bundle stay a pair.
    ignoreDifferences: [
      {
        group: '',
        kind: 'Secret',
        name: WEBHOOK_TLS_SECRET,
        namespace: workload.namespace,
        jsonPointers: ['/data'],
      },
    ],
  };
}

/**
 * What the chart creates that others refer to (aws/eks-charts, stable/aws-load-balancer-controller
 * at chart 3.5.0: templates/webhook.yaml, service.yaml, deployment.yaml, _helpers.tpl): name
 * prefix `aws-load-balancer`, its webhooks through Service `aws-load-balancer-webhook-service`
 * port 443 to the container's `webhook-server` port (9443). The metrics Service
 * (`aws-load-balancer-controller`, port 8080) exists only with `serviceMonitor.enabled`, which
 * the platform leaves off, so it is not declared; the pods still listen on `metrics-server`.
 */
export function loadBalancerControllerChartObjects(release: HelmRelease): ChartObjects {
  const namespace = release.namespace;
  const selector = {
    'app.kubernetes.io/name': LOAD_BALANCER_CONTROLLER,
    'app.kubernetes.io/instance': release.name,
  };
  const serviceAccount = (release.values as unknown as LoadBalancerControllerValues).serviceAccount.name;
  const webhookService = { namespace, name: 'aws-load-balancer-webhook-service', port: 443 };
  return {
    releases: [release.name],
    // templates/deployment.yaml: `podLabels` beside the selector's labels.
    podLabelValues: [{ release: release.name, paths: ['podLabels'] }],
    values: [AWS_LOAD_BALANCER_CONTROLLER_VALUE_PATHS],
    services: [
      {
        namespace,
        name: webhookService.name,
        selector,
        ports: [{ name: 'webhook-server', port: 443, targetPort: 9443 }],
      },
    ],
    pods: [
      {
        namespace,
        labels: selector,
        ports: [
          { name: 'webhook-server', port: 9443 },
          { name: 'metrics-server', port: 8080 },
        ],
        serviceAccount,
      },
    ],
    serviceAccounts: [{ namespace, name: serviceAccount }],
    customResources: customResourcesOf(LOAD_BALANCER_CONTROLLER_CRDS),
    apiBackends: (['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const).map(
      (kind) => ({
        kind,
        name: 'aws-load-balancer-webhook',
        release: release.name,
        service: webhookService,
      }),
    ),
    secrets: [{ namespace, name: WEBHOOK_TLS_SECRET }],
  };
}
