/**
 * What Istio's charts create that the rest of the cluster refers to, read from the charts at the
 * pinned tag (istio/istio 1.30.3, manifests/charts) with the values istio.ts gives them: revision
 * "" (the default), the release names of istio.ts. The cluster checks resolve references into the
 * charts against these (docs/cluster-checks.md).
 */
import type { ClusterSpec } from '../../clusters/types';
import {
  type ChartObjects,
  type ChartPods,
  type ChartService,
  customResourcesOf,
} from '../kernel/contribution';
import {
  ISTIO_BASE_VALUE_PATHS,
  ISTIO_CNI_VALUE_PATHS,
  ISTIO_GATEWAY_VALUE_PATHS,
  ISTIOD_VALUE_PATHS,
} from './chart-value-paths';
import { ISTIO_CNI_RELEASE, ISTIO_CRDS } from './istio';
import { EASTWEST_GATEWAY, INGRESS_GATEWAY, ISTIO_NAMESPACE } from './workloads';

/** istiod's Service and pods (istio-discovery templates/service.yaml, deployment.yaml). */
const ISTIOD_SELECTOR = { app: 'istiod', istio: 'pilot' };
const ISTIOD_SERVICE: ChartService = {
  namespace: ISTIO_NAMESPACE,
  name: 'istiod',
  selector: ISTIOD_SELECTOR,
  labels: { app: 'istiod', istio: 'pilot', 'app.kubernetes.io/name': 'istiod', release: 'istiod' },
  ports: [
    { name: 'grpc-xds', port: 15010 },
    { name: 'https-dns', port: 15012 },
    { name: 'https-webhook', port: 443, targetPort: 15017 },
    { name: 'http-monitoring', port: 15014 },
  ],
};
const ISTIOD_PODS: ChartPods = {
  release: 'istiod',
  namespace: ISTIO_NAMESPACE,
  labels: { ...ISTIOD_SELECTOR, 'istio.io/rev': 'default', 'sidecar.istio.io/inject': 'false' },
  ports: [
    { name: 'http-debug', port: 8080 },
    { name: 'grpc-xds', port: 15010 },
    { name: 'https-dns', port: 15012 },
    { name: 'https-webhooks', port: 15017 },
    { name: 'http-monitoring', port: 15014 },
  ],
  serviceAccount: 'istiod',
};

/**
 * What istiod's webhook controller writes into the validating webhooks once it serves them
 * (pkg/webhooks/validation/controller): the templates render `caBundle: ""` and `failurePolicy:
 * Ignore`, and istiod patches in its CA and `Fail`.
 */
const VALIDATOR_FIELDS_ISTIOD_WRITES = ['.webhooks[]?.failurePolicy', '.webhooks[]?.clientConfig.caBundle'];

/** A gateway release (chart gateway, templates/service.yaml, deployment.yaml, _helpers.tpl). */
function gateway(
  spec: { release: string; name: string; serviceAccount: string; selector: { istio: string } },
  ports: ChartService['ports'],
  network?: string,
): { service: ChartService; pods: ChartPods } {
  const selector = { app: spec.name, istio: spec.selector.istio };
  return {
    service: {
      namespace: ISTIO_NAMESPACE,
      name: spec.name,
      selector,
      labels: {
        ...selector,
        'app.kubernetes.io/name': spec.name,
        ...(network ? { 'topology.istio.io/network': network } : {}),
      },
      ports,
    },
    pods: {
      namespace: ISTIO_NAMESPACE,
      labels: {
        ...selector,
        'sidecar.istio.io/inject': 'true',
        ...(network ? { 'topology.istio.io/network': network } : {}),
      },
      ports: [
        { name: 'http-envoy-prom', port: 15090 },
        { name: 'status-port', port: 15021 },
      ],
      serviceAccount: spec.serviceAccount,
    },
  };
}

