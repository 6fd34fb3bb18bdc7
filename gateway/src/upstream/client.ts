import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import { type AttemptOutcome, QUEUED_PAST_ATTEMPT_TIMEOUT } from '../routing/outcome';

export interface UpstreamTarget {
  name: string;
  url: string;
  /** Sent with every request to this provider (e.g. the header selecting its mesh subset). */
  headers: Record<string, string>;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  /** Path built by the gateway from validated parts, never the client's raw URL. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  /** Aborted when the client disconnects. */
  signal?: AbortSignal;
  /**
   * 'health' sends on the provider's health-check connection, so checks never queue behind
   * predictions in a busy pool (a slow but answering provider would fail its checks).
   */
  pool?: 'traffic' | 'health';
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What one send produced: the outcome, the response when one can be passed on, or why not. */
export interface SendResult {
  outcome: AttemptOutcome;
  response?: UpstreamResponse;
  /** Why an answer the provider gave cannot be passed on (too large, invalid status), for the client's error. */
  problem?: string;
}

export interface UpstreamClientOptions {
  connectTimeoutMs: number;
  connectionsPerProvider: number;
  maxResponseBytes: number;
}

/** Error codes that mean the request never left the gateway: nothing can have been processed. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * One undici connection pool per provider. It sends through the low-level dispatch API rather
 * than `request()` because safe failover depends on knowing whether the request was fully
 * written before the connection failed: dispatch reports `onRequestSent`, `request()` does not.
 */
export class UpstreamClient {
  private readonly pools = new Map<
    string,
    { pool: Pool; healthPool: Pool; target: UpstreamTarget; basePath: string }
  >();

  constructor(
    targets: readonly UpstreamTarget[],
    private readonly options: UpstreamClientOptions,
  ) {
    for (const target of targets) {
      const url = new URL(target.url);
      // A pool is per origin; a path prefix in the URL (e.g. behind a shared ingress) is added to each request.
      const pool = new Pool(url.origin, {
        connections: options.connectionsPerProvider,
        connect: { timeout: options.connectTimeoutMs },
        // Keep-alive shorter than any sane upstream idle timeout, so the gateway closes first.
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 30_000,
      });
      // Health checks of one provider run one request at a time: one connection of their own.
      const healthPool = new Pool(url.origin, {
        connections: 1,
        connect: { timeout: options.connectTimeoutMs },
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 30_000,
      });
      const basePath = url.pathname.replace(/\/$/, '');
      this.pools.set(target.name, { pool, healthPool, target, basePath });
    }
  }

  async send(provider: string, request: UpstreamRequest): Promise<SendResult> {
    const entry = this.pools.get(provider);
    if (!entry) throw new Error(`unknown provider ${provider}`);
    return dispatchOnce(
      request.pool === 'health' ? entry.healthPool : entry.pool,
      {
        ...request,
        path: entry.basePath + request.path,
        headers: { ...request.headers, ...entry.target.headers },
      },
      this.options.maxResponseBytes,
    );
  }

  /** Waits for in-flight requests, then closes every connection. */
  async close(): Promise<void> {
    await Promise.all(this.allPools().map((pool) => pool.close().catch(() => pool.destroy())));
  }

  /** Closes every connection at once, in-flight requests included. */
  async destroy(): Promise<void> {
    await Promise.all(this.allPools().map((pool) => pool.destroy()));
  }

