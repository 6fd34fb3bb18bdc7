import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import type { AttemptOutcome } from '../routing/outcome';

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
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
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
  private readonly pools = new Map<string, { pool: Pool; target: UpstreamTarget; basePath: string }>();

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
      const basePath = url.pathname.replace(/\/$/, '');
      this.pools.set(target.name, { pool, target, basePath });
    }
  }

  async send(
    provider: string,
    request: UpstreamRequest,
  ): Promise<{ outcome: AttemptOutcome; response?: UpstreamResponse }> {
    const entry = this.pools.get(provider);
    if (!entry) throw new Error(`unknown provider ${provider}`);
    return dispatchOnce(
      entry.pool,
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
    await Promise.all([...this.pools.values()].map(({ pool }) => pool.close().catch(() => pool.destroy())));
  }

  /** Closes every connection at once, in-flight requests included. */
  async destroy(): Promise<void> {
    await Promise.all([...this.pools.values()].map(({ pool }) => pool.destroy()));
  }
}

class ResponseTooLarge extends Error {}
class AttemptTimeout extends Error {}
class ClientCancelled extends Error {}

function dispatchOnce(
  pool: Pool,
  request: UpstreamRequest,
  maxResponseBytes: number,
): Promise<{ outcome: AttemptOutcome; response?: UpstreamResponse }> {
  return new Promise((resolve) => {
    let requestSent = false;
    let settled = false;
    let abortDispatch: ((error?: Error) => void) | undefined;
    let abortReason: Error | undefined;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let receivedBytes = 0;

    const finish = (result: { outcome: AttemptOutcome; response?: UpstreamResponse }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onClientAbort);
      resolve(result);
    };
    const abort = (reason: Error) => {
      abortReason = reason;
      if (abortDispatch) abortDispatch(reason);
      else finish({ outcome: outcomeForAbort(reason, requestSent) });
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
          finish({
            outcome: { kind: 'response', status },
            response: { status, headers, body: Buffer.concat(chunks) },
          });
        },
        onError(error: Error) {
          if (abortReason) {
            finish({ outcome: outcomeForAbort(abortReason, requestSent) });
            return;
          }
          finish({ outcome: classifyError(error, requestSent, status !== 0) });
        },
      } as never,
    );
  });
}

function outcomeForAbort(reason: Error, requestSent: boolean): AttemptOutcome {
  if (reason instanceof ClientCancelled) return { kind: 'cancelled' };
  if (reason instanceof ResponseTooLarge) return { kind: 'response', status: 502 };
  // A timeout before the request was even written (e.g. a saturated pool) did not reach the upstream.
  return requestSent ? { kind: 'timeout' } : { kind: 'not-sent', reason: 'queued past the attempt timeout' };
}

function classifyError(error: Error, requestSent: boolean, responseStarted: boolean): AttemptOutcome {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return requestSent ? { kind: 'timeout' } : { kind: 'not-sent', reason: code };
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
