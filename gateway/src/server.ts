import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import type { ApiKeyStore } from './auth/keys';
import type { GatewayConfig } from './config';
import { type CoreOptions, createCore, type GatewayCore } from './core';
import { serviceUnavailable } from './errors';
import { authPlugin } from './plugins/auth';
import { bodyPlugin } from './plugins/body';
import { registerDocs } from './plugins/docs';
import { errorsPlugin } from './plugins/errors';
import { registerRateLimit } from './plugins/rate-limit';
import { answerClientError, requestContextPlugin, requestIdFrom } from './plugins/request-context';
import { modelRoutes } from './routes/models';
import { opsRoutes } from './routes/ops';

declare module 'fastify' {
  interface FastifyInstance {
    gateway: GatewayCore;
  }
}

export interface BuildOptions extends CoreOptions {
  apiKeys: ApiKeyStore;
  /** Pino options, or false to disable logging (tests). Defaults to JSON logs at config.logLevel. */
  logger?: boolean | Record<string, unknown>;
  /** Start active health checks when the server is ready (default true). */
  healthChecks?: boolean;
}

/**
 * Builds the gateway: a Fastify instance with every plugin and route registered, not listening.
 * Health checks start on `ready` and everything (checks, upstream pools, Redis) stops on `close`.
 */
export async function buildServer(config: GatewayConfig, options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            // Credentials never reach the logs, whatever a serializer is later changed to print.
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    bodyLimit: config.limits.bodyBytes,
    requestIdHeader: false,
    // One access-log line per request comes from the request-context plugin instead.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
    // Slow clients cannot hold a connection longer than the longest allowed request.
    requestTimeout: config.timeouts.maxRequestMs + 5_000,
    // While draining, new requests get the gateway's own 503 (see the onRequest hook below), in
    // the error contract; Fastify's would have another body and no x-request-id.
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
    // Errors raised before routing (an undecodable URL) get the same body and headers as any other.
    frameworkErrors: (error, request, reply) => {
      (reply as FastifyReply)
        .code(400)
        .header('x-request-id', request.id)
        .header('x-served-by', 'gateway')
        .send({ error: error.code === 'FST_ERR_BAD_URL' ? 'the URL is not validly encoded' : 'bad request' });
    },
    // Validate, never rewrite: the body is forwarded as received, so coercing "5" into [5]
    // would let a malformed request through.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    forceCloseConnections: 'idle',
  });
  const core = createCore(config, {
    ...options,
    onHealthCheckError: (provider, error) =>
      app.log.error({ provider, err: error }, 'health check failed with an exception; counted as failed'),
  });
  app.decorate('gateway', core);
  core.registry.onEvent((event) => {
    switch (event.type) {
      case 'breaker':
        app.log.warn({ provider: event.provider, ...event.transition }, `breaker ${event.transition.to}`);
        break;
      case 'health':
        app.log.warn({ provider: event.provider, health: event.state }, `provider ${event.state}`);
        break;
      case 'slow':
        app.log.warn(
          { provider: event.provider, silentMs: event.silentMs },
          event.slow
            ? 'provider slow: requests outstanding and no answer for far longer than its usual latency; new requests go elsewhere'
            : 'provider no longer slow',
        );
        break;
      case 'skew':
        app.log.warn(
          { provider: event.provider, model: event.model, excluded: event.excluded },
          event.excluded
            ? 'provider excluded: its model versions or signature differ from the other providers'
            : 'provider included again: its model versions and signature match the others',
        );
        break;
    }
  });
  // While draining, responses ask clients to close their connection: a keep-alive connection
  // left open by a finished request would otherwise hold the server open until it times out.
  app.addHook('onSend', async (_request, reply) => {
    if (core.draining) reply.header('connection', 'close');
  });

  await app.register(errorsPlugin);
  await app.register(requestContextPlugin);
  app.addHook('onRequest', async () => {
    if (core.draining) throw serviceUnavailable('draining for shutdown', 1);
  });
  await app.register(underPressure, {
    maxEventLoopDelay: config.limits.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.limits.maxHeapUsedBytes,
    pressureHandler: (_request, reply) => {
      reply.code(503).header('retry-after', '5');
      return { error: 'gateway is overloaded, retry later' } as never;
    },
  });
  await app.register(bodyPlugin);
  await app.register(authPlugin, { keys: options.apiKeys, metrics: core.metrics });
  await registerRateLimit(app, {
    max: config.limits.rateLimit.max,
    windowMs: config.limits.rateLimit.windowMs,
    redisUrl: config.redisUrl,
    metrics: core.metrics,
  });
  await registerDocs(app);
  await app.register(opsRoutes, { core });
  await app.register(modelRoutes, { core });

  if (options.healthChecks !== false) {
    app.addHook('onReady', async () => core.healthChecker.start());
  }
  app.addHook('onClose', async () => {
    core.healthChecker.stop();
    await core.client.close();
    await core.tracing.shutdown();
  });
  return app;
}
