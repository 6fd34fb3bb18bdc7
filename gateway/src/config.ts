import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * The gateway's configuration file. In a cluster it is generated from the fleet model and
 * mounted from a ConfigMap; locally it is written by `npm run dev` or by hand. JSON or YAML.
 * `GatewayConfigInput` is what a generator must produce (defaults may be left out);
 * `GatewayConfig` is the fully defaulted, validated value the gateway runs with.
 */

const modelName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
    'letters, digits, "_", "." and "-", starting with a letter or digit',
  );

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name');

const providerSchema = z.strictObject({
  /** Stable, short name: a label value in metrics and the value of `x-served-by`. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and "-", at most 32 characters'),
  /** Base URL of the provider's TF Serving REST endpoint (or the mesh address that reaches it). */
  url: z.url({ protocol: /^https?$/ }),
  /**
   * Headers sent with every request to this provider. In the mesh this is the header the
   * DestinationRule matches to pick the subset of that cluster.
   */
  headers: z.record(headerName, z.string()).default({}),
  /** Price of 1000 prediction requests in USD, for scoring and the cost estimate. */
  costPer1kRequests: z.number().nonnegative(),
  models: z.array(modelName).min(1),
});

const weightsSchema = z
  .strictObject({
    latency: z.number().min(0).max(1).default(0.4),
    cost: z.number().min(0).max(1).default(0.3),
    reliability: z.number().min(0).max(1).default(0.3),
  })
  .refine((weights) => Math.abs(weights.latency + weights.cost + weights.reliability - 1) < 1e-6, {
    message: 'score weights must sum to 1',
  });

const positiveMs = z.number().int().positive();

