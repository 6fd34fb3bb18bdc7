import type { RetryBudget } from './budget';
import type { Clock } from './clock';
import { type AttemptOutcome, type RetryReason, retryVerdict } from './outcome';
import type { ProviderRegistry, Selection } from './registry';

export interface AttemptRecord {
  provider: string;
  outcome: AttemptOutcome;
  latencyMs: number;
  panic: boolean;
}

export interface FailoverRequest<T> {
  model: string;
  version: string | undefined;
  hasIdempotencyKey: boolean;
  /** Absolute time (on the injected clock) by which the client needs an answer. */
  deadline: number;
  /** Extra attempts after the first, each on a different provider. */
  maxExtraAttempts: number;
  /** Per-attempt cap; the remaining time to the deadline also caps each attempt. */
  attemptTimeoutMs: number;
  /** Sends one attempt. Must resolve (never reject) with an outcome and, for responses, a payload. */
  send: (provider: string, timeoutMs: number) => Promise<{ outcome: AttemptOutcome; payload?: T }>;
  /** Called before each retry with the reason, for metrics. */
  onRetry?: (from: string, reason: RetryReason) => void;
  onBudgetExhausted?: () => void;
  /** Called as soon as each attempt has an outcome, for metrics. */
  onAttempt?: (attempt: AttemptRecord) => void;
}

export type FailoverResult<T> =
  | { kind: 'response'; provider: string; status: number; payload: T | undefined; attempts: AttemptRecord[] }
  | {
      kind: 'failed';
      /** Why no upstream answer could be returned. */
      reason: 'no-provider' | 'unreachable' | 'timeout' | 'reset' | 'deadline' | 'cancelled';
      attempts: AttemptRecord[];
    };

/** Attempts shorter than this are not worth starting: they would time out before a round trip. */
const MIN_ATTEMPT_MS = 5;

/**
 * Runs one client request across providers: pick the best provider, send, and on a failure that
 * is safe to repeat (see retryVerdict) try a different provider, within the attempt limit, the
 * client's deadline and the retry budget. The last upstream response is returned as-is when no
 * retry is allowed, so clients see the upstream's own error rather than a gateway one.
 */
export async function runWithFailover<T>(
  registry: ProviderRegistry,
  budget: RetryBudget,
  clock: Clock,
  request: FailoverRequest<T>,
): Promise<FailoverResult<T>> {
  const attempts: AttemptRecord[] = [];
  const tried = new Set<string>();
  budget.recordRequest();

  let last: { selection: Selection; outcome: AttemptOutcome; payload: T | undefined } | undefined;
  for (let attempt = 0; attempt <= request.maxExtraAttempts; attempt++) {
    const remaining = request.deadline - clock();
    if (remaining < MIN_ATTEMPT_MS) break;

    if (last !== undefined) {
      const verdict = retryVerdict(last.outcome, request.hasIdempotencyKey);
      if (!verdict.retry) break;
      // Only spend the budget when there is somewhere else to go.
      if (!registry.hasCandidate(request.model, request.version, tried)) break;
      if (!budget.tryRetry()) {
        request.onBudgetExhausted?.();
        break;
      }
      request.onRetry?.(last.selection.provider, verdict.reason);
    }

    // A selection reserves a breaker slot, so select once, right before sending.
    const selection = registry.select(request.model, request.version, tried);
    if (selection === undefined) break;
    tried.add(selection.provider);

    const started = clock();
    const { outcome, payload } = await request.send(
      selection.provider,
      Math.min(request.attemptTimeoutMs, remaining),
    );
    const latencyMs = clock() - started;
    registry.recordAttempt(selection.provider, selection.admission, outcome, latencyMs);
    const record = { provider: selection.provider, outcome, latencyMs, panic: selection.panic };
    attempts.push(record);
    request.onAttempt?.(record);
    last = { selection, outcome, payload };
    if (outcome.kind === 'cancelled') break;
  }

  if (last === undefined) {
    const reason = request.deadline - clock() < MIN_ATTEMPT_MS ? 'deadline' : 'no-provider';
    return { kind: 'failed', reason, attempts };
  }
  const { outcome } = last;
  switch (outcome.kind) {
    case 'response':
      return {
        kind: 'response',
        provider: last.selection.provider,
        status: outcome.status,
        payload: last.payload,
        attempts,
      };
    case 'not-sent':
      return { kind: 'failed', reason: 'unreachable', attempts };
    case 'timeout':
      return { kind: 'failed', reason: 'timeout', attempts };
    case 'reset-after-send':
      return { kind: 'failed', reason: 'reset', attempts };
    case 'cancelled':
      return { kind: 'failed', reason: 'cancelled', attempts };
  }
}
