import type { ITelemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { Construct } from 'constructs';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { secretName } from '../../clusters/naming';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import type { HelmRelease } from '../kernel/helm';
import { teamLabels } from '../kernel/pods';
import { typedObject } from '../kernel/typed';
import { ELASTICSEARCH, WRITERS } from '../logging/settings';
import { ISTIO_NAMESPACE } from '../mesh/workloads';
import { CloudSecret } from '../secrets/cloud-secret';
import { tracingChartObjects } from './chart-objects';
import type { CollectorConfig, JaegerChartValues, OtelCollectorChartValues } from './chart-values';
import { TRACING_TEAM, tracingContribution } from './contributes';
import { JAEGER_SERVICE, MESH_TRACING_PROVIDER, OTEL_COLLECTOR, TRACING_NAMESPACE } from './endpoints';

export { JAEGER_SERVICE } from './endpoints';

/** Where the OpenTelemetry collector sends spans. */
export const JAEGER_COLLECTOR = { host: JAEGER_SERVICE.host, otlpPort: JAEGER_SERVICE.otlpGrpc.port };

/**
 * Secrets Jaeger reads, both copied from the cloud secret store into the
 * tracing namespace (a pod cannot mount a Secret of another namespace): the
 * password of the Jaeger user that the log cluster's file realm defines from
 * the same remote key, and the CA of the log cluster's HTTP certificate, the
 * same CA ECK publishes in `logs-es-http-certs-public`.
 */
export const JAEGER_ES_SECRET = 'jaeger-elasticsearch';
export const ES_CA_SECRET = 'elasticsearch-ca';

/** Where Jaeger's pods find the two Secrets' files. */
export const JAEGER_ES_FILES = {
  caDir: '/es-tls',
  caFile: '/es-tls/ca.crt',
  credentialsDir: '/es-credentials',
  passwordFile: '/es-credentials/password',
} as const;

/**
 * The tracing namespace enforces the restricted Pod Security level; the
 * charts' defaults do not meet it, so every pod and container gets these.
 */
const RESTRICTED_POD: IPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};
const RESTRICTED_CONTAINER: ISecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * The collector's pipeline: OTLP in from the gateway and every Envoy, spans
 * stamped with where they were recorded (OpenTelemetry's resource
 * conventions), batched, and sent to Jaeger. Sampling is decided once, where
 * a trace starts (the ingress, from the fleet's ratio), and travels with the
 * W3C `traceparent` header across clouds; the collector keeps what arrives so
 * a trace is never cut in one cluster and kept in another.
 */
export function collectorConfig(cluster: ClusterSpec): CollectorConfig {
  const endpoint = (port: number) => `0.0.0.0:${port}`;
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: endpoint(OTEL_COLLECTOR.grpcPort) },
          http: { endpoint: endpoint(OTEL_COLLECTOR.httpPort) },
        },
      },
    },
    processors: {
      // First in the pipeline: refuses data before the pod runs out of memory.
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      resource: {
        attributes: [
          { key: 'k8s.cluster.name', value: cluster.name, action: 'upsert' },
          { key: 'cloud.provider', value: cluster.cloud, action: 'upsert' },
          { key: 'cloud.region', value: cluster.region, action: 'upsert' },
        ],
      },
      batch: { send_batch_size: 1024, timeout: '5s' },
    },
    exporters: {
      // `otlp_grpc` since collector 0.144.0; `otlp` is only a deprecated alias there.
      'otlp_grpc/jaeger': {
        endpoint: `${JAEGER_COLLECTOR.host}:${JAEGER_COLLECTOR.otlpPort}`,
        // Inside the tracing namespace, which the network policies close to everything but span senders.
        tls: { insecure: true },
        sending_queue: { enabled: true, queue_size: 5000 },
        retry_on_failure: { enabled: true },
      },
    },
    service: {
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'resource', 'batch'],
          exporters: ['otlp_grpc/jaeger'],
        },
      },
    },
  };
}

/**
 * The collector's whole configuration as the chart runs it. It is given as the chart's
 * `alternateConfig`, which the chart renders as it is: a `config` is merged by Helm over the
 * example configuration of the chart's values.yaml (a debug exporter in three pipelines), and the
 * `null`s that would remove it do not survive into the Application (cdk8s drops null values), so
 * the chart's example pipelines would run beside the platform's. What the chart's example gives
 * that the chart itself needs is kept: the health_check extension its probes call on 13133, and
 * the collector's own metrics on 8888, which its ServiceMonitor scrapes.
 */
