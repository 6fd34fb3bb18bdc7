/**
 * The mesh identities and addresses the platform's policies, scrape targets
 * and dashboards refer to. The apps render these workloads; this module is the
 * one place that names them on the platform side, so an AuthorizationPolicy
 * and the ServiceMonitor for the same workload cannot disagree.
 */

/** Istio's trust domain; one for all clusters, so a principal means the same workload in every cloud. */
export const TRUST_DOMAIN = 'cluster.local';

/** The mesh-wide root namespace (istiod, gateways, mesh-wide policies). */
export const ISTIO_NAMESPACE = 'istio-system';

/** A workload's SPIFFE principal as AuthorizationPolicies match it (without the `spiffe://` prefix). */
export function principal(namespace: string, serviceAccount: string): string {
  return `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}

/** The prediction gateway (rendered by the apps). */
export const GATEWAY = {
  namespace: 'ml-platform',
  serviceAccount: 'gateway',
  service: 'gateway',
  /** Label on the gateway's pods and Service. */
  selector: { 'app.kubernetes.io/name': 'gateway' },
  portName: 'http',
  port: 8080,
  metricsPath: '/metrics',
  /**
   * The prediction API (predict, model status, metadata): the only paths reachable from the
   * ingress, besides the readiness behind INGRESS_HEALTH. Operations endpoints (/metrics, /docs,
   * /healthz, /v1/providers) stay in-cluster.
   */
  publicPathPrefix: '/v1/models/',
  /** Readiness: 200 when the gateway can serve predictions. */
  readinessPath: '/readyz',
} as const;

/** Model servers (TF Serving, rendered by the apps): one Service per model. */
export const MODEL_SERVING = {
  namespace: 'ml-serving',
  serviceAccount: 'model-serving',
  /** Label on every model server's pods and Services. */
  selector: { 'app.kubernetes.io/component': 'model-serving' },
  /** Label carrying the model name. */
  modelLabel: 'ml-platform.io/model',
  httpPortName: 'http',
  httpPort: 8501,
  grpcPort: 8500,
  metricsPath: '/monitoring/prometheus/metrics',
} as const;

/** The Istio ingress gateway (Helm release in istio-system). */
export const INGRESS_GATEWAY = {
  release: 'istio-ingress',
  name: 'istio-ingressgateway',
  serviceAccount: 'istio-ingressgateway',
  selector: { istio: 'ingressgateway' },
} as const;

/**
 * The ingress's health answer for the global endpoint's DNS health checks, and for nothing else:
 * plain HTTP on port 80 for any Host (a checker addresses the load balancer, not the API host, so
 * TLS with the API host's SNI cannot be asked of it), one exact path, GET only, answered by the
 * prediction gateway's readiness through this ingress. It fails when the load balancer, the
 * ingress gateway or the prediction gateway of the cluster fails.
 */
export const INGRESS_HEALTH = {
  /** Gateway and VirtualService name. */
  name: 'ingress-health',
  path: '/healthz/ingress',
  port: 80,
  /** Upper bound of one answer; Route 53 wants the status within 2 s of connecting. */
  timeout: '2s',
} as const;

/** The east-west gateway joining this cluster's network to the others. */
export const EASTWEST_GATEWAY = {
  release: 'istio-eastwest',
  name: 'istio-eastwestgateway',
  serviceAccount: 'istio-eastwestgateway',
  selector: { istio: 'eastwestgateway' },
  /** mTLS passthrough port for cross-network service traffic. */
  tlsPort: 15443,
} as const;

/** Prometheus, which joins the mesh only to borrow a workload certificate for scraping STRICT-mTLS pods. */
export const PROMETHEUS = {
  namespace: 'monitoring',
  serviceAccount: 'prometheus',
  /** Where Istio's agent writes the workload certificate inside the Prometheus pod. */
  certDirectory: '/etc/istio-certs',
} as const;
