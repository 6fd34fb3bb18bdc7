/**
 * The batch predictor's command line: one table of options, from which the
 * parser, `--help` and the Job's arguments (apps/model-serving/batch.ts) are
 * all made, so the rendered Job cannot pass an option the program does not read.
 */
import { parseArgs } from 'node:util';

/** The option table: flag name → how it is read and what it means. */
export const OPTIONS = {
  input: {
    value: 'URI',
    required: true,
    help:
      'Prefix holding the input files: s3://bucket/prefix, gs://bucket/prefix, ' +
      'abfss://container@account.dfs.core.windows.net/prefix, or a local directory (file:///dir or /dir).',
  },
  output: {
    value: 'URI',
    required: true,
    help: 'Prefix the predictions are written to (same forms as --input). One output file per input file.',
  },
  'model-url': {
    value: 'URL',
    required: true,
    help: "The model's TF Serving REST predict URL, http(s)://host:port/v1/models/NAME:predict.",
  },
  shards: {
    value: 'N',
    default: '1',
    help: "How many shards the input is split into (the Job's completions).",
  },
  shard: {
    value: 'I',
    env: 'JOB_COMPLETION_INDEX',
    default: '0',
    help: "This process's shard, 0 ≤ I < N. Defaults to $JOB_COMPLETION_INDEX, set by Kubernetes in Indexed Jobs.",
  },
  suffix: { value: 'S', default: '.jsonl', help: 'Only input files whose name ends with S are read.' },
  'batch-size': { value: 'N', default: '64', help: 'Records per predict request.' },
  concurrency: { value: 'N', default: '4', help: 'Predict requests in flight at once.' },
  'max-attempts': {
    value: 'N',
    default: '5',
    help: 'Attempts per request; a network error, timeout, 429 or 5xx is retried, another 4xx is not.',
  },
  'retry-base-ms': {
    value: 'MS',
    default: '200',
    help: 'First retry delay; doubled per attempt, with full jitter.',
  },
  'retry-max-ms': { value: 'MS', default: '10000', help: 'Longest delay between two attempts.' },
  'request-timeout-ms': { value: 'MS', default: '30000', help: 'Time a predict request may take.' },
  'checkpoint-every': {
    value: 'N',
    default: '10',
    help: 'Completed batches between two checkpoint writes (also written on SIGTERM). A resumed shard redoes at most N batches of a file.',
  },
  'pushgateway-url': {
    value: 'URL',
    env: 'PUSHGATEWAY_URL',
    help: 'Pushgateway to push metrics to every 15 s and at the end (job=--job-name, shard=I); none when unset.',
  },
  'job-name': {
    value: 'NAME',
    default: 'batch-predictor',
    help: 'Name the metrics are pushed under (the Kubernetes Job); also in every log line.',
  },
} as const satisfies Record<string, OptionSpec>;

interface OptionSpec {
  /** Placeholder of the value in --help. */
  readonly value: string;
  readonly help: string;
  readonly required?: true;
  readonly default?: string;
  /** Environment variable read when the flag is absent. */
  readonly env?: string;
}

export type OptionName = keyof typeof OPTIONS;

/** Environment variables the program reads (besides each cloud SDK's own credentials chain). */
export const ENVIRONMENT = Object.values(OPTIONS as Record<string, OptionSpec>).flatMap((o) =>
  o.env ? [o.env] : [],
);

/** The options as the program uses them. */
export interface BatchOptions {
  readonly input: string;
  readonly output: string;
  readonly modelUrl: string;
  readonly shards: number;
  readonly shard: number;
  readonly suffix: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly requestTimeoutMs: number;
  readonly checkpointEvery: number;
  readonly pushgatewayUrl: string | undefined;
  readonly jobName: string;
}

/** Bad command line or environment; main() prints it with the usage and exits 2. */
export class UsageError extends Error {}

