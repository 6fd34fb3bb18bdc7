import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../core';
import {
  badGateway,
  badRequest,
  GatewayError,
  gatewayTimeout,
  notFound,
  serviceUnavailable,
} from '../errors';
import { statusClass } from '../metrics/metrics';
import type { AttemptOutcomeLabel, RequestOutcome } from '../metrics/names';
import { type FailoverResult, runWithFailover } from '../routing/failover';
import type { AttemptOutcome } from '../routing/outcome';
import type { SendResult } from '../upstream/client';
import { type ModelTarget, upstreamPath } from './target';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface ProxyCall {
  target: ModelTarget;
  method: 'GET' | 'POST';
  suffix: '' | '/metadata' | ':predict';
  body?: Buffer;
  /** True for GETs, which may always be retried; a POST becomes retryable only with an Idempotency-Key. */
  idempotent: boolean;
}

/**
 * Sends one client request through failover and writes the reply: the upstream's own status and
 * body when a provider answered, a gateway error otherwise. Records metrics, and what routing did
 * for the access log.
 */
export async function proxy(
  core: GatewayCore,
  request: FastifyRequest,
  reply: FastifyReply,
  call: ProxyCall,
) {
  const { config, registry, budget, client, metrics, tracing, clock } = core;
  const started = clock();
  const deadline =
    started + requestTimeoutMs(request, config.timeouts.defaultRequestMs, config.timeouts.maxRequestMs);
  const idempotencyKey = idempotencyKeyOf(request);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'x-request-id': request.id,
  };
  if (call.body) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const model = call.target.model;
  const path = upstreamPath(call.target, call.suffix);
  const { version } = call.target;
  // A version no provider has is the client's mistake (404), not a passing outage (503).
  if (version !== undefined && !registry.versionExists(model, version)) {
    throw notFound(`model "${model}" has no version ${version}`);
  }
  const hasIdempotencyKey = call.idempotent || idempotencyKey !== undefined;

  const result: FailoverResult<SendResult> = await runWithFailover(registry, budget, clock, {
    model,
    version: call.target.version,
    hasIdempotencyKey,
    deadline,
    maxExtraAttempts: config.failover.maxExtraAttempts,
    attemptTimeoutMs: config.timeouts.attemptMs,
    send: async (provider, timeoutMs) => {
      metrics.upstreamAttemptsStarted.inc({ provider });
      // Each attempt is its own span, so the upstream's spans hang under the attempt that reached it.
      const attempt = tracing.startAttempt(request.span, { provider, model, method: call.method, path });
      const sent = await client.send(provider, {
        method: call.method,
        path,
        headers: { ...headers, ...attempt.headers },
        body: call.body,
        timeoutMs,
        signal: request.clientGone,
      });
      tracing.endAttempt(attempt.span, sent.outcome);
      return { outcome: sent.outcome, payload: sent };
    },
    onRetry: (from, reason) => metrics.failovers.inc({ from_provider: from, reason }),
    onBudgetExhausted: () => metrics.retryBudgetExhausted.inc(),
    onAttempt: (attempt) => {
      metrics.upstreamAttempts.inc({
        provider: attempt.provider,
        model,
        outcome: attemptLabel(attempt.outcome),
      });
      metrics.upstreamDuration.observe({ provider: attempt.provider }, attempt.latencyMs / 1000);
      if (attempt.panic) metrics.panicMode.inc({ model });
      // A provider bills the predictions it answered, whatever the status.
      if (attempt.outcome.kind === 'response' && call.suffix === ':predict') {
        metrics.estimatedCost.inc(
          { provider: attempt.provider },
          registry.costPer1k(attempt.provider) / 1000,
        );
      }
    },
  });

  const elapsedMs = clock() - started;
  const provider = result.kind === 'response' ? result.provider : 'none';
  const outcome = requestOutcome(result);
  const status =
    result.kind === 'response' ? result.status : failureError(result.reason, hasIdempotencyKey).statusCode;
  metrics.requests.inc({ provider, model, outcome, status_class: statusClass(status) });
  metrics.requestDuration.observe({ provider, model, outcome }, elapsedMs / 1000);
  request.routing = {
    provider,
    model,
    attempts: [
      ...result.attempts.map((attempt) => `${attempt.provider}:${attemptLabel(attempt.outcome)}`),
      ...result.unanswered.map((provider) => `${provider}:unanswered`),
    ],
  };

  // Attempts started, including hedged ones still unanswered.
  reply.header('x-gateway-attempts', String(result.attempts.length + result.unanswered.length));
  if (result.kind === 'failed') throw failureError(result.reason, hasIdempotencyKey);
  reply.header('x-served-by', result.provider);
  const upstream = result.payload?.response;
  // The client discards a response it cannot pass on (too large, invalid status) and says why.
  if (upstream === undefined) {
    throw badGateway(`provider ${result.provider}: ${result.payload?.problem ?? 'no usable response'}`);
  }
  const retryAfter = upstream.headers['retry-after'];
  if (result.status >= 400) {
    reply.code(result.status);
    if (typeof retryAfter === 'string') reply.header('retry-after', retryAfter);
    if (!hasErrorBody(upstream.body)) {
      return reply.send({ error: `provider ${result.provider} answered ${result.status}` });
    }
  } else if (!isJson(upstream.headers['content-type'])) {
    // The answer is relayed as JSON; anything else (an HTML page from a proxy) is not a prediction.
    throw badGateway(`provider ${result.provider} answered ${result.status} with a body that is not JSON`);
  } else reply.code(result.status);
  reply.header('content-type', 'application/json; charset=utf-8');
  return reply.send(upstream.body);
}

