import type { ClusterSpec } from '../../clusters/types';
import type { CloudProfile } from '../clouds';
import type { ComponentProps } from '../kernel/chart';
import type { ClusterDeclarations } from '../kernel/contribution';
import { namespacesOf } from '../kernel/flows';
import type { HelmRelease, IgnoredField } from '../kernel/helm';
import { teamLabels } from '../kernel/pods';
import { MESH_TRACING_PROVIDER, OTEL_COLLECTOR } from '../tracing/endpoints';
import type { IstioBaseValues, IstioCniValues, IstiodValues, IstioGatewayValues } from './chart-values';
import { MESH_TEAM } from './contributes';
import { EASTWEST_GATEWAY, INGRESS_GATEWAY, ISTIO_NAMESPACE, TRUST_DOMAIN } from './workloads';

/**
 * Istio's release, one version for every chart of it (base, istiod, gateway,
 * cni). The values types in chart-values.ts are read from the charts at this tag.
 */
export const ISTIO_CHARTS = {
  repoURL: 'https://istio-release.storage.googleapis.com/charts',
  version: '1.30.3',
} as const;

/** The Istio CNI node agent's release; its DaemonSet runs in istio-system, which enforces `privileged`. */
export const ISTIO_CNI_RELEASE = 'istio-cni';

/**
 * Webhook configurations whose fields istiod owns at run time: its webhook
 * controller patches the CA bundle into both, and flips the validators'
 * `failurePolicy` from the rendered `Ignore` to `Fail` once it serves them.
 * Argo CD renders the charts with `helm template`, always a first install
 * to the chart, so without these it would revert istiod's patch on every
 * self-heal and the Applications would never be in sync.
 */
export const ISTIOD_OWNED_WEBHOOK_FIELDS = {
  /** Chart base: the default revision's validator (templates/defaultrevision-validatingwebhookconfiguration.yaml). */
  base: [
    {
      group: 'admissionregistration.k8s.io',
      kind: 'ValidatingWebhookConfiguration',
      name: 'istiod-default-validator',
      jqPathExpressions: ['.webhooks[]?.failurePolicy', '.webhooks[]?.clientConfig.caBundle'],
    },
  ],
  /** Chart istiod: its validator and the sidecar injector (templates/validatingwebhookconfiguration.yaml, mutatingwebhook.yaml). */
  istiod: [
    {
      group: 'admissionregistration.k8s.io',
      kind: 'ValidatingWebhookConfiguration',
      name: `istio-validator-${ISTIO_NAMESPACE}`,
      jqPathExpressions: ['.webhooks[]?.failurePolicy', '.webhooks[]?.clientConfig.caBundle'],
    },
    {
      group: 'admissionregistration.k8s.io',
      kind: 'MutatingWebhookConfiguration',
      name: 'istio-sidecar-injector',
      jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
    },
  ],
} as const satisfies Record<string, readonly IgnoredField[]>;

/** The one mesh all clusters join; istiod of each cluster discovers the others' endpoints through it. */
export const MESH_ID = 'ml-platform';

/** Custom resource kinds whose CRDs `istio-base` installs (its files/crd-all.gen.yaml at 1.30.3). */
export const ISTIO_CRDS = [
  'extensions.istio.io/TrafficExtension',
  'extensions.istio.io/WasmPlugin',
  'networking.istio.io/DestinationRule',
  'networking.istio.io/EnvoyFilter',
  'networking.istio.io/Gateway',
  'networking.istio.io/ProxyConfig',
  'networking.istio.io/ServiceEntry',
  'networking.istio.io/Sidecar',
  'networking.istio.io/VirtualService',
  'networking.istio.io/WorkloadEntry',
  'networking.istio.io/WorkloadGroup',
  'security.istio.io/AuthorizationPolicy',
  'security.istio.io/PeerAuthentication',
  'security.istio.io/RequestAuthentication',
  'telemetry.istio.io/Telemetry',
] as const;

/** Namespaces whose pods get sidecars from istiod's injector (`istio-injection: enabled`, platform/base). */
function meshNamespaces(declarations: ClusterDeclarations): string[] {
  return namespacesOf(declarations)
    .filter((namespace) => namespace.mesh)
    .map((namespace) => namespace.name);
}

/** istiod's values: the cluster's place in the multi-primary, multi-network mesh, with CNI redirection. */
export function istiodValues(cluster: ClusterSpec): IstiodValues {
  return {
    autoscaleEnabled: true,
    autoscaleMin: 2,
    autoscaleMax: 5,
    resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    podLabels: teamLabels(MESH_TEAM),
    env: {
      // Endpoints of other clusters are reached through their east-west gateway.
      PILOT_ENABLE_CROSS_CLUSTER_WORKLOAD_ENTRY: 'true',
    },
    // The CNI node agent sets up each pod's redirection, so injected pods carry no root,
    // NET_ADMIN/NET_RAW init container and pass the restricted Pod Security level.
    cni: { enabled: true },
    meshConfig: {
      trustDomain: TRUST_DOMAIN,
      accessLogFile: '/dev/stdout',
      accessLogEncoding: 'JSON',
      // Sidecars wait for their proxy before the app starts, so early requests are not sent in clear.
      defaultConfig: { holdApplicationUntilProxyStarts: true },
      enablePrometheusMerge: false,
      extensionProviders: [
        {
          name: MESH_TRACING_PROVIDER,
          opentelemetry: { service: OTEL_COLLECTOR.host, port: OTEL_COLLECTOR.grpcPort },
        },
      ],
    },
    global: {
      istioNamespace: ISTIO_NAMESPACE,
      meshID: MESH_ID,
      multiCluster: { clusterName: cluster.name },
      network: cluster.network.meshNetwork,
      logAsJson: true,
      // Injected containers get a seccomp profile of their own, so restricted admits them even in a
      // pod that sets none at pod level.
      proxy: { seccompProfile: { type: 'RuntimeDefault' } },
    },
  };
}

