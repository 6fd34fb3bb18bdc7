import type { GatewayTracing, Span } from '../tracing';
import { globalPlugin } from './plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span on the prediction API; upstream attempts are its children. */
    span: Span | undefined;
  }
}

/**
 * A server span for every request in the context that registers it: the model routes. Health,
 * readiness, metrics and docs are polled constantly and would drown the traces, so they have none.
 */
export const tracingPlugin = globalPlugin<{ tracing: GatewayTracing }>(async (app, { tracing }) => {
  app.decorateRequest('span', undefined);
  app.addHook('onRequest', async (request) => {
    request.span = tracing.startRequest(request.method, request.url.split('?', 1)[0], request.headers);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!request.span) return;
    tracing.endRequest(request.span, {
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
    });
  });
});
