/**
 * What kube-prometheus-stack 88.5.3 creates that the rest of the cluster refers to, read from the
 * chart and its subcharts at that version (prometheus-community/helm-charts tag
 * kube-prometheus-stack-88.5.3: templates/prometheus, alertmanager, prometheus-operator; grafana
 * 12.11.1, kube-state-metrics 8.4.0, prometheus-node-exporter 4.56.1) with the values of stack.ts
 * (`fullnameOverride: kube-prometheus-stack`, the Prometheus ServiceAccount named `prometheus`).
 * The Prometheus and Alertmanager pods are the operator's (it labels them
 * `app.kubernetes.io/name: prometheus|alertmanager`).
 */

import { type ChartObjects, customResourcesOf } from '../kernel/contribution';
import { PROMETHEUS } from '../mesh/workloads';
import { KUBE_PROMETHEUS_STACK_VALUE_PATHS } from './chart-value-paths';
import { MONITORING_NAMESPACE } from './services';
import { PROMETHEUS_OPERATOR_CRDS, PROMETHEUS_STACK_POD_LABELS } from './stack';

const RELEASE = 'kube-prometheus-stack';
const FULLNAME = 'kube-prometheus-stack';
const namespace = MONITORING_NAMESPACE;

const PROMETHEUS_SELECTOR = {
  'app.kubernetes.io/name': 'prometheus',
  'operator.prometheus.io/name': `${FULLNAME}-prometheus`,
};
const ALERTMANAGER_SELECTOR = {
  'app.kubernetes.io/name': 'alertmanager',
  alertmanager: `${FULLNAME}-alertmanager`,
};
const OPERATOR_SELECTOR = { app: `${FULLNAME}-operator`, release: RELEASE };
const GRAFANA_SELECTOR = { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': RELEASE };
const KSM_SELECTOR = {
  'app.kubernetes.io/name': 'kube-state-metrics',
  'app.kubernetes.io/instance': RELEASE,
};
const NODE_EXPORTER_SELECTOR = {
  'app.kubernetes.io/name': 'prometheus-node-exporter',
  'app.kubernetes.io/instance': RELEASE,
};

export function prometheusStackChartObjects(): ChartObjects {
  return {
    releases: [RELEASE],
    podLabelValues: [PROMETHEUS_STACK_POD_LABELS],
    values: [KUBE_PROMETHEUS_STACK_VALUE_PATHS],
    services: [
      {
        namespace,
        name: `${FULLNAME}-prometheus`,
        selector: PROMETHEUS_SELECTOR,
        labels: { app: `${FULLNAME}-prometheus`, release: RELEASE, 'self-monitor': 'true' },
        ports: [
          { name: 'http-web', port: 9090, targetPort: 9090 },
          { name: 'reloader-web', port: 8080, targetPort: 8080 },
        ],
      },
      {
        namespace,
        name: `${FULLNAME}-alertmanager`,
        selector: ALERTMANAGER_SELECTOR,
        labels: { app: `${FULLNAME}-alertmanager`, release: RELEASE, 'self-monitor': 'true' },
        ports: [
          { name: 'http-web', port: 9093, targetPort: 9093 },
          { name: 'reloader-web', port: 8080, targetPort: 8080 },
        ],
      },
      {
        namespace,
        name: `${FULLNAME}-operator`,
        selector: OPERATOR_SELECTOR,
        labels: { app: `${FULLNAME}-operator`, release: RELEASE },
        // prometheusOperator.tls.enabled (default): only the HTTPS port, to the container's `https` (10250).
        ports: [{ name: 'https', port: 443, targetPort: 10250 }],
      },
      {
        namespace,
        name: `${FULLNAME}-grafana`,
        selector: GRAFANA_SELECTOR,
        labels: GRAFANA_SELECTOR,
        ports: [{ name: 'http-web', port: 80, targetPort: 3000 }],
      },
      {
        namespace,
        name: `${FULLNAME}-kube-state-metrics`,
        selector: KSM_SELECTOR,
        labels: { ...KSM_SELECTOR, release: RELEASE },
        ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
      },
      {
        namespace,
        name: `${FULLNAME}-prometheus-node-exporter`,
        selector: NODE_EXPORTER_SELECTOR,
        labels: { ...NODE_EXPORTER_SELECTOR, release: RELEASE },
        ports: [{ name: 'http-metrics', port: 9100, targetPort: 9100 }],
      },
    ],
    pods: [
      {
        namespace,
        // The operator's labels, and the sidecar label stack.ts adds (`prometheusSpec.podMetadata`).
        labels: {
          ...PROMETHEUS_SELECTOR,
          prometheus: `${FULLNAME}-prometheus`,
          'sidecar.istio.io/inject': 'true',
        },
        ports: [{ name: 'web', port: 9090 }],
        serviceAccount: PROMETHEUS.serviceAccount,
      },
      {
        namespace,
        labels: ALERTMANAGER_SELECTOR,
        ports: [{ name: 'http-web', port: 9093 }],
        serviceAccount: `${FULLNAME}-alertmanager`,
      },
      {
        namespace,
        labels: OPERATOR_SELECTOR,
        ports: [{ name: 'https', port: 10250 }],
        serviceAccount: `${FULLNAME}-operator`,
      },
      {
        namespace,
        labels: GRAFANA_SELECTOR,
        ports: [{ name: 'grafana', port: 3000 }],
        serviceAccount: `${FULLNAME}-grafana`,
      },
      {
        namespace,
        labels: KSM_SELECTOR,
        ports: [{ name: 'http', port: 8080 }],
        serviceAccount: `${FULLNAME}-kube-state-metrics`,
      },
      {
        namespace,
        labels: NODE_EXPORTER_SELECTOR,
        ports: [{ name: 'http-metrics', port: 9100 }],
        serviceAccount: `${FULLNAME}-prometheus-node-exporter`,
        // hostNetwork, hostPID and the host's root filesystem (the chart's defaults).
        podSecurity: 'privileged',
      },
    ],
    serviceAccounts: [
      PROMETHEUS.serviceAccount,
      `${FULLNAME}-alertmanager`,
      `${FULLNAME}-operator`,
      `${FULLNAME}-grafana`,
      `${FULLNAME}-kube-state-metrics`,
      `${FULLNAME}-prometheus-node-exporter`,
    ].map((name) => ({ namespace, name })),
    customResources: customResourcesOf(PROMETHEUS_OPERATOR_CRDS),
    apiBackends: (['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'] as const).map(
      (kind) => ({
        kind,
        name: `${FULLNAME}-admission`,
        release: RELEASE,
        // The patch Job writes the CA bundle after install, into a field the template leaves out, so
        // Argo CD's diff never sees it.
        service: { namespace, name: `${FULLNAME}-operator`, port: 443 },
      }),
    ),
  };
}
