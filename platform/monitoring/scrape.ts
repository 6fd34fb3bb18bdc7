import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Construct } from 'constructs';
import type { ClusterDeclarations, ScrapeTarget } from '../kernel/contribution';
import { typedObject } from '../kernel/typed';
import { PROMETHEUS } from '../mesh/workloads';

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

/** The parts a ServiceMonitor and a PodMonitor share, from a declared scrape target. */
function monitorSpec(target: ScrapeTarget) {
  const exists = target.selectorExists ?? [];
  return {
    namespaceSelector: target.namespaces ? { matchNames: [...target.namespaces] } : { any: true },
    selector: {
      ...(Object.keys(target.selector).length > 0 ? { matchLabels: { ...target.selector } } : {}),
      ...(exists.length > 0 ? { matchExpressions: exists.map((key) => ({ key, operator: 'Exists' })) } : {}),
    },
    ...(target.jobLabel ? { jobLabel: target.jobLabel } : {}),
  };
}

/** The endpoint to scrape: the named port, its path, how often, and mTLS where the target is behind it. */
function endpoint(target: ScrapeTarget) {
  return {
    port: target.port.name,
    ...(target.path ? { path: target.path } : {}),
    interval: target.interval,
    ...(target.honorLabels ? { honorLabels: true } : {}),
    ...(target.meshTls ? meshTls() : {}),
  };
}

export interface ScrapeTargetsProps {
  /** Namespace the monitors live in (Prometheus selects monitors from it). */
  readonly namespace: string;
  /** Every component's declarations: one monitor per declared scrape target. */
  readonly declarations: ClusterDeclarations;
}

/**
 * What Prometheus scrapes beyond what kube-prometheus-stack brings (its own
 * components, kube-state-metrics, node-exporter, the kubelets): one
 * ServiceMonitor or PodMonitor per scrape target a component declares (its
 * contributes.ts). Each target also opens its flow from Prometheus
 * (platform/kernel/flows.ts), so the monitor and the policy cannot disagree.
 */
export class ScrapeTargets extends Construct {
  constructor(scope: Construct, id: string, props: ScrapeTargetsProps) {
    super(scope, id);
    const { namespace } = props;
    for (const contribution of props.declarations.values()) {
      for (const target of contribution.scrapeTargets ?? []) {
        const metadata = { name: target.name, namespace };
        if (target.via === 'service') {
          typedObject<IServiceMonitor>(this, target.name, {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'ServiceMonitor',
            metadata,
            spec: {
              ...monitorSpec(target),
              ...(target.targetLabels ? { targetLabels: [...target.targetLabels] } : {}),
              endpoints: [endpoint(target)],
            },
          });
        } else {
          typedObject<IPodMonitor>(this, target.name, {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'PodMonitor',
            metadata,
            spec: { ...monitorSpec(target), podMetricsEndpoints: [endpoint(target)] },
          });
        }
      }
    }
  }
}
