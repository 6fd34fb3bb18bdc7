/**
 * Where spans go. The mesh's tracing provider, the gateway's OTLP exporter and
 * the network policies all point at this one collector Service.
 */
export const TRACING_NAMESPACE = 'tracing';

/** The OpenTelemetry collector every workload and sidecar exports OTLP to. */
export const OTEL_COLLECTOR = {
  /** Helm release and Service name. */
  name: 'otel-collector',
  namespace: TRACING_NAMESPACE,
  grpcPort: 4317,
  httpPort: 4318,
  host: `otel-collector.${TRACING_NAMESPACE}.svc.cluster.local`,
} as const;

/** Name of the mesh extension provider that sends Envoy's spans to the collector. */
export const MESH_TRACING_PROVIDER = 'otel-collector';

/**
 * Jaeger v2's Service, as the jaeger chart 4.11.1 renders it: named after the
 * release, every port named (`otlp-grpc` receives OTLP from the collector).
 */
export const JAEGER_SERVICE = {
  name: 'jaeger',
  host: `jaeger.${TRACING_NAMESPACE}.svc.cluster.local`,
  otlpGrpc: { name: 'otlp-grpc', port: 4317 },
  /** The collector's own metrics (Jaeger's `service.telemetry` Prometheus reader). */
  metrics: { name: 'internal-metrics', port: 8888 },
} as const;
