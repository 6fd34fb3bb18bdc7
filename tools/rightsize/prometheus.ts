/** One series of an instant-vector answer: its labels and value. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Raised when Prometheus cannot be reached or answers with an error. */
export class PrometheusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusError';
  }
}

/**
 * The instant query endpoint of the Prometheus HTTP API (`/api/v1/query`).
 * The one call right-sizing needs; a client library would bring more than it saves.
 */
export async function instantQuery(
  baseUrl: string,
  query: string,
  options: {
    /** Evaluation time, Unix seconds; Prometheus' "now" when absent. */
    readonly at?: number;
    /** Gives up after this many milliseconds. */
    readonly timeoutMs?: number;
  } = {},
): Promise<Sample[]> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const body = new URLSearchParams({ query });
  if (options.at !== undefined) body.set('time', String(options.at));
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new PrometheusError(`cannot reach Prometheus at ${baseUrl}: ${(error as Error).message}`);
  }
  const payload = (await response.json().catch(() => undefined)) as
    | {
        status: string;
        error?: string;
        data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
      }
    | undefined;
  if (!response.ok || payload?.status !== 'success' || !payload.data) {
    throw new PrometheusError(`Prometheus refused ${query}: ${payload?.error ?? `HTTP ${response.status}`}`);
  }
  if (payload.data.resultType !== 'vector')
    throw new PrometheusError(`expected an instant vector from ${query}, got ${payload.data.resultType}`);
  return payload.data.result.map((series) => ({ labels: series.metric, value: Number(series.value[1]) }));
}