export const gatewayConfigSchema = z
  .strictObject({
    listen: z
      .strictObject({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8080),
      })
      .prefault({}),
    providers: z.array(providerSchema).min(1),
    scoring: z
      .strictObject({
        weights: weightsSchema.prefault({}),
        tieBuffer: z.number().min(0).max(1).default(0.02),
        latencyHalfLifeMs: positiveMs.default(5_000),
        errorWindowMs: positiveMs.default(60_000),
      })
      .prefault({}),
    breaker: z
      .strictObject({
        consecutiveFailures: z.number().int().positive().default(5),
        failureRateThreshold: z.number().gt(0).max(1).default(0.5),
        minimumRequests: z.number().int().positive().default(10),
        windowMs: positiveMs.default(60_000),
        baseEjectionMs: positiveMs.default(30_000),
        maxEjectionMs: positiveMs.default(300_000),
        jitterRatio: z.number().min(0).max(1).default(0.1),
      })
      .prefault({}),
    healthCheck: z
      .strictObject({
        intervalMs: positiveMs.default(5_000),
        timeoutMs: positiveMs.default(2_000),
        unhealthyAfter: z.number().int().positive().default(3),
        healthyAfter: z.number().int().positive().default(2),
      })
      .prefault({}),
    failover: z
      .strictObject({
        maxExtraAttempts: z.number().int().min(0).max(2).default(2),
        retryBudgetRatio: z.number().min(0).max(1).default(0.2),
        retryBudgetMinPerWindow: z.number().int().min(0).default(3),
        retryBudgetWindowMs: positiveMs.default(10_000),
        /**
         * A provider with requests outstanding that has answered nothing for
         * `max(minMs, latencyMultiple × its latency average)` counts as slow (probably hung): it
         * gets no new requests while another provider can take them, and idempotent requests
         * waiting on it hedge to another provider.
         */
        slowProvider: z
          .strictObject({
            latencyMultiple: z.number().min(1).default(10),
            minMs: positiveMs.default(250),
          })
          .prefault({}),
      })
      .prefault({}),
    timeouts: z
      .strictObject({
        /** Deadline for a request that does not send `x-request-timeout-ms`. */
        defaultRequestMs: positiveMs.default(10_000),
        /** Upper bound on what a client may ask for with `x-request-timeout-ms`. */
        maxRequestMs: positiveMs.default(60_000),
        /** Cap on one upstream attempt, so a hung provider leaves time to fail over. */
        attemptMs: positiveMs.default(5_000),
        connectMs: positiveMs.default(1_000),
      })
      .prefault({}),
    limits: z
      .strictObject({
        bodyBytes: z.number().int().positive().default(1_048_576),
        responseBytes: z.number().int().positive().default(8_388_608),
        rateLimit: z
          .strictObject({
            max: z.number().int().positive().default(600),
            windowMs: positiveMs.default(60_000),
          })
          .prefault({}),
        maxEventLoopDelayMs: positiveMs.default(1_000),
        maxHeapUsedBytes: z.number().int().positive().optional(),
        connectionsPerProvider: z.number().int().positive().default(64),
      })
      .prefault({}),
    auth: z
      .strictObject({
        /** File with the API keys (the mounted Secret). `GATEWAY_API_KEYS` is used when this is unset. */
        apiKeysFile: z.string().min(1).optional(),
        /** How often the keys file is checked for changes (a rotated Secret). */
        reloadIntervalMs: positiveMs.default(5_000),
      })
      .prefault({}),
    tracing: z
      .strictObject({
        /**
         * OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`). Unset: spans are not
         * exported, trace context is still propagated.
         */
        otlpEndpoint: z.url({ protocol: /^https?$/ }).optional(),
        /** Share of traces started here (requests without a caller's sampling decision) that are kept. */
        samplingRatio: z.number().min(0).max(1).default(1),
        /** Resource attributes on every span (`service.version`, `k8s.cluster.name`, ...). */
        resourceAttributes: z.record(z.string().min(1), z.string()).default({}),
        exportIntervalMs: positiveMs.default(5_000),
        exportTimeoutMs: positiveMs.default(10_000),
        /** Spans held while the collector is unreachable; beyond this the newest are dropped. */
        maxQueuedSpans: z.number().int().positive().default(4_096),
      })
      .prefault({}),
    /** Redis for the shared rate-limit budget. `REDIS_URL` overrides it. Unset: local memory only. */
    redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
    shutdown: z.strictObject({ drainTimeoutMs: positiveMs.default(25_000) }).prefault({}),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.providers.forEach((provider, index) => {
      if (seen.has(provider.name)) {
        context.addIssue({
          code: 'custom',
          path: ['providers', index, 'name'],
          message: `duplicate provider name "${provider.name}"`,
        });
      }
      seen.add(provider.name);
    });
    if (config.breaker.maxEjectionMs < config.breaker.baseEjectionMs) {
      context.addIssue({
        code: 'custom',
        path: ['breaker', 'maxEjectionMs'],
        message: 'must be at least baseEjectionMs',
      });
    }
    if (config.timeouts.defaultRequestMs > config.timeouts.maxRequestMs) {
      context.addIssue({
        code: 'custom',
        path: ['timeouts', 'defaultRequestMs'],
        message: 'must not exceed maxRequestMs',
      });
    }
  });

export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
export type ProviderConfig = GatewayConfig['providers'][number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates a parsed config object; the error lists every problem with its field path. */
export function parseConfig(raw: unknown, source = 'config'): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new ConfigError(`${source} is invalid:\n${problems.join('\n')}`);
}

/** Reads a JSON or YAML config file, applies `REDIS_URL`, and validates it. */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  const yaml = /\.ya?ml$/i.test(path);
  try {
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    // Only where, never the parser's message: it quotes the text around the error, which may be a password.
    throw new ConfigError(
      `config file ${path} is not valid ${yaml ? 'YAML' : 'JSON'}${syntaxErrorPosition(error, text)}`,
    );
  }
  if (env.REDIS_URL && raw !== null && typeof raw === 'object') raw = { ...raw, redisUrl: env.REDIS_URL };
  return parseConfig(raw, path);
}

/** " at line L, column C" of a JSON or YAML syntax error, or "" when the parser did not say. */
function syntaxErrorPosition(error: unknown, text: string): string {
  const yamlPosition = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
  if (yamlPosition) return ` at line ${yamlPosition.line}, column ${yamlPosition.col}`;
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return ` at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /position (\d+)/.exec(message);
  if (position) {
    const before = text.slice(0, Number(position[1])).split('\n');
    return ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
  }
  return message.includes('Unexpected end of JSON input') ? ' (it ends too early)' : '';
}
