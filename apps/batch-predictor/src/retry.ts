/** Exponential backoff with full jitter: a random delay in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** An error a later attempt may not see: a network error, a timeout, 429 or a 5xx answer. */
export class RetryableError extends Error {}

/** Waits `ms`, or less when `stop` is aborted meanwhile. */
export function sleep(ms: number, stop?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (stop?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      stop?.removeEventListener('abort', done);
      resolve();
    }
    stop?.addEventListener('abort', done, { once: true });
  });
}
