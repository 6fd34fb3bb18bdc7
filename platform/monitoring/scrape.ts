import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Construct } from 'constructs';
import { GATEWAY, ISTIO_NAMESPACE, MODEL_SERVING, PROMETHEUS } from '../mesh/workloads';
import { typedObject } from '../synth/typed';

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
 * every model server, every Envoy of the mesh and istiod.
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
  }
}
