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