/** TF Serving labels its answers `application/json`; an answer without a content type is taken as JSON. */
function isJson(contentType: string | string[] | undefined): boolean {
  if (contentType === undefined) return true;
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(value);
}

function requestTimeoutMs(request: FastifyRequest, defaultMs: number, maxMs: number): number {
  const header = request.headers['x-request-timeout-ms'];
  if (header === undefined) return defaultMs;
  const value = typeof header === 'string' && /^[0-9]{1,9}$/.test(header) ? Number(header) : Number.NaN;
  if (!(value >= 1 && value <= maxMs)) {
    throw badRequest(`x-request-timeout-ms must be an integer between 1 and ${maxMs}`);
  }
  return value;
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  return header;
}

function hasErrorBody(body: Buffer): boolean {
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && typeof parsed.error === 'string';
  } catch {
    return false;
  }
}

function failureError(
  reason: Extract<FailoverResult<unknown>, { kind: 'failed' }>['reason'],
  hasIdempotencyKey: boolean,
): GatewayError {
  switch (reason) {
    case 'no-provider':
      return serviceUnavailable('no provider can serve this model right now', 1);
    case 'unreachable':
      return badGateway('no provider could be reached');
    case 'timeout':
      return gatewayTimeout(
        hasIdempotencyKey
          ? 'the provider did not answer in time, and no other provider could answer within the attempt limit, the deadline and the retry budget'
          : 'the provider did not answer in time; the request was not retried because it may have been processed (send an Idempotency-Key to allow a retry)',
      );
    case 'reset':
      return badGateway(
        hasIdempotencyKey
          ? 'the connection to the provider failed after the request was sent, and no other provider could answer within the attempt limit, the deadline and the retry budget'
          : 'the connection to the provider failed after the request was sent; not retried because it may have been processed (send an Idempotency-Key to allow a retry)',
      );
    case 'deadline':
      return gatewayTimeout('the request deadline passed before a provider answered');
    case 'cancelled':
      return new GatewayError(499, 'client closed the request');
  }
}

function requestOutcome(result: FailoverResult<unknown>): RequestOutcome {
  if (result.kind === 'response') {
    if (result.status < 400) return 'success';
    return result.status < 500 ? 'upstream_client_error' : 'upstream_server_error';
  }
  switch (result.reason) {
    case 'no-provider':
      return 'no_provider';
    case 'unreachable':
      return 'unreachable';
    case 'timeout':
    case 'deadline':
      return 'timeout';
    case 'reset':
      return 'reset';
    case 'cancelled':
      return 'cancelled';
  }
}

function attemptLabel(outcome: AttemptOutcome): AttemptOutcomeLabel {
  switch (outcome.kind) {
    case 'response':
      if (outcome.status < 400) return 'success';
      return outcome.status < 500 ? 'client_error' : 'server_error';
    case 'not-sent':
      return 'not_sent';
    case 'reset-after-send':
      return 'reset';
    case 'timeout':
      return 'timeout';
    case 'cancelled':
      return 'cancelled';
    case 'deadline':
      return 'deadline';
  }
}
