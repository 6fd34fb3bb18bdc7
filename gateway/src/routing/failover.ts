import type { RetryBudget } from './budget';
import type { Clock } from './clock';
import { type AttemptOutcome, QUEUED_PAST_ATTEMPT_TIMEOUT, type RetryReason, retryVerdict } from './outcome';
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

export type FailoverResult<T> = (
  | { kind: 'response'; provider: string; status: number; payload: T | undefined }
  | {
      kind: 'failed';
      /** Why no upstream answer could be returned. */
      reason: 'no-provider' | 'unreachable' | 'timeout' | 'reset' | 'deadline' | 'cancelled';
    }
) & {
  /** Attempts that ended before the result was decided. */
  attempts: AttemptRecord[];
  /** Providers whose (hedged) attempts were still unanswered when the result was decided. */
  unanswered: string[];
};

/** Attempts shorter than this are not worth starting: they would time out before a round trip. */
const MIN_ATTEMPT_MS = 5;

interface Finished<T> {
  selection: Selection;
  outcome: AttemptOutcome;
  payload: T | undefined;
}

/**
 * Runs one client request across providers: pick the best provider, send, and on a failure that
 * is safe to repeat (see retryVerdict) try a different provider, within the attempt limit, the
 * client's deadline and the retry budget. The last upstream response is returned as-is when no
 * retry is allowed, so clients see the upstream's own error rather than a gateway one.
 *
 * Requests that may be repeated (an Idempotency-Key, or a GET) also hedge: when an attempt has
 * gone unanswered for longer than its provider's slow threshold (registry.slowAfterMs), a second
 * attempt starts on another provider and the first usable answer wins. The attempt left behind is
 * not cancelled: it ends on its own (answer or attempt timeout) and is recorded then, so a hung
 * provider still collects the timeouts that open its breaker.
 */
