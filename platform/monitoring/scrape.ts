import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE } from '../../argocd/settings';
import { BACKUP } from '../backup';
import { typedObject } from '../kernel/typed';
import { GATEWAY, ISTIO_NAMESPACE, MODEL_SERVING, PROMETHEUS } from '../mesh/workloads';
import { EXTERNAL_SECRETS } from '../secrets';
import { PUSHGATEWAY } from './services';

type Endpoint = NonNullable<IServiceMonitor['spec']['endpoints']>[number];

/**
 * Scraping a pod behind STRICT mTLS: Prometheus presents the workload
 * certificate its Istio agent writes (it is in the mesh for that alone) and
 * skips the hostname check, since a pod IP is not in a SPIFFE certificate.
 */
function meshTls(): Pick<Endpoint, 'scheme' | 'tlsConfig'> {
  const dir = PROMETHEUS.certDirectory;
  return {
    scheme: 'https',
    tlsConfig: {
      caFile: `${dir}/root-cert.pem`,
      certFile: `${dir}/cert-chain.pem`,
      keyFile: `${dir}/key.pem`,
      insecureSkipVerify: true,
    },
  };
}

export interface ScrapeTargetsProps {
  /** Namespace the monitors live in (Prometheus selects monitors from it). */
  readonly namespace: string;
}

/**
 * What Prometheus scrapes beyond what kube-prometheus-stack brings (its own
 * components, kube-state-metrics, node-exporter, the kubelets): the gateway,
 * every model server, every Envoy of the mesh, istiod, the Pushgateway the
 * replication Jobs report to, and the controllers whose namespaces let
 * Prometheus in (External Secrets, Argo CD). Their pods are outside the mesh
 * and serve plain HTTP; each names its metrics container port `metrics`.
 */
export class ScrapeTargets extends Construct {
  constructor(scope: Construct, id: string, props: ScrapeTargetsProps) {
    super(scope, id);
    const { namespace } = props;
    typedObject<IServiceMonitor>(this, 'gateway', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'gateway', namespace },
      spec: {
        namespaceSelector: { matchNames: [GATEWAY.namespace] },
        selector: { matchLabels: { ...GATEWAY.selector } },
        endpoints: [{ port: GATEWAY.portName, path: GATEWAY.metricsPath, interval: '15s', ...meshTls() }],
      },
    });
    typedObject<IServiceMonitor>(this, 'model-serving', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'model-serving', namespace },
      spec: {
        namespaceSelector: { matchNames: [MODEL_SERVING.namespace] },
        // The per-model Services only: a Service spanning every model would scrape each pod twice.
        selector: {
          matchLabels: { ...MODEL_SERVING.selector },
          matchExpressions: [{ key: MODEL_SERVING.modelLabel, operator: 'Exists' }],
        },
        // Keep the model label of the Service on every series, for per-model dashboards.
        targetLabels: [MODEL_SERVING.modelLabel],
        endpoints: [
          {
            port: MODEL_SERVING.httpPortName,
            path: MODEL_SERVING.metricsPath,
            interval: '15s',
            ...meshTls(),
          },
        ],
      },
    });
    typedObject<IPodMonitor>(this, 'envoy', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'envoy-stats', namespace },
      spec: {
        // Every pod with an Istio sidecar, in any namespace; Envoy's stats port is outside mTLS.
        namespaceSelector: { any: true },
        selector: { matchExpressions: [{ key: 'security.istio.io/tlsMode', operator: 'Exists' }] },
        jobLabel: 'envoy-stats',
        podMetricsEndpoints: [{ port: 'http-envoy-prom', path: '/stats/prometheus', interval: '15s' }],
      },
    });
    typedObject<IServiceMonitor>(this, 'istiod', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'istiod', namespace },
      spec: {
        namespaceSelector: { matchNames: [ISTIO_NAMESPACE] },
        selector: { matchLabels: { app: 'istiod' } },
        endpoints: [{ port: 'http-monitoring', interval: '30s' }],
      },
    });
    typedObject<IServiceMonitor>(this, 'pushgateway', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: PUSHGATEWAY.service, namespace },
      spec: {
        namespaceSelector: { matchNames: [namespace] },
        selector: { matchLabels: { 'app.kubernetes.io/name': PUSHGATEWAY.appName } },
        // The pushed `job` label names the replication Job, not the Pushgateway: keep it.
        endpoints: [{ port: PUSHGATEWAY.portName, interval: '30s', honorLabels: true }],
      },
    });
    typedObject<IPodMonitor>(this, 'external-secrets', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'external-secrets', namespace },
      spec: {
        namespaceSelector: { matchNames: [EXTERNAL_SECRETS.namespace] },
        // The controller, its webhook and its certificate controller: the chart's instance label.
        selector: { matchLabels: { 'app.kubernetes.io/instance': EXTERNAL_SECRETS.release } },
        podMetricsEndpoints: [{ port: EXTERNAL_SECRETS.metricsPortName, interval: '30s' }],
      },
    });
    typedObject<IServiceMonitor>(this, 'velero', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'velero', namespace },
      spec: {
        namespaceSelector: { matchNames: [BACKUP.namespace] },
        // The velero chart's metrics Service (templates/service.yaml at velero-11.4.0).
        selector: {
          matchLabels: { 'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': BACKUP.release },
        },
        endpoints: [{ port: 'http-monitoring', path: '/metrics', interval: '30s' }],
      },
    });
    typedObject<IPodMonitor>(this, 'argocd', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'argocd', namespace },
      spec: {
        namespaceSelector: { matchNames: [ARGOCD_NAMESPACE] },
        // Every Argo CD component of the argo-cd chart; each exposes a container port named `metrics`.
        selector: { matchLabels: { 'app.kubernetes.io/part-of': 'argocd' } },
        podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }],
      },
    });
  }
}
