/**
 * What the tracing charts create that others refer to: jaeger 4.11.1 (jaegertracing/helm-charts
 * tag jaeger-4.11.1, templates/jaeger/jaeger-service.yaml, jaeger-deploy.yaml; release and
 * fullname `jaeger`, all-in-one) and opentelemetry-collector 0.170.0
 * (open-telemetry/opentelemetry-helm-charts tag opentelemetry-collector-0.170.0,
 * templates/service.yaml, _helpers.tpl; `mode: deployment`, `fullnameOverride: otel-collector`,
 * the Jaeger, Zipkin ports off and metrics on, as index.ts sets them).
 */
import type { ChartObjects } from '../kernel/contribution';
import { JAEGER_VALUE_PATHS, OTEL_COLLECTOR_VALUE_PATHS } from './chart-value-paths';
import { JAEGER_SERVICE, OTEL_COLLECTOR, TRACING_NAMESPACE } from './endpoints';

const namespace = TRACING_NAMESPACE;

export function tracingChartObjects(): ChartObjects {
  const jaeger = {
    'app.kubernetes.io/name': 'jaeger',
    'app.kubernetes.io/instance': 'jaeger',
    'app.kubernetes.io/component': 'all-in-one',
  };
  const collector = {
    'app.kubernetes.io/name': 'opentelemetry-collector',
    'app.kubernetes.io/instance': OTEL_COLLECTOR.name,
    component: 'standalone-collector',
  };
  const port = (name: string, number: number) => ({ name, port: number, targetPort: number });
  return {
    releases: [OTEL_COLLECTOR.name, 'jaeger'],
    // opentelemetry-collector 0.170.0 templates/deployment.yaml; jaeger 4.11.1's Deployment and
    // index cleaner CronJob (its other maintenance jobs and spark are off).
    podLabelValues: [
      { release: OTEL_COLLECTOR.name, paths: ['podLabels'] },
      { release: 'jaeger', paths: ['jaeger.podLabels', 'esIndexCleaner.podLabels'] },
    ],
    values: [OTEL_COLLECTOR_VALUE_PATHS, JAEGER_VALUE_PATHS],
    services: [
      {
        namespace,
        name: JAEGER_SERVICE.name,
        selector: jaeger,
        labels: jaeger,
        // The TCP ports of the Service (its UDP agent ports take no part in any flow here).
        ports: [
          port('config-rest', 5778),
          port('http-zipkin', 9411),
          port('grpc-http', 14250),
          port('c-tchan-trft', 14267),
          port('http-c-binary-trft', 14268),
          port(JAEGER_SERVICE.otlpGrpc.name, JAEGER_SERVICE.otlpGrpc.port),
          port('otlp-http', 4318),
          port('http-query', 16686),
          port('grpc-query', 16685),
          port(JAEGER_SERVICE.metrics.name, JAEGER_SERVICE.metrics.port),
          port('span-metrics', 8889),
        ],
      },
      {
        namespace,
        name: OTEL_COLLECTOR.name,
        selector: collector,
        labels: collector,
        ports: [
          port('otlp', OTEL_COLLECTOR.grpcPort),
          port('otlp-http', OTEL_COLLECTOR.httpPort),
          port('metrics', 8888),
        ],
      },
    ],
    pods: [
      { release: 'jaeger', namespace, labels: jaeger, serviceAccount: JAEGER_SERVICE.name },
      {
        release: OTEL_COLLECTOR.name,
        namespace,
        labels: collector,
        ports: [
          { name: 'otlp', port: OTEL_COLLECTOR.grpcPort },
          { name: 'otlp-http', port: OTEL_COLLECTOR.httpPort },
          { name: 'metrics', port: 8888 },
        ],
        serviceAccount: OTEL_COLLECTOR.name,
      },
    ],
    serviceAccounts: [JAEGER_SERVICE.name, OTEL_COLLECTOR.name].map((name) => ({ namespace, name })),
    configMaps: [
      { namespace, name: OTEL_COLLECTOR.name },
      { namespace, name: `${JAEGER_SERVICE.name}-user-config` },
      { namespace, name: `${JAEGER_SERVICE.name}-ui-config` },
    ],
  };
}
