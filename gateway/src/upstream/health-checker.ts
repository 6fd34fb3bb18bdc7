import { createHash } from 'node:crypto';
import type { ModelReport, ProviderRegistry } from '../routing/registry';
import type { UpstreamClient } from './client';

export interface HealthCheckOptions {
  intervalMs: number;
  timeoutMs: number;
}

interface ProviderModels {
  name: string;
  models: readonly string[];
}

/**
 * Active health checks: every interval, each provider is asked for the status and metadata of
 * each model it serves (`GET /v1/models/{m}` and `.../metadata`, which TF Serving does not bill
 * as predictions). A check passes when every model has an AVAILABLE version and readable
 * metadata; the versions and a digest of the signatures feed the version-skew comparison.
 */
export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<string>();

  constructor(
    private readonly providers: readonly ProviderModels[],
    private readonly client: UpstreamClient,
    private readonly registry: ProviderRegistry,
    private readonly options: HealthCheckOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Checks every provider once, in parallel; resolves when all checks are recorded. */
  async checkAll(): Promise<void> {
    await Promise.all(this.providers.map((provider) => this.checkProvider(provider)));
  }

  private async checkProvider(provider: ProviderModels): Promise<void> {
    // A check still waiting on a hung provider is not stacked with another one.
    if (this.running.has(provider.name)) return;
    this.running.add(provider.name);
    try {
      const started = performance.now();
      const reports = new Map<string, ModelReport>();
      let passed = true;
      let latencyMs: number | undefined;
      for (const model of provider.models) {
        const status = await this.getJson(provider.name, `/v1/models/${encodeURIComponent(model)}`);
        latencyMs ??= performance.now() - started;
        const metadata =
          status === undefined
            ? undefined
            : await this.getJson(provider.name, `/v1/models/${encodeURIComponent(model)}/metadata`);
        const versions = availableVersions(status);
        if (metadata === undefined || versions.length === 0) {
          passed = false;
          break;
        }
        reports.set(model, { versions, signature: signatureDigest(metadata) });
      }
      this.registry.recordHealthCheck(
        provider.name,
        passed ? { passed, latencyMs, models: reports } : { passed },
      );
    } finally {
      this.running.delete(provider.name);
    }
  }

  private async getJson(provider: string, path: string): Promise<unknown> {
    const { outcome, response } = await this.client.send(provider, {
      method: 'GET',
      path,
      headers: { accept: 'application/json', 'user-agent': 'ml-gateway-health-check' },
      timeoutMs: this.options.timeoutMs,
    });
    if (outcome.kind !== 'response' || outcome.status !== 200 || response === undefined) return undefined;
    try {
      return JSON.parse(response.body.toString('utf8'));
    } catch {
      return undefined;
    }
  }
}

/** Versions reported AVAILABLE in a TF Serving model status response. */
export function availableVersions(status: unknown): string[] {
  const entries = (status as { model_version_status?: unknown })?.model_version_status;
  if (!Array.isArray(entries)) return [];
  return entries
    .filter((entry) => entry?.state === 'AVAILABLE' && entry.version !== undefined)
    .map((entry) => String(entry.version))
    .sort();
}

/** A digest of the signature definitions in a TF Serving metadata response, independent of key order. */
export function signatureDigest(metadata: unknown): string {
  const signatures =
    (metadata as { metadata?: { signature_def?: unknown } })?.metadata?.signature_def ?? null;
  return createHash('sha256').update(canonicalJson(signatures)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
