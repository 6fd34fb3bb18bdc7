import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { globalPlugin } from './plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Aborted when the client disconnects before the response is written. */
    clientGone: AbortSignal;
    /** Set by the proxy: what routing did, for the access log. */
    routing: { provider: string; model: string; attempts: string[] } | undefined;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id to use: the client's when it is a safe token, a new UUID otherwise. */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Answers a request Node's HTTP parser rejected before Fastify saw it (malformed request line or
 * headers, headers too large, a request that took too long to arrive) with the same contract as
 * every other error: `{"error": "..."}`, `x-request-id` and `x-served-by`. Used as Fastify's
 * `clientErrorHandler`.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request was not received in time']
        : [400, 'malformed HTTP request'];
  const body = JSON.stringify({ error: message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${randomUUID()}\r\nx-served-by: gateway\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Request id, client disconnects and the headers every response carries: `x-request-id` and
 * `x-served-by` ("gateway" unless a provider answered).
 */
export const requestContextPlugin = globalPlugin(async (app) => {
  app.decorateRequest('clientGone', undefined as never);
  app.decorateRequest('routing', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const controller = new AbortController();
    request.clientGone = controller.signal;
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    reply.header('x-request-id', request.id);
    reply.header('x-served-by', 'gateway');
  });
  // The access log: one structured line per request, never with credentials or bodies.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        latencyMs: Math.round(reply.elapsedTime * 10) / 10,
        keyId: request.apiKeyId,
        // Joins the log line to the trace in Jaeger.
        traceId: request.span?.spanContext().traceId,
        ...request.routing,
      },
      'request completed',
    );
  });
});