/** `--help`: every option, its default and its environment variable, and the exit codes. */
export function helpText(): string {
  const lines = [
    'usage: npm run batch-predict -- --input URI --output URI --model-url URL [options]',
    '',
    'Scores one shard of the input files with a TF Serving model and writes one output file per input',
    'file. Input files are JSON Lines: each non-empty line is one instance of the predict API',
    '({"instances": [...]}). Output files have the same name under --output; each line is',
    '{"line": <line number in the input>, "prediction": <the model\'s prediction>}, in input order.',
    'Files are assigned to shards by their position in the sorted listing (file i → shard i mod N).',
    'An output is written once complete (temp + rename locally, create-if-absent in object storage);',
    'an existing output means the file is done. Progress is checkpointed under',
    '--output/_checkpoints/shard-I/, so a restarted shard resumes where it stopped.',
    '',
    'options:',
  ];
  for (const [name, spec] of Object.entries(OPTIONS as Record<string, OptionSpec>)) {
    const extra = [
      spec.required ? 'required' : undefined,
      spec.default !== undefined ? `default ${spec.default}` : undefined,
      spec.env ? `env ${spec.env}` : undefined,
    ].filter(Boolean);
    lines.push(
      `  --${name}=${spec.value}`,
      `      ${spec.help}${extra.length ? ` (${extra.join('; ')})` : ''}`,
    );
  }
  lines.push(
    '  --help',
    '      This text.',
    '',
    "Credentials come from each cloud SDK's default chain: IRSA web identity (AWS), workload identity",
    '(GCP Application Default Credentials), Azure workload identity (AZURE_CLIENT_ID, AZURE_TENANT_ID,',
    'AZURE_FEDERATED_TOKEN_FILE, set by its webhook). S3 uses AWS_REGION and follows region redirects.',
    '',
    'exit codes: 0 shard complete; 1 failed (a request failed after its attempts, storage error, bad',
    'input or model answer); 2 bad options; 143 stopped by SIGTERM after writing the checkpoint.',
  );
  return `${lines.join('\n')}\n`;
}

function integer(name: OptionName, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name}: "${text}" must be an integer ≥ ${min}`);
  }
  return Number(text);
}

function url(name: OptionName, text: string): string {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new UsageError(`--${name}: "${text}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--${name}: "${text}" must be an http or https URL`);
  }
  return text;
}

/** Parses the command line and environment; throws UsageError naming the wrong option. Undefined for --help. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BatchOptions | undefined {
  const specs = OPTIONS as Record<string, OptionSpec>;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(Object.keys(specs).map((name) => [name, { type: 'string' as const }])),
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const get = (name: OptionName): string | undefined => {
    const spec = specs[name];
    const value =
      (values[name] as string | undefined) ?? (spec.env ? env[spec.env] : undefined) ?? spec.default;
    if (value === undefined && spec.required) throw new UsageError(`--${name} is required`);
    return value;
  };
  const shards = integer('shards', get('shards') as string, 1);
  const shard = integer('shard', get('shard') as string, 0);
  if (shard >= shards) throw new UsageError(`--shard: ${shard} must be below --shards (${shards})`);
  const modelUrl = url('model-url', get('model-url') as string);
  if (!new URL(modelUrl).pathname.endsWith(':predict')) {
    throw new UsageError(`--model-url: "${modelUrl}" must be a predict URL ending in :predict`);
  }
  const pushgateway = get('pushgateway-url');
  const retryBaseMs = integer('retry-base-ms', get('retry-base-ms') as string, 0);
  const retryMaxMs = integer('retry-max-ms', get('retry-max-ms') as string, 0);
  if (retryMaxMs < retryBaseMs) {
    throw new UsageError(`--retry-max-ms: ${retryMaxMs} must be ≥ --retry-base-ms (${retryBaseMs})`);
  }
  const jobName = get('job-name') as string;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(jobName)) {
    throw new UsageError(`--job-name: "${jobName}" must be letters, digits, ".", "_" or "-"`);
  }
  return {
    input: get('input') as string,
    output: get('output') as string,
    modelUrl,
    shards,
    shard,
    suffix: get('suffix') as string,
    batchSize: integer('batch-size', get('batch-size') as string, 1),
    concurrency: integer('concurrency', get('concurrency') as string, 1),
    maxAttempts: integer('max-attempts', get('max-attempts') as string, 1),
    retryBaseMs,
    retryMaxMs,
    requestTimeoutMs: integer('request-timeout-ms', get('request-timeout-ms') as string, 1),
    checkpointEvery: integer('checkpoint-every', get('checkpoint-every') as string, 1),
    pushgatewayUrl:
      pushgateway === undefined || pushgateway === '' ? undefined : url('pushgateway-url', pushgateway),
    jobName,
  };
}

/** `--name=value` arguments, for the Job spec: only names the table has. */
export function commandLine(values: Partial<Record<OptionName, string | number>>): string[] {
  return Object.entries(values).flatMap(([name, value]) => {
    if (!(name in OPTIONS)) throw new Error(`batch predictor: no option --${name}`);
    return value === undefined ? [] : [`--${name}=${value}`];
  });
}