/** Everything istio-base, istio-cni, istiod and the two gateways create that others refer to. */
export function meshChartObjects({ cluster }: { cluster: ClusterSpec }): ChartObjects {
  // The values' default service.ports (gateway values.yaml), the ingress keeps them.
  const ingress = gateway(INGRESS_GATEWAY, [
    { name: 'status-port', port: 15021, targetPort: 15021 },
    { name: 'http2', port: 80, targetPort: 80 },
    { name: 'https', port: 443, targetPort: 443 },
  ]);
  // With networkGateway set, the chart exposes networkGatewayPorts instead (values.yaml defaults).
  const eastWest = gateway(
    EASTWEST_GATEWAY,
    [
      { name: 'status-port', port: 15021, targetPort: 15021 },
      { name: 'tls', port: 15443, targetPort: 15443 },
      { name: 'tls-istiod', port: 15012, targetPort: 15012 },
      { name: 'tls-webhook', port: 15017, targetPort: 15017 },
    ],
    cluster.network.meshNetwork,
  );
  return {
    releases: ['istio-base', ISTIO_CNI_RELEASE, 'istiod', INGRESS_GATEWAY.release, EASTWEST_GATEWAY.release],
    // Read at 1.30.3: istiod's and the CNI agent's templates/deployment|daemonset.yaml take
    // `podLabels`, the gateway chart's `labels`; istio-base runs no pod.
    podLabelValues: [
      { release: 'istio-base', paths: [] },
      { release: ISTIO_CNI_RELEASE, paths: ['podLabels'] },
      { release: 'istiod', paths: ['podLabels'] },
      { release: INGRESS_GATEWAY.release, paths: ['labels'] },
      { release: EASTWEST_GATEWAY.release, paths: ['labels'] },
    ],
    values: [ISTIO_BASE_VALUE_PATHS, ISTIO_CNI_VALUE_PATHS, ISTIOD_VALUE_PATHS, ISTIO_GATEWAY_VALUE_PATHS],
    services: [ISTIOD_SERVICE, ingress.service, eastWest.service],
    pods: [
      ISTIOD_PODS,
      ingress.pods,
      eastWest.pods,
      // templates/daemonset.yaml of chart cni: `k8s-app: istio-cni-node`, metrics on 15014.
      {
        release: ISTIO_CNI_RELEASE,
        namespace: ISTIO_NAMESPACE,
        labels: { 'k8s-app': 'istio-cni-node' },
        ports: [{ name: 'metrics', port: 15014 }],
        serviceAccount: 'istio-cni',
        // Host network, host paths and NET_ADMIN: it rewires every pod's network namespace.
        podSecurity: 'privileged',
      },
    ],
    serviceAccounts: [
      { namespace: ISTIO_NAMESPACE, name: 'istiod' },
      { namespace: ISTIO_NAMESPACE, name: 'istio-reader-service-account' },
      { namespace: ISTIO_NAMESPACE, name: 'istio-cni' },
      { namespace: ISTIO_NAMESPACE, name: INGRESS_GATEWAY.serviceAccount },
      { namespace: ISTIO_NAMESPACE, name: EASTWEST_GATEWAY.serviceAccount },
    ],
    customResources: customResourcesOf(ISTIO_CRDS),
    configMaps: [
      { namespace: ISTIO_NAMESPACE, name: 'istio' },
      { namespace: ISTIO_NAMESPACE, name: 'istio-sidecar-injector' },
      { namespace: ISTIO_NAMESPACE, name: 'istio-cni-config' },
    ],
    apiBackends: [
      {
        kind: 'ValidatingWebhookConfiguration',
        name: 'istiod-default-validator',
        release: 'istio-base',
        service: { namespace: ISTIO_NAMESPACE, name: 'istiod', port: 443 },
        rewrittenFields: VALIDATOR_FIELDS_ISTIOD_WRITES,
      },
      {
        kind: 'ValidatingWebhookConfiguration',
        name: `istio-validator-${ISTIO_NAMESPACE}`,
        release: 'istiod',
        service: { namespace: ISTIO_NAMESPACE, name: 'istiod', port: 443 },
        rewrittenFields: VALIDATOR_FIELDS_ISTIOD_WRITES,
      },
      {
        kind: 'MutatingWebhookConfiguration',
        name: 'istio-sidecar-injector',
        release: 'istiod',
        // The template renders no caBundle here unless one is given: nothing for istiod to overwrite.
        service: { namespace: ISTIO_NAMESPACE, name: 'istiod', port: 443 },
      },
    ],
  };
}
