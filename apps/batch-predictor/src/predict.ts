import type { BatchMetrics } from './metrics';
import { backoffDelay, RetryableError, sleep } from './retry';

export interface PredictClientOptions {
  readonly modelUrl: string;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * TF Serving's REST predict API, row format: `{"instances": [...]}` in,
 * `{"predictions": [...]}` out, one prediction per instance in order (the
 * API the gateway forwards to, gateway/src/routes/proxy.ts, and the stand-in
 * gateway/dev/model-server.ts speaks). Retries with
 * backoff what another attempt may fix; anything else fails at once.
 */
export class PredictClient {
  constructor(
    private readonly options: PredictClientOptions,
    private readonly metrics: BatchMetrics,
  ) {}

  /**
   * The predictions for `instances`. `stop` (SIGTERM) abandons the request in
   * flight and any retry, so that a stopping pod saves its checkpoint within
   * its grace period; the batch is then sent again by the next run.
   */
  async predict(instances: readonly unknown[], requestId: string, stop?: AbortSignal): Promise<unknown[]> {
    const { maxAttempts, retryBaseMs, retryMaxMs } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const predictions = await this.attempt(instances, requestId, stop);
        this.metrics.requests.inc({ outcome: 'success' });
        return predictions;
      } catch (error) {
        if (stop?.aborted) throw new Error(`${requestId}: abandoned, the run is stopping`);
        const retry = error instanceof RetryableError && attempt < maxAttempts;
        this.metrics.requests.inc({ outcome: retry ? 'retryable' : 'failed' });
        if (!retry) {
          throw new Error(
            `${requestId}: predict failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${(error as Error).message}`,
          );
        }
        this.metrics.retries.inc();
        await sleep(backoffDelay(attempt, retryBaseMs, retryMaxMs), stop);
      }
    }
  }

  private async attempt(
    instances: readonly unknown[],
    requestId: string,
    stop?: AbortSignal,
  ): Promise<unknown[]> {
    const endTimer = this.metrics.requestDuration.startTimer();
    let response: Response;
    try {
      response = await fetch(this.options.modelUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId },
        body: JSON.stringify({ instances }),
        signal: stop
          ? AbortSignal.any([stop, AbortSignal.timeout(this.options.requestTimeoutMs)])
          : AbortSignal.timeout(this.options.requestTimeoutMs),
      });
    } catch (error) {
      endTimer();
      const cause = (error as Error & { cause?: Error }).cause;
      throw new RetryableError(`${(error as Error).message}${cause ? ` (${cause.message})` : ''}`);
    }
    const text = await response.text().catch((error: Error) => {
      throw new RetryableError(`reading the answer: ${error.message}`);
    });
    endTimer();
    if (response.status === 429 || response.status >= 500) {
      throw new RetryableError(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`the model server answered invalid JSON: ${text.slice(0, 200)}`);
    }
    const predictions = (body as { predictions?: unknown }).predictions;
    if (!Array.isArray(predictions) || predictions.length !== instances.length) {
      throw new Error(
        `the model server answered ${Array.isArray(predictions) ? `${predictions.length} predictions` : 'no "predictions" list'} for ${instances.length} instances`,
      );
    }
    return predictions;
  }
}