export function collectorChartConfig(config: CollectorConfig): CollectorConfig {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the collector expands it; the chart sets MY_POD_IP (_pod.tpl).
  const podIp = '${env:MY_POD_IP}';
  return {
    ...config,
    extensions: { ...config.extensions, health_check: { endpoint: `${podIp}:13133` } },
    service: {
      ...config.service,
      extensions: [...(config.service.extensions ?? []), 'health_check'],
      telemetry: {
        metrics: {
          readers: [{ pull: { exporter: { prometheus: { host: podIp, port: 8888 } } } }],
        },
      },
    },
  };
}

/** The OpenTelemetry collector, pinned, as a Deployment behind the Service every sender uses. */
export function collectorRelease(cluster: ClusterSpec): HelmRelease {
  const values: OtelCollectorChartValues = {
    fullnameOverride: OTEL_COLLECTOR.name,
    mode: 'deployment',
    replicaCount: 2,
    podLabels: teamLabels(TRACING_TEAM),
    image: {
      repository: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib',
    },
    resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    podSecurityContext: RESTRICTED_POD,
    securityContext: RESTRICTED_CONTAINER,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    // Only OTLP: the chart's Jaeger and Zipkin receivers are not used.
    ports: {
      'jaeger-compact': { enabled: false },
      'jaeger-thrift': { enabled: false },
      'jaeger-grpc': { enabled: false },
      zipkin: { enabled: false },
      // The collector's own metrics, for its ServiceMonitor.
      metrics: { enabled: true },
    },
    alternateConfig: collectorChartConfig(collectorConfig(cluster)),
    serviceMonitor: { enabled: true },
  };
  return {
    name: OTEL_COLLECTOR.name,
    repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    chart: 'opentelemetry-collector',
    version: '0.170.0',
    namespace: TRACING_NAMESPACE,
    values,
    providesCrds: [],
    requires: ['kube-prometheus-stack'],
  };
}

/**
 * Jaeger v2's own configuration: OTLP in from the collector, spans written to
 * the log cluster's Elasticsearch as the Jaeger user over verified TLS, the
 * query service and UI reading them back, health on 13133 (the chart's
 * probes) and its metrics on 8888 (the port the chart's Service names).
 */
export function jaegerConfig(): CollectorConfig {
  const store = 'log_cluster';
  return {
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: '0.0.0.0:13133' } },
      jaeger_query: { storage: { traces: store } },
      jaeger_storage: {
        backends: {
          [store]: {
            elasticsearch: {
              server_urls: [`https://${ELASTICSEARCH.host}:${ELASTICSEARCH.port}`],
              // No index prefix: spans go to jaeger-span-* and jaeger-service-*, which the writer role covers.
              auth: {
                basic: { username: WRITERS.jaeger.user, password_file: JAEGER_ES_FILES.passwordFile },
              },
              tls: { ca_file: JAEGER_ES_FILES.caFile },
            },
          },
        },
      },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${JAEGER_SERVICE.otlpGrpc.port}` } } },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: store } },
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: {
        resource: { 'service.name': 'jaeger' },
        metrics: {
          level: 'detailed',
          readers: [
            { pull: { exporter: { prometheus: { host: '0.0.0.0', port: JAEGER_SERVICE.metrics.port } } } },
          ],
        },
      },
    },
  };
}

/**
 * The Jaeger release run: the chart's appVersion is 2.19.0, and Jaeger fixes
 * only its newest minor. The configuration keys used here are the same in both.
 */
export const JAEGER_VERSION = '2.20.0';

/** Jaeger v2, pinned: collector, storage and query in one Deployment, spans in the log cluster. */
export function jaegerRelease(fleet: Fleet): HelmRelease {
  const values: JaegerChartValues = {
    userconfig: jaegerConfig(),
    jaeger: {
      image: { tag: JAEGER_VERSION },
      replicas: 2,
      podLabels: teamLabels(TRACING_TEAM),
      // The chart's default is Recreate, which would stop span intake on every change.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      podSecurityContext: RESTRICTED_POD,
      securityContext: RESTRICTED_CONTAINER,
      // Jaeger never calls the Kubernetes API.
      serviceAccount: { automountServiceAccountToken: false },
      extraVolumes: [
        { name: 'es-tls', secret: { secretName: ES_CA_SECRET, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          name: 'es-credentials',
          secret: { secretName: JAEGER_ES_SECRET, items: [{ key: 'password', path: 'password' }] },
        },
      ],
      extraVolumeMounts: [
        { name: 'es-tls', mountPath: JAEGER_ES_FILES.caDir, readOnly: true },
        { name: 'es-credentials', mountPath: JAEGER_ES_FILES.credentialsDir, readOnly: true },
      ],
    },
    storage: {
      type: 'elasticsearch',
      elasticsearch: {
        url: `https://${ELASTICSEARCH.host}:${ELASTICSEARCH.port}`,
        user: WRITERS.jaeger.user,
      },
    },
    // Spans are kept as long as logs.
    esIndexCleaner: {
      enabled: true,
      image: { tag: JAEGER_VERSION },
      numberOfDays: fleet.settings.observability.logs.deleteAfterDays,
      podLabels: teamLabels(TRACING_TEAM),
      schedule: '55 23 * * *',
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      podSecurityContext: RESTRICTED_POD,
      securityContext: RESTRICTED_CONTAINER,
      cmdlineParams: { 'es.tls.enabled': true, 'es.tls.ca': JAEGER_ES_FILES.caFile },
      // The cleaner reads its flags from the environment too (ES_PASSWORD is `--es.password`).
      extraEnv: [
        { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: JAEGER_ES_SECRET, key: 'password' } } },
      ],
      extraSecretMounts: [
        {
          name: 'es-tls',
          secretName: ES_CA_SECRET,
          mountPath: JAEGER_ES_FILES.caFile,
          subPath: 'ca.crt',
          readOnly: true,
        },
      ],
    },
  };
  return {
    name: JAEGER_SERVICE.name,
    repoURL: 'https://jaegertracing.github.io/helm-charts',
    chart: 'jaeger',
    version: '4.11.1',
    namespace: TRACING_NAMESPACE,
    values,
    providesCrds: [],
    requires: ['eck-operator', 'kube-prometheus-stack'],
  };
}

