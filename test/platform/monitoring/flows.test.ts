import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import { METRICS_SERVER } from '../../../platform/clouds/metrics-server';
import {
  MONITORING_NAMESPACE,
  PROMETHEUS_ADAPTER,
  PUSHGATEWAY,
  PUSHGATEWAY_URL,
} from '../../../platform/monitoring/services';
import { type RenderedResource, renderFleet } from '../../../tools/synth/render';
import { type Destination, NetworkPolicies } from '../network-policies';
import { chartScrapesItself } from './chart-monitors';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const { resources } = renderFleet(fleet);

/** Prometheus' pods, as kube-prometheus-stack labels them. */
const PROMETHEUS_POD = {
  namespace: MONITORING_NAMESPACE,
  labels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'kube-prometheus-stack-prometheus' },
};

/** Container ports the platform does not render but whose numbers are fixed upstream. */
const KNOWN_PORTS: Readonly<Record<string, number>> = { 'http-envoy-prom': 15090 };

const helmSource = (app: RenderedResource | undefined) =>
  (app?.object as { spec: { source: Json } } | undefined)?.spec.source;

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('flows on %s', (name, cluster) => {
  const own = resources.filter((r) => r.cluster === name);
  const policies = new NetworkPolicies(own);
  const app = (release: string) => own.find((r) => r.kind === 'Application' && r.name === release);
  const namespaces = own.filter((r) => r.kind === 'Namespace').map((r) => r.name);
  // The API server calls aggregated APIs from outside the pod network: from the cluster's VPC
  // (EKS control-plane ENIs) or from a range the cloud manages (GKE's, AKS's control planes).
  const apiServers = [{ ip: cluster.network.vpcCidr.replace(/\.0\/\d+$/, '.10') }, { ip: '172.16.0.2' }];

  it('evaluates the policies: what they list passes, what they do not is refused', () => {
    expect(policies.allows(PROMETHEUS_POD, { namespace: 'ml-serving', port: 8501 })).toBe(true);
    // Jobs may push to the Pushgateway, not talk to Prometheus' API.
    expect(
      policies.allows({ namespace: 'ml-serving' }, { namespace: MONITORING_NAMESPACE, port: 9090 }),
    ).toBe(false);
    // Nothing outside the cluster reaches a model server directly.
    expect(policies.allows(apiServers[1], { namespace: 'ml-serving', port: 8501 })).toBe(false);
    // kube-system has no platform policy: open.
    expect(policies.allows(apiServers[0], { namespace: 'kube-system', port: 10250 })).toBe(true);
  });

  describe('aggregated metrics APIs', () => {
    it('serves metrics.k8s.io for CPU-based HPAs: metrics-server from its chart, or the cloud runs it', () => {
      const cpuHpas = own.filter(
        (r) =>
          r.kind === 'HorizontalPodAutoscaler' &&
          ((r.object as Json).spec.metrics ?? []).some((m: Json) => m.type === 'Resource'),
      );
      expect(cpuHpas.length).toBeGreaterThan(0);
      const installed = helmSource(app(METRICS_SERVER.release));
      const cloudRunsIt = profileFor(cluster).resourceMetricsServer() === undefined;
      expect(cloudRunsIt || installed !== undefined).toBe(true);
      if (!cloudRunsIt) {
        expect(installed).toMatchObject({ chart: 'metrics-server', targetRevision: '3.13.1' });
      }
    });

    it('lets the API server reach the Prometheus adapter and metrics-server on their container ports', () => {
      const backends: Destination[] = [];
      const adapter = helmSource(app(PROMETHEUS_ADAPTER.release));
      if (adapter) {
        // The chart's listenPort, 6443 by default in 5.3.0, is what the APIService's Service targets.
        backends.push({
          namespace: MONITORING_NAMESPACE,
          port: adapter.helm.valuesObject.listenPort ?? 6443,
        });
      }
      const metricsServer = helmSource(app(METRICS_SERVER.release));
      if (metricsServer) {
        backends.push({
          namespace: METRICS_SERVER.namespace,
          port: metricsServer.helm.valuesObject.containerPort ?? 10250,
        });
      }
      expect(adapter).toBeDefined();
      const blocked = backends.flatMap((backend) =>
        apiServers
          .filter((apiServer) => !policies.allows(apiServer, backend))
          .map((apiServer) => ({ apiServer, backend })),
      );
      expect(blocked).toEqual([]);
    });
  });

  describe('replication metrics', () => {
    const pushgateway: Destination = {
      namespace: MONITORING_NAMESPACE,
      labels: {
        'app.kubernetes.io/name': PUSHGATEWAY.appName,
        'app.kubernetes.io/instance': PUSHGATEWAY.release,
      },
      port: PUSHGATEWAY.port,
      portName: PUSHGATEWAY.portName,
    };
    const jobs = own.filter((r) => r.kind === 'CronJob' && r.component === 'data-sync');

    it('lets every replication Job push to the Pushgateway it names', () => {
      const values = helmSource(app(PUSHGATEWAY.release))?.helm.valuesObject;
      expect(values).toMatchObject({
        fullnameOverride: PUSHGATEWAY.service,
        service: { port: PUSHGATEWAY.port },
      });
      for (const job of jobs) {
        const template = (job.object as Json).spec.jobTemplate.spec.template;
        expect(template.spec.containers[0].command.join(' ')).toContain(`${PUSHGATEWAY_URL}/metrics/job/`);
        const pod = { namespace: job.namespace as string, labels: template.metadata.labels };
        expect([job.name, policies.allows(pod, pushgateway)]).toEqual([job.name, true]);
      }
    });

    it('scrapes the Pushgateway, keeping the job label the Jobs pushed', () => {
      expect(policies.allows(PROMETHEUS_POD, pushgateway)).toBe(true);
      const monitor = own.find(
        (r) =>
          r.kind === 'ServiceMonitor' &&
          Object.entries((r.object as Json).spec.selector.matchLabels ?? {}).every(
            ([k, v]) => pushgateway.labels?.[k] === v,
          ) &&
          ((r.object as Json).spec.namespaceSelector?.matchNames ?? [r.namespace]).includes(
            MONITORING_NAMESPACE,
          ),
      );
      expect((monitor?.object as Json | undefined)?.spec.endpoints).toEqual([
        expect.objectContaining({ port: PUSHGATEWAY.portName, honorLabels: true }),
      ]);
    });
  });

  describe('scrapes and network policies agree', () => {
    const monitors = own.filter((r) => r.kind === 'ServiceMonitor' || r.kind === 'PodMonitor');
    const meshNamespaces = own
      .filter(
        (r) =>
          r.kind === 'Namespace' && (r.object as Json).metadata.labels?.['istio-injection'] === 'enabled',
      )
      .map((r) => r.name);
    const chartScrapes = own
      .filter((r) => r.kind === 'Application' && chartScrapesItself(helmSource(r)?.helm?.valuesObject))
      .map((r) => ({ name: r.name, namespace: (r.object as Json).spec.destination.namespace as string }));

    /** A port name of a monitor's endpoint, with its number where the target Service renders it. */
    function destinations(monitor: RenderedResource): { namespace: string; destination: Destination }[] {
      const spec = (monitor.object as Json).spec;
      const targets: string[] =
        spec.namespaceSelector?.any === true
          ? meshNamespaces
          : (spec.namespaceSelector?.matchNames ?? [monitor.namespace]);
      const endpoints: Json[] = spec.endpoints ?? spec.podMetricsEndpoints ?? [];
      return targets.flatMap((namespace) =>
        endpoints.map((endpoint) => {
          const service = own.find(
            (r) =>
              r.kind === 'Service' &&
              r.namespace === namespace &&
              Object.entries(spec.selector.matchLabels ?? {}).every(
                ([k, v]) => (r.object as Json).metadata.labels?.[k] === v,
              ),
          );
          const servicePort = ((service?.object as Json | undefined)?.spec.ports ?? []).find(
            (p: Json) => p.name === endpoint.port,
          );
          const target = servicePort?.targetPort ?? servicePort?.port;
          const port = typeof target === 'number' ? target : KNOWN_PORTS[endpoint.port];
          return {
            namespace,
            destination: {
              namespace,
              labels: spec.selector.matchLabels ?? {},
              portName: typeof target === 'string' ? target : endpoint.port,
              ...(port !== undefined ? { port } : {}),
            },
          };
        }),
      );
    }

    it('every configured scrape is allowed by the NetworkPolicies', () => {
      expect(monitors.length).toBeGreaterThan(0);
      const blocked = [
        ...monitors.flatMap((m) => destinations(m).map((d) => ({ monitor: `${m.kind}/${m.name}`, ...d }))),
        // Charts that render their own monitor scrape their own namespace.
        ...chartScrapes.map((c) => ({
          monitor: `chart ${c.name}`,
          namespace: c.namespace,
          destination: { namespace: c.namespace } as Destination,
        })),
      ].filter((d) => !policies.allows(PROMETHEUS_POD, d.destination));
      expect(blocked).toEqual([]);
    });

    it('every namespace that lets Prometheus in is scraped', () => {
      const claimed = namespaces.filter(
        (namespace) =>
          namespace !== MONITORING_NAMESPACE &&
          own
            .filter((r) => r.kind === 'NetworkPolicy' && r.namespace === namespace)
            .some((r) =>
              ((r.object as Json).spec.ingress ?? []).some((rule: Json) =>
                (rule.from ?? []).some(
                  (peer: Json) =>
                    peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ===
                    MONITORING_NAMESPACE,
                ),
              ),
            ),
      );
      expect(claimed.length).toBeGreaterThan(0);
      const aimed = new Set(
        monitors
          .filter((m) => (m.object as Json).spec.namespaceSelector?.any !== true)
          .flatMap((m) => destinations(m).map((d) => d.namespace)),
      );
      const unscraped = claimed.filter(
        (namespace) => !aimed.has(namespace) && !chartScrapes.some((c) => c.namespace === namespace),
      );
      expect(unscraped).toEqual([]);
    });
  });
});
