import type { FastifyInstance } from 'fastify';
import type { GatewayCore } from '../core';
import { serviceUnavailable } from '../errors';

/** Probes and metrics bypass overload shedding: a busy gateway must still answer its kubelet. */
const bypassPressure = { pressureHandler: () => undefined };

const providerSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    models: { type: 'array', items: { type: 'string' } },
    costPer1kRequests: { type: 'number' },
    health: { type: 'string', enum: ['unknown', 'healthy', 'unhealthy'] },
    breaker: { type: 'string', enum: ['closed', 'open', 'half-open'] },
    ejections: { type: 'integer' },
    remainingEjectionMs: { type: 'number' },
    latencyMs: { type: ['number', 'null'] },
    errorRate: { type: 'number' },
    requestsInWindow: { type: 'integer' },
    score: {
      type: 'object',
      properties: {
        total: { type: 'number' },
        latency: { type: 'number' },
        cost: { type: 'number' },
        reliability: { type: 'number' },
      },
    },
    skewedModels: { type: 'array', items: { type: 'string' } },
    modelVersions: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
} as const;

export async function opsRoutes(app: FastifyInstance, { core }: { core: GatewayCore }): Promise<void> {
  app.get('/healthz', {
    config: bypassPressure,
    schema: {
      summary: 'Liveness: the process serves HTTP',
      tags: ['operations'],
      response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
    },
    handler: async () => ({ status: 'ok' }),
  });

  app.get('/readyz', {
    config: bypassPressure,
    schema: {
      summary: 'Readiness: at least one provider is healthy and the gateway is not draining',
      tags: ['operations'],
      response: {
        200: {
          type: 'object',
          properties: { status: { type: 'string' }, healthyProviders: { type: 'integer' } },
        },
        503: { $ref: 'GatewayError#' },
      },
    },
    handler: async () => {
      if (core.draining) throw serviceUnavailable('draining for shutdown');
      if (!core.registry.ready) throw serviceUnavailable('no healthy provider');
      const healthyProviders = core.registry
        .snapshot()
        .filter((provider) => provider.health === 'healthy').length;
      return { status: 'ready', healthyProviders };
    },
  });

  app.get('/metrics', {
    config: bypassPressure,
    schema: { summary: 'Prometheus metrics', tags: ['operations'], hide: false },
    handler: async (_request, reply) => {
      reply.header('content-type', core.metrics.register.contentType);
      return core.metrics.register.metrics();
    },
  });

  app.get('/v1/providers', {
    config: { auth: true },
    schema: {
      summary: 'Providers with their models, scores, breaker states and health',
      tags: ['operations'],
      security: [{ apiKey: [] }, { bearer: [] }] as Array<Record<string, string[]>>,
      response: {
        200: { type: 'object', properties: { providers: { type: 'array', items: providerSchema } } },
        401: { $ref: 'GatewayError#' },
        403: { $ref: 'GatewayError#' },
      },
    },
    handler: async () => ({ providers: core.registry.snapshot() }),
  });
}
