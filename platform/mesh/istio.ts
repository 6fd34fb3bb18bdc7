import type { ClusterSpec } from '../../clusters/types';
import type { CloudProfile } from '../clouds';
import type { ComponentProps } from '../synth/chart';
import type { HelmRelease } from '../synth/helm';
import { MESH_TRACING_PROVIDER, OTEL_COLLECTOR } from '../tracing/endpoints';
import { EASTWEST_GATEWAY, INGRESS_GATEWAY, ISTIO_NAMESPACE, TRUST_DOMAIN } from './workloads';

/** Istio's release, one version for every chart of it. */
export const ISTIO_CHARTS = {
  repoURL: 'https://istio-release.storage.googleapis.com/charts',
  version: '1.25.1',
} as const;

/** The one mesh all clusters join; istiod of each cluster discovers the others' endpoints through it. */
export const MESH_ID = 'ml-platform';

/** Custom resource kinds whose CRDs `istio-base` installs. */
export const ISTIO_CRDS = [
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

/** Settings every Istio chart of the cluster shares: which cluster, network and mesh it is. */
function globalValues(cluster: ClusterSpec) {
  return {
    istioNamespace: ISTIO_NAMESPACE,
    meshID: MESH_ID,
    multiCluster: { clusterName: cluster.name },
    network: cluster.network.meshNetwork,
    logAsJson: true,
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
) {
  return {
    name: gateway.name,
    labels: { ...gateway.selector },
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
}: Pick<ComponentProps, 'cluster' | 'profile'>): HelmRelease[] {
  const common = { repoURL: ISTIO_CHARTS.repoURL, version: ISTIO_CHARTS.version, namespace: ISTIO_NAMESPACE };
  // A gateway's LoadBalancer Service stays Progressing until a load balancer exists, and the root
  // waits for it to be healthy: where the platform installs the controller, it must come first.
  const loadBalancerController = profile.loadBalancerController()?.name;
  const gatewayNeeds = ['istiod', ...(loadBalancerController ? [loadBalancerController] : [])];
  return [
    {
      ...common,
      name: 'istio-base',
      chart: 'base',
      values: { defaultRevision: 'default', global: { istioNamespace: ISTIO_NAMESPACE } },
      providesCrds: ISTIO_CRDS,
      serverSideApply: true,
    },
    {
      ...common,
      name: 'istiod',
      chart: 'istiod',
      values: {
        global: globalValues(cluster),
        pilot: {
          autoscaleEnabled: true,
          autoscaleMin: 2,
          autoscaleMax: 5,
          resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
          env: {
            // Endpoints of other clusters are reached through their east-west gateway.
            PILOT_ENABLE_CROSS_CLUSTER_WORKLOAD_ENTRY: 'true',
          },
        },
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
      },
      providesCrds: [],
      requires: ['istio-base'],
    },
    {
      ...common,
      name: INGRESS_GATEWAY.release,
      chart: 'gateway',
      values: gatewayValues(profile, INGRESS_GATEWAY, 'external'),
      providesCrds: [],
      // The gateway pod is injected with its Envoy by istiod's webhook.
      requires: gatewayNeeds,
    },
    {
      ...common,
      name: EASTWEST_GATEWAY.release,
      chart: 'gateway',
      values: {
        ...gatewayValues(profile, EASTWEST_GATEWAY, 'internal'),
        // Marks the gateway as the entry to this cluster's network for the other clusters' istiod.
        networkGateway: cluster.network.meshNetwork,
        labels: { ...EASTWEST_GATEWAY.selector, 'topology.istio.io/network': cluster.network.meshNetwork },
        service: {
          type: 'LoadBalancer',
          // The clusters' networks are peered: the east-west gateway is never on the internet.
          annotations: profile.loadBalancerAnnotations('internal'),
          ports: [
            { name: 'status-port', port: 15021, targetPort: 15021 },
            // Multi-primary: every cluster has its own istiod, so istiod's ports are not exposed here.
            { name: 'tls', port: EASTWEST_GATEWAY.tlsPort, targetPort: EASTWEST_GATEWAY.tlsPort },
          ],
        },
      },
      providesCrds: [],
      requires: gatewayNeeds,
    },
  ];
}
