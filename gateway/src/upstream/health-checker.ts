import { createHash } from 'node:crypto';
import type { ModelReport, ProviderRegistry } from '../routing/registry';
import type { UpstreamClient } from './client';

export interface HealthCheckOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Told about a check that threw; the check counts as failed and the gateway carries on. */
  onError?: (provider: string, error: unknown) => void;
}

/**
 * Deepest nesting of a signature definition the digest follows. TF Serving's are a few levels
 * deep; an answer nested deeper is not a signature and fails the check (walking thousands of
 * levels would overflow the stack).
 */
export const MAX_SIGNATURE_DEPTH = 64;

class TooDeep extends Error {}

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
      await this.runCheck(provider);
    } catch (error) {
      // Nothing a provider answers may crash the gateway: every replica checks every provider.
      this.options.onError?.(provider.name, error);
      this.registry.recordHealthCheck(provider.name, { passed: false });
    } finally {
      this.running.delete(provider.name);
    }
  }

  private async runCheck(provider: ProviderModels): Promise<void> {
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
      const signature = metadata === undefined ? undefined : signatureDigest(metadata);
      if (signature === undefined || versions.length === 0) {
        passed = false;
        break;
      }
      reports.set(model, { versions, signature });
    }
    this.registry.recordHealthCheck(
      provider.name,
      passed ? { passed, latencyMs, models: reports } : { passed },
    );
  }

  private async getJson(provider: string, path: string): Promise<unknown> {
    const { outcome, response } = await this.client.send(provider, {
      method: 'GET',
      path,
      headers: { accept: 'application/json', 'user-agent': 'ml-gateway-health-check' },
      timeoutMs: this.options.timeoutMs,
      pool: 'health',
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
    .map((entry) => canonicalVersion(String(entry.version)))
    .filter((version): version is string => version !== undefined)
    .sort();
}

/** A model version as a canonical decimal ("01" and "1" are the same version), or undefined when it is not one. */
export function canonicalVersion(version: string): string | undefined {
  return /^[0-9]{1,18}$/.test(version) ? BigInt(version).toString() : undefined;
}

/**
 * A digest of the signature definitions in a TF Serving metadata response, independent of key
 * order; undefined when they are nested deeper than MAX_SIGNATURE_DEPTH.
 */
export function signatureDigest(metadata: unknown): string | undefined {
  const signatures =
    (metadata as { metadata?: { signature_def?: unknown } })?.metadata?.signature_def ?? null;
  try {
    return createHash('sha256').update(canonicalJson(signatures, 0)).digest('hex').slice(0, 16);
  } catch (error) {
    if (error instanceof TooDeep) return undefined;
    throw error;
  }
}

function canonicalJson(value: unknown, depth: number): string {
  if (depth > MAX_SIGNATURE_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map(
        (key) =>
          `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key], depth + 1)}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
