/**
 * What happened to one attempt against one provider, in the terms the retry and breaker rules
 * need. The upstream client produces these; nothing here does I/O.
 */
export type AttemptOutcome =
  /** The upstream answered with this status. */
  | { kind: 'response'; status: number }
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
  | { kind: 'cancelled' };

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
      return false;
  }
}

export type RetryVerdict =
  | { retry: true; reason: RetryReason }
  | { retry: false; reason: 'success' | 'final' | 'not-idempotent' };

export type RetryReason = 'not-sent' | 'throttled' | 'unavailable' | 'timeout' | 'bad-gateway' | 'reset';

/**
 * Whether an attempt may be repeated on another provider without risking duplicate work.
 *
 * - Never reached the upstream, 429 or 503: always safe, the upstream did not do the work.
 * - Timeout, 502, 504 or a reset after the request was written: the upstream may have done the
 *   work, so only when the client sent an Idempotency-Key (POST is not idempotent by itself).
 * - Anything else (2xx, 4xx, other 5xx) is the upstream's final answer.
 */
export function retryVerdict(outcome: AttemptOutcome, hasIdempotencyKey: boolean): RetryVerdict {
  switch (outcome.kind) {
    case 'not-sent':
      return { retry: true, reason: 'not-sent' };
    case 'cancelled':
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
      if (status === 503) return { retry: true, reason: 'unavailable' };
      if (status === 502 || status === 504) {
        return hasIdempotencyKey
          ? { retry: true, reason: 'bad-gateway' }
          : { retry: false, reason: 'not-idempotent' };
      }
      return { retry: false, reason: 'final' };
    }
  }
}
