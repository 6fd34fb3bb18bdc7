import type { ClusterSpec, Fleet } from '../../clusters/types';
import { version as GATEWAY_VERSION } from '../../gateway/package.json';
import { type GatewayConfigInput, gatewayConfigSchema } from '../../gateway/src/config';
import { GATEWAY, MODEL_SERVING } from '../../platform/mesh/workloads';
import { OTEL_COLLECTOR } from '../../platform/tracing/endpoints';
import { CLUSTER_HEADER, ROUTER_HOST } from '../model-serving/routing';

/** Where the mounted API-key Secret appears in the gateway's pods. */
export const API_KEYS_FILE = '/etc/gateway/keys/api-keys.json';

/**
 * The gateway's configuration in one cluster, generated from the fleet: one
 * provider per cluster serving models. Every provider is the same mesh
 * address; the header selects the cluster's subset in the mesh, so the
 * gateway stays ignorant of Istio and the mesh of scoring.
 */
export function gatewayConfig(fleet: Fleet, cluster: ClusterSpec): GatewayConfigInput {
  return {
    listen: { host: '0.0.0.0', port: GATEWAY.port },
    providers: fleet.clusters
      .filter((provider) => provider.models.length > 0)
      .map((provider) => ({
        name: provider.name,
        url: `http://${ROUTER_HOST}:${MODEL_SERVING.httpPort}`,
        headers: { [CLUSTER_HEADER]: provider.name },
        costPer1kRequests: provider.gateway.costPer1kRequestsUsd,
        models: provider.models.map((m) => m.model),
      })),
    auth: { apiKeysFile: API_KEYS_FILE },
    tracing: {
      otlpEndpoint: `http://${OTEL_COLLECTOR.host}:${OTEL_COLLECTOR.httpPort}/v1/traces`,
      // Applies only where the gateway starts a trace; behind the ingress the mesh has decided.
      samplingRatio: fleet.settings.observability.traceSamplingRatio,
      resourceAttributes: { 'service.version': GATEWAY_VERSION, 'k8s.cluster.name': cluster.name },
    },
  };
}

/** The config as the gateway will parse it; throws the gateway's own error when it would refuse it. */
export function checkedGatewayConfig(fleet: Fleet, cluster: ClusterSpec): GatewayConfigInput {
  const config = gatewayConfig(fleet, cluster);
  const parsed = gatewayConfigSchema.safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`the generated gateway config for ${cluster.name} would be refused: ${problems}`);
  }
  return config;
}