/**
 * The Istio CNI node agent: one pod per node, tolerating every taint, so that
 * no node runs meshed pods without it (a pod whose redirection is missing
 * fails its istio-validation container and is repaired by the agent).
 */
function istioCniValues(profile: CloudProfile): IstioCniValues {
  const { platform, ...paths } = profile.istioCni();
  return {
    global: { ...(platform ? { platform } : {}), logAsJson: true },
    ...paths,
    podLabels: teamLabels(MESH_TEAM),
    excludeNamespaces: ['kube-system'],
    tolerations: [{ operator: 'Exists' }],
    resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { memory: '256Mi' } },
    repair: { enabled: true, repairPods: true },
  };
}

/** Resources of a gateway pod; gateways are Envoy only and scale out rather than up. */
const GATEWAY_RESOURCES = {
  requests: { cpu: '500m', memory: '512Mi' },
  limits: { cpu: '2', memory: '1Gi' },
};

/** Values of Istio's `gateway` chart shared by the ingress and east-west gateways. */
function gatewayValues(
  profile: CloudProfile,
  gateway: typeof INGRESS_GATEWAY | typeof EASTWEST_GATEWAY,
  scheme: 'internal' | 'external',
): IstioGatewayValues {
  return {
    name: gateway.name,
    labels: { ...gateway.selector, ...teamLabels(MESH_TEAM) },
    serviceAccount: { create: true, name: gateway.serviceAccount },
    autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70 },
    podDisruptionBudget: { minAvailable: 1 },
    resources: GATEWAY_RESOURCES,
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { ...gateway.selector } },
      },
    ],
    // The pods' network and cluster come from istiod's injector, which knows them from its own values.
    service: { type: 'LoadBalancer', annotations: profile.loadBalancerAnnotations(scheme) },
  };
}

/**
 * Istio, installed from its pinned upstream charts: the CRDs (`istio-base`),
 * the control plane (`istiod`) configured for a multi-primary, multi-network
 * mesh, the public ingress gateway and the east-west gateway other clusters
 * reach this one through.
 */
export function istioReleases({
  cluster,
  profile,
  declarations,
}: Pick<ComponentProps, 'cluster' | 'profile' | 'declarations'>): HelmRelease[] {
  const common = { repoURL: ISTIO_CHARTS.repoURL, version: ISTIO_CHARTS.version, namespace: ISTIO_NAMESPACE };
  // A gateway's LoadBalancer Service stays Progressing until a load balancer exists, and the root
  // waits for it to be healthy: where the platform installs the controller, it must come first.
  const loadBalancerController = profile.loadBalancerController()?.name;
  const gatewayNeeds = ['istiod', ...(loadBalancerController ? [loadBalancerController] : [])];
  const base: IstioBaseValues = { defaultRevision: 'default', global: { istioNamespace: ISTIO_NAMESPACE } };
  const eastWest: IstioGatewayValues = {
    ...gatewayValues(profile, EASTWEST_GATEWAY, 'internal'),
    // Marks the gateway as the entry to this cluster's network for the other clusters' istiod; the
    // chart labels its pods and Service with the network and exposes the network gateway ports
    // (15021, 15443 and, always at 1.30.3, istiod's 15012 and 15017; multi-primary uses only 15443).
    networkGateway: cluster.network.meshNetwork,
  };
  // Pods in the mesh namespaces need the injector and the CNI agent before they are created.
  const meshPods = meshNamespaces(declarations);
  return [
    {
      ...common,
      name: 'istio-base',
      chart: 'base',
      values: { ...base },
      providesCrds: ISTIO_CRDS,
      serverSideApply: true,
      ignoreDifferences: ISTIOD_OWNED_WEBHOOK_FIELDS.base,
    },
    {
      ...common,
      name: ISTIO_CNI_RELEASE,
      chart: 'cni',
      values: { ...istioCniValues(profile) },
      providesCrds: [],
      neededByPodsIn: meshPods,
    },
    {
      ...common,
      name: 'istiod',
      chart: 'istiod',
      values: { ...istiodValues(cluster) },
      providesCrds: [],
      // Injected pods rely on the agent for their redirection: it runs on the nodes before istiod injects.
      requires: ['istio-base', ISTIO_CNI_RELEASE],
      neededByPodsIn: meshPods,
      ignoreDifferences: ISTIOD_OWNED_WEBHOOK_FIELDS.istiod,
    },
    {
      ...common,
      name: INGRESS_GATEWAY.release,
      chart: 'gateway',
      values: { ...gatewayValues(profile, INGRESS_GATEWAY, 'external') },
      providesCrds: [],
      // The gateway pod is injected with its Envoy by istiod's webhook.
      requires: gatewayNeeds,
    },
    {
      ...common,
      name: EASTWEST_GATEWAY.release,
      chart: 'gateway',
      values: { ...eastWest },
      providesCrds: [],
      requires: gatewayNeeds,
    },
  ];
}