  private allPools(): Pool[] {
    return [...this.pools.values()].flatMap(({ pool, healthPool }) => [pool, healthPool]);
  }
}

class ResponseTooLarge extends Error {}
class InvalidStatus extends Error {}
class AttemptTimeout extends Error {}
class ClientCancelled extends Error {}

function dispatchOnce(pool: Pool, request: UpstreamRequest, maxResponseBytes: number): Promise<SendResult> {
  return new Promise((resolve) => {
    let requestSent = false;
    let settled = false;
    let abortDispatch: ((error?: Error) => void) | undefined;
    let abortReason: Error | undefined;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let receivedBytes = 0;

    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onClientAbort);
      resolve(result);
    };
    const abort = (reason: Error) => {
      abortReason = reason;
      if (abortDispatch) abortDispatch(reason);
      else finish(resultForAbort(reason, requestSent, maxResponseBytes));
    };
    const timer = setTimeout(() => abort(new AttemptTimeout()), request.timeoutMs);
    const onClientAbort = () => abort(new ClientCancelled());
    if (request.signal?.aborted) {
      finish({ outcome: { kind: 'cancelled' } });
      return;
    }
    request.signal?.addEventListener('abort', onClientAbort, { once: true });

    pool.dispatch(
      {
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        // Failover is the gateway's job: undici must not replay the request on its own.
        idempotent: false,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      },
      {
        onConnect(abortFn: (error?: Error) => void) {
          if (abortReason) abortFn(abortReason);
          else abortDispatch = abortFn;
        },
        onRequestSent() {
          requestSent = true;
        },
        onHeaders(statusCode: number, rawHeaders: Buffer[]) {
          status = statusCode;
          // undici passes 1xx interim answers on; a final status outside 200-599 cannot be relayed.
          if (statusCode < 200 || statusCode > 599) {
            abort(new InvalidStatus(`the provider answered with an invalid status (${statusCode})`));
            return false;
          }
          headers = parseRawHeaders(rawHeaders);
          return true;
        },
        onData(chunk: Buffer) {
          receivedBytes += chunk.length;
          if (receivedBytes > maxResponseBytes) {
            abort(new ResponseTooLarge());
            return false;
          }
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          const body = Buffer.concat(chunks);
          const outcome: AttemptOutcome =
            status === 503
              ? { kind: 'response', status, notProcessed: unprocessedUnavailable(headers, body) }
              : { kind: 'response', status };
          finish({ outcome, response: { status, headers, body } });
        },
        onError(error: Error) {
          if (abortReason) {
            finish(resultForAbort(abortReason, requestSent, maxResponseBytes));
            return;
          }
          finish({ outcome: classifyError(error, requestSent, status !== 0) });
        },
      } as never,
    );
  });
}

function resultForAbort(reason: Error, requestSent: boolean, maxResponseBytes: number): SendResult {
  if (reason instanceof ClientCancelled) return { outcome: { kind: 'cancelled' } };
  if (reason instanceof ResponseTooLarge) {
    return {
      outcome: { kind: 'response', status: 502 },
      problem: `the provider's response exceeded ${maxResponseBytes} bytes`,
    };
  }
  if (reason instanceof InvalidStatus)
    return { outcome: { kind: 'response', status: 502 }, problem: reason.message };
  // A timeout before the request was even written (e.g. a saturated pool) did not reach the upstream.
  return {
    outcome: requestSent ? { kind: 'timeout' } : { kind: 'not-sent', reason: QUEUED_PAST_ATTEMPT_TIMEOUT },
  };
}

/**
 * Envoy's local reply when it could not get the request to a provider at all: the connection
 * was never established ("connection failure", "remote connection failure", "local connection
 * failure", "connection timeout"), its circuit breaker refused it ("overflow"), or HTTP/2's
 * REFUSED_STREAM said the stream was not processed ("local/remote refused stream reset"). Other reset
 * reasons, "connection termination" and "remote reset" above all, may come after the request
 * was written and processed.
 */
const ENVOY_NOT_SENT =
  /^upstream connect error or disconnect\/reset before headers\. (?:retried and the latest )?reset reason: (?:connection failure|remote connection failure|local connection failure|connection timeout|overflow|local refused stream reset|remote refused stream reset)\b/;

/**
 * Does this 503 prove the request was not processed, so it may be retried without an
 * Idempotency-Key? Yes when the mesh says it never reached the provider (the Envoy replies
 * above, "no healthy upstream", `x-envoy-overloaded`), or when it is the provider's own overload
 * answer: a 503 with `Retry-After` that is not an Envoy reset reply.
 */
export function unprocessedUnavailable(headers: IncomingHttpHeaders, body: Buffer): boolean {
  if (headers['x-envoy-overloaded'] !== undefined) return true;
  const text = body.subarray(0, 512).toString('utf8').trim();
  if (text === 'no healthy upstream' || ENVOY_NOT_SENT.test(text)) return true;
  if (text.startsWith('upstream connect error or disconnect/reset before headers')) return false;
  return headers['retry-after'] !== undefined;
}

function classifyError(error: Error, requestSent: boolean, responseStarted: boolean): AttemptOutcome {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    // undici's own timers carry the attempt timeout too.
    return requestSent ? { kind: 'timeout' } : { kind: 'not-sent', reason: QUEUED_PAST_ATTEMPT_TIMEOUT };
  }
  if (NOT_SENT_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('CERT_') || !requestSent) {
    return { kind: 'not-sent', reason: code || error.message };
  }
  // Written, then the connection died: the upstream may have processed it (or be mid-response).
  return {
    kind: 'reset-after-send',
    reason: responseStarted ? `${code} during response` : code || error.message,
  };
}

function parseRawHeaders(raw: Buffer[]): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index].toString('latin1').toLowerCase();
    const value = raw[index + 1].toString('latin1');
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[name] = [existing, value];
  }
  return headers;
}