export async function runWithFailover<T>(
  registry: ProviderRegistry,
  budget: RetryBudget,
  clock: Clock,
  request: FailoverRequest<T>,
): Promise<FailoverResult<T>> {
  const attempts: AttemptRecord[] = [];
  const tried = new Set<string>();
  const running = new Map<Promise<Finished<T>>, { provider: string; startedAt: number }>();
  let newest: Promise<Finished<T>> | undefined;
  budget.recordRequest();

  /** Starts an attempt on the best provider not tried yet; false when there is none or no time. */
  const start = (): boolean => {
    const remaining = request.deadline - clock();
    if (remaining < MIN_ATTEMPT_MS) return false;
    // A selection reserves a breaker slot, so select once, right before sending.
    const selection = registry.select(request.model, request.version, tried);
    if (selection === undefined) return false;
    tried.add(selection.provider);
    // When the client's deadline is what bounds this attempt, a timeout is the client's, not the provider's.
    const endedByClientDeadline = remaining < request.attemptTimeoutMs;
    const startedAt = clock();
    const promise = request
      .send(selection.provider, Math.min(request.attemptTimeoutMs, remaining))
      .then(({ outcome: sent, payload }) => {
        const latencyMs = clock() - startedAt;
        const outcome: AttemptOutcome =
          endedByClientDeadline && endedByItsTimer(sent) ? { kind: 'deadline' } : sent;
        registry.recordAttempt(
          selection.provider,
          selection.admission,
          outcome,
          latencyMs,
          selection.inFlight,
        );
        const record = { provider: selection.provider, outcome, latencyMs, panic: selection.panic };
        attempts.push(record);
        request.onAttempt?.(record);
        return { selection, outcome, payload };
      });
    running.set(promise, { provider: selection.provider, startedAt });
    newest = promise;
    return true;
  };

  /** Another attempt is allowed: attempts left, time left, a provider left, and the retry budget. */
  const mayRetry = (): boolean => {
    if (tried.size > request.maxExtraAttempts) return false;
    if (request.deadline - clock() < MIN_ATTEMPT_MS) return false;
    // Only spend the budget when there is somewhere else to go.
    if (!registry.hasCandidate(request.model, request.version, tried)) return false;
    if (!budget.tryRetry()) {
      request.onBudgetExhausted?.();
      return false;
    }
    return true;
  };

  if (!start()) {
    const reason = request.deadline - clock() < MIN_ATTEMPT_MS ? 'deadline' : 'no-provider';
    return { kind: 'failed', reason, attempts, unanswered: [] };
  }
  let hedging = request.hasIdempotencyKey;
  let last: Finished<T> | undefined;
  while (running.size > 0) {
    const hedgeInMs = hedging && newest !== undefined ? hedgeDelay(running.get(newest)) : undefined;
    const next = await firstOf([...running.keys()], hedgeInMs);
    if (next === 'hedge') {
      const slow = running.get(newest as Promise<Finished<T>>);
      newest = undefined;
      if (slow && mayRetry()) {
        request.onRetry?.(slow.provider, 'slow');
        start();
      } else hedging = false;
      continue;
    }
    running.delete(next.promise);
    if (newest === next.promise) newest = undefined;
    last = next.finished;
    if (last.outcome.kind === 'cancelled') break;
    const verdict = retryVerdict(last.outcome, request.hasIdempotencyKey);
    if (!verdict.retry) break;
    if (mayRetry()) {
      request.onRetry?.(last.selection.provider, verdict.reason);
      if (start()) continue;
    }
    // No retry possible: a hedged attempt still running may yet answer.
  }

  // Copies: attempts left running (hedging) are recorded later and must not change this result.
  const done = {
    attempts: [...attempts],
    unanswered: [...running.values()].map((attempt) => attempt.provider),
  };
  if (last === undefined) return { kind: 'failed', reason: 'deadline', ...done };
  const { outcome } = last;
  switch (outcome.kind) {
    case 'response':
      return {
        kind: 'response',
        provider: last.selection.provider,
        status: outcome.status,
        payload: last.payload,
        ...done,
      };
    case 'not-sent':
      return { kind: 'failed', reason: 'unreachable', ...done };
    case 'timeout':
      return { kind: 'failed', reason: 'timeout', ...done };
    case 'reset-after-send':
      return { kind: 'failed', reason: 'reset', ...done };
    case 'cancelled':
      return { kind: 'failed', reason: 'cancelled', ...done };
    case 'deadline':
      return { kind: 'failed', reason: 'deadline', ...done };
  }

  function hedgeDelay(attempt: { provider: string; startedAt: number } | undefined): number | undefined {
    if (attempt === undefined) return undefined;
    return Math.max(0, registry.slowAfterMs(attempt.provider) - (clock() - attempt.startedAt));
  }
}

/** Did the attempt's own time limit end it (after or before the request was written)? */
function endedByItsTimer(outcome: AttemptOutcome): boolean {
  return (
    outcome.kind === 'timeout' ||
    (outcome.kind === 'not-sent' && outcome.reason === QUEUED_PAST_ATTEMPT_TIMEOUT)
  );
}

/** The first attempt to finish, or 'hedge' when `hedgeInMs` passes first. */
async function firstOf<T>(
  pending: Array<Promise<Finished<T>>>,
  hedgeInMs: number | undefined,
): Promise<{ promise: Promise<Finished<T>>; finished: Finished<T> } | 'hedge'> {
  let timer: NodeJS.Timeout | undefined;
  const contenders: Array<Promise<{ promise: Promise<Finished<T>>; finished: Finished<T> } | 'hedge'>> =
    pending.map((promise) => promise.then((finished) => ({ promise, finished })));
  if (hedgeInMs !== undefined) {
    contenders.push(
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('hedge'), hedgeInMs);
      }),
    );
  }
  try {
    return await Promise.race(contenders);
  } finally {
    clearTimeout(timer);
  }
}
