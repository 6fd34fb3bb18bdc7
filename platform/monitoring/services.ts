/**
 * What runs in the monitoring namespace that other namespaces, the API
 * server or Prometheus reach, with the ports the NetworkPolicies open for it.
 * Plain data, imported by the releases that install these services and by the
 * base component that renders the policies, so the two cannot drift apart.
 */

/** The namespace Prometheus, Alertmanager, Grafana, the adapter and the Pushgateway run in. */
export const MONITORING_NAMESPACE = 'monitoring';

/**
 * The Prometheus adapter serving `custom.metrics.k8s.io`. The API server calls
 * it through its APIService on the container port (chart 5.3.0 `listenPort`,
 * default 6443), which the monitoring NetworkPolicy must let in.
 */
export const PROMETHEUS_ADAPTER = { release: 'prometheus-adapter', listenPort: 6443 } as const;

/**
 * The Pushgateway the replication Jobs report to (short Jobs cannot be
 * scraped). Prometheus scrapes it on the same port; the Service and its port
 * name are the chart's (prometheus-pushgateway 3.8.0: `service.port`, `service.portName`).
 */
export const PUSHGATEWAY = {
  release: 'pushgateway',
  service: 'pushgateway',
  port: 9091,
  portName: 'http',
  /** The chart's selector label `app.kubernetes.io/name` (its chart name). */
  appName: 'prometheus-pushgateway',
} as const;

/** In-cluster URL the Jobs push to. */
export const PUSHGATEWAY_URL = `http://${PUSHGATEWAY.service}.${MONITORING_NAMESPACE}.svc.cluster.local:${PUSHGATEWAY.port}`;

/**
 * Prometheus' Service as kube-prometheus-stack 88.5.3 names it (`fullnameOverride:
 * kube-prometheus-stack`), its web port, and the labels the operator puts on its pods: for the
 * clients that query it in-cluster (the metrics adapter, OpenCost).
 */
export const PROMETHEUS_SERVICE = {
  name: 'kube-prometheus-stack-prometheus',
  port: 9090,
  portName: 'http-web',
  pods: {
    'app.kubernetes.io/name': 'prometheus',
    'operator.prometheus.io/name': 'kube-prometheus-stack-prometheus',
  },
} as const;
