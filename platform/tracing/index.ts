import type { ITelemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import type { Construct } from 'constructs';
import { secretName } from '../../clusters/naming';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { ELASTICSEARCH, WRITERS } from '../logging/settings';
import { ISTIO_NAMESPACE } from '../mesh/workloads';
import { CloudSecret } from '../secrets/cloud-secret';
import { type Component, type ComponentProps, PlatformChart } from '../synth/chart';
import type { HelmRelease } from '../synth/helm';
import { typedObject } from '../synth/typed';
import { MESH_TRACING_PROVIDER, OTEL_COLLECTOR, TRACING_NAMESPACE } from './endpoints';

/** Jaeger's collector Service, which receives OTLP from the OpenTelemetry collector. */
export const JAEGER_COLLECTOR = {
  host: `jaeger-collector.${TRACING_NAMESPACE}.svc.cluster.local`,
  otlpPort: 4317,
};

/** Secrets Jaeger reads: its Elasticsearch password and the CA of the log cluster's certificate. */
const JAEGER_ES_SECRET = 'jaeger-elasticsearch';
const ES_CA_SECRET = 'elasticsearch-ca';

/**
 * The tracing namespace enforces the restricted Pod Security level; the
 * charts' defaults do not meet it, so every pod and container gets these.
 */
const RESTRICTED_POD = { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } };
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Typed configuration of the OpenTelemetry collector: receivers, processors, exporters, pipelines. */
export interface CollectorConfig {
  readonly receivers: Readonly<Record<string, unknown>>;
  readonly processors: Readonly<Record<string, unknown>>;
  readonly exporters: Readonly<Record<string, unknown>>;
  readonly service: {
    readonly pipelines: Readonly<
      Record<
        string,
        { readonly receivers: string[]; readonly processors: string[]; readonly exporters: string[] }
      >
    >;
  };
}

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
      'otlp/jaeger': {
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
          exporters: ['otlp/jaeger'],
        },
      },
    },
  };
}

/**
 * Helm merges the values over the chart's example configuration; `null`
 * removes what this collector does not run: the other receivers, the debug
 * exporter and the logs and metrics pipelines that only feed it.
 */
function withoutChartExamples(config: CollectorConfig) {
  return {
    ...config,
    receivers: { ...config.receivers, jaeger: null, zipkin: null, prometheus: null },
    exporters: { ...config.exporters, debug: null },
    service: { ...config.service, pipelines: { ...config.service.pipelines, logs: null, metrics: null } },
  };
}

/** The OpenTelemetry collector, pinned, as a Deployment behind the Service every sender uses. */
function collectorRelease(cluster: ClusterSpec): HelmRelease {
  return {
    name: OTEL_COLLECTOR.name,
    repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    chart: 'opentelemetry-collector',
    version: '0.127.2',
    namespace: TRACING_NAMESPACE,
    values: {
      fullnameOverride: OTEL_COLLECTOR.name,
      mode: 'deployment',
      replicaCount: 2,
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
      config: withoutChartExamples(collectorConfig(cluster)),
      serviceMonitor: { enabled: true },
    },
    providesCrds: [],
    requires: ['kube-prometheus-stack'],
  };
}

/** Jaeger, pinned: collector and query, storing spans in the log cluster's Elasticsearch. */
function jaegerRelease(fleet: Fleet): HelmRelease {
  return {
    name: 'jaeger',
    repoURL: 'https://jaegertracing.github.io/helm-charts',
    chart: 'jaeger',
    version: '3.4.1',
    namespace: TRACING_NAMESPACE,
    values: {
      provisionDataStore: { cassandra: false, elasticsearch: false, kafka: false },
      agent: { enabled: false },
      allInOne: { enabled: false },
      storage: {
        type: 'elasticsearch',
        elasticsearch: {
          scheme: 'https',
          host: ELASTICSEARCH.host,
          port: ELASTICSEARCH.port,
          user: WRITERS.jaeger.user,
          usePassword: true,
          existingSecret: JAEGER_ES_SECRET,
          existingSecretKey: 'password',
          // No index prefix: spans go to jaeger-span-* and jaeger-service-*, which the writer role covers.
          tls: { enabled: true, secretName: ES_CA_SECRET, mountPath: '/es-tls/ca.crt', subPath: 'ca.crt' },
        },
      },
      collector: {
        replicaCount: 2,
        resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        service: { otlp: { grpc: { name: 'otlp-grpc', port: JAEGER_COLLECTOR.otlpPort } } },
        serviceMonitor: { enabled: true },
        podSecurityContext: RESTRICTED_POD,
        securityContext: RESTRICTED_CONTAINER,
      },
      query: {
        replicaCount: 2,
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        podSecurityContext: RESTRICTED_POD,
        securityContext: RESTRICTED_CONTAINER,
      },
      // Spans are kept as long as logs.
      esIndexCleaner: {
        enabled: true,
        numberOfDays: fleet.settings.observability.logs.deleteAfterDays,
        schedule: '55 23 * * *',
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
        podSecurityContext: RESTRICTED_POD,
        securityContext: RESTRICTED_CONTAINER,
      },
    },
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
  }
}

export const tracingComponent: Component = {
  name: 'tracing',
  project: 'platform',
  build: (scope, props) => new TracingChart(scope, props),
  helmReleases: ({ cluster, fleet }) => [collectorRelease(cluster), jaegerRelease(fleet)],
};