/**
 * Distributed tracing for one cluster: the mesh reports every sidecar's spans
 * to the collector at the fleet's sampling ratio, and Jaeger stores and shows
 * them. Traces cross clouds intact because each hop forwards W3C trace context.
 */
export class TracingChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'tracing', props);
    const { cluster, fleet } = props;
    typedObject<ITelemetry>(this, 'mesh-tracing', {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      // In the root namespace without selector: the mesh-wide default.
      metadata: { name: 'mesh-default', namespace: ISTIO_NAMESPACE },
      spec: {
        tracing: [
          {
            providers: [{ name: MESH_TRACING_PROVIDER }],
            randomSamplingPercentage: fleet.settings.observability.traceSamplingRatio * 100,
          },
        ],
      },
    });
    new CloudSecret(this, 'jaeger-password', {
      name: JAEGER_ES_SECRET,
      namespace: TRACING_NAMESPACE,
      remoteKey: secretName(cluster, 'jaeger-elasticsearch'),
      keys: { password: undefined },
    });
    new CloudSecret(this, 'elasticsearch-ca', {
      name: ES_CA_SECRET,
      namespace: TRACING_NAMESPACE,
      remoteKey: secretName(cluster, 'elasticsearch-http-tls'),
      keys: { 'ca.crt': 'ca.crt' },
    });
    // The jaeger chart 4.x has no ServiceMonitor of its own; its Service names the metrics port.
    typedObject<IServiceMonitor>(this, 'jaeger-metrics', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: JAEGER_SERVICE.name, namespace: TRACING_NAMESPACE },
      spec: {
        selector: {
          matchLabels: {
            'app.kubernetes.io/name': JAEGER_SERVICE.name,
            'app.kubernetes.io/instance': JAEGER_SERVICE.name,
            'app.kubernetes.io/component': 'all-in-one',
          },
        },
        endpoints: [{ port: JAEGER_SERVICE.metrics.name, path: '/metrics', interval: '30s' }],
      },
    });
  }
}

export const tracingComponent: Component = {
  name: 'tracing',
  project: 'platform',
  build: (scope, props) => new TracingChart(scope, props),
  helmReleases: ({ cluster, fleet }) => [collectorRelease(cluster), jaegerRelease(fleet)],
  contributes: () => ({ ...tracingContribution(), chartObjects: tracingChartObjects() }),
};
