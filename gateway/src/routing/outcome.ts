/**
 * What happened to one attempt against one provider, in the terms the retry and breaker rules
 * need. The upstream client produces these; nothing here does I/O.
 */
export type AttemptOutcome =
  /**
   * The upstream answered with this status. `notProcessed` is set on a 503 that proves the request
   * was not processed: a connect failure or overflow reported by the mesh, or the provider's own
   * overload answer (see `unprocessedUnavailable` in the upstream client).
   */
  | { kind: 'response'; status: number; notProcessed?: boolean }
  /**
   * The request provably never reached the upstream: connection refused, DNS failure, TLS
   * handshake failure, connect timeout, or the connection reset before the request was written.
   */
  | { kind: 'not-sent'; reason: string }
  /** The request was written but the connection dropped before any response. It may have been processed. */
  | { kind: 'reset-after-send'; reason: string }
  /** No response within the attempt's time; the upstream may still be processing it. */
  | { kind: 'timeout' }
  /** The client went away; the outcome says nothing about the provider. */
  | { kind: 'cancelled' }
  /**
   * The client's own deadline (`x-request-timeout-ms`) ended the attempt before the gateway's
   * attempt timeout would have: the provider did nothing wrong, so it is neither a failure nor a
   * latency sample.
   */
  | { kind: 'deadline' };

/**
 * The `not-sent` reason of an attempt whose own timer ended it before the request was written
 * (a saturated pool, a slow connect): when that timer is the client's deadline, the provider is
 * not to blame.
 */
export const QUEUED_PAST_ATTEMPT_TIMEOUT = 'queued past the attempt timeout';

/** Outcomes that count against a provider's breaker and error rate: 5xx, 408, 429, connect and timeout errors. */
export function isProviderFailure(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'response':
      return outcome.status >= 500 || outcome.status === 408 || outcome.status === 429;
    case 'not-sent':
    case 'reset-after-send':
    case 'timeout':
      return true;
    case 'cancelled':
    case 'deadline':
      return false;
  }
}

export type RetryVerdict =
  | { retry: true; reason: RetryReason }
  | { retry: false; reason: 'success' | 'final' | 'not-idempotent' };

export type RetryReason =
  | 'not-sent'
  | 'throttled'
  | 'unavailable'
  | 'timeout'
  | 'bad-gateway'
  | 'reset'
  /** The attempt has been unanswered for far longer than the provider's recent latency (hedge). */
  | 'slow';

/**
 * Whether an attempt may be repeated on another provider without risking duplicate work.
 *
 * - Never reached the upstream, 429, or a 503 proving the request was not processed (a connect
 *   failure or overflow reported by the mesh, the provider's own overload answer): always safe.
 * - Timeout, 502, 504, any other 503 (behind the mesh, "upstream connect error or disconnect/reset
 *   before headers. reset reason: connection termination" is a 503 after the request may have
 *   been processed) or a reset after the request was written: only when the client sent an
 *   Idempotency-Key (POST is not idempotent by itself).
 * - Anything else (2xx, 4xx, other 5xx) is the upstream's final answer.
 */
export function retryVerdict(outcome: AttemptOutcome, hasIdempotencyKey: boolean): RetryVerdict {
  switch (outcome.kind) {
    case 'not-sent':
      return { retry: true, reason: 'not-sent' };
    case 'cancelled':
    case 'deadline':
      return { retry: false, reason: 'final' };
    case 'timeout':
      return hasIdempotencyKey
        ? { retry: true, reason: 'timeout' }
        : { retry: false, reason: 'not-idempotent' };
    case 'reset-after-send':
      return hasIdempotencyKey
        ? { retry: true, reason: 'reset' }
        : { retry: false, reason: 'not-idempotent' };
    case 'response': {
      const { status } = outcome;
      if (status < 400) return { retry: false, reason: 'success' };
      if (status === 429) return { retry: true, reason: 'throttled' };
      if (status === 503 && (outcome.notProcessed === true || hasIdempotencyKey)) {
        return { retry: true, reason: 'unavailable' };
      }
      if (status === 502 || status === 503 || status === 504) {
        return hasIdempotencyKey
          ? { retry: true, reason: 'bad-gateway' }
          : { retry: false, reason: 'not-idempotent' };
      }
      return { retry: false, reason: 'final' };
    }
  }
}
