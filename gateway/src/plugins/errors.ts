import type { FastifyError } from 'fastify';
import { GatewayError } from '../errors';
import { globalPlugin } from './plugin';

/**
 * Every error leaves as `{"error": "..."}` with a meaningful status. Fastify's own errors (body
 * too large, bad content type, invalid JSON, schema validation) keep their status; anything
 * unexpected is a 500 whose details go to the log, not to the client.
 */
export const errorsPlugin = globalPlugin(async (app) => {
  app.setErrorHandler((error: FastifyError | GatewayError, request, reply) => {
    if (error instanceof GatewayError) {
      reply.headers(error.headers);
      return reply.code(error.statusCode).send({ error: error.message });
    }
    if ('validation' in error && error.validation) {
      return reply.code(400).send({ error: validationMessage(error) });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: clientErrorMessage(error, status) });
    }
    if (status === 503) return reply.code(503).send({ error: error.message || 'service unavailable' });
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'internal error' });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: `no route for ${request.method} on this path` });
  });
});

function clientErrorMessage(error: FastifyError, status: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'request body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'content-type must be application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'request body is empty';
    default:
      return status === 400 ? error.message || 'bad request' : error.message;
  }
}

function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  if (first?.keyword === 'oneOf' || (first?.keyword === 'required' && error.validationContext === 'body')) {
    return 'body must contain exactly one of "instances" (row format) or "inputs" (columnar format)';
  }
  return error.message;
}
