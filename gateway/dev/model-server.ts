/**
 * A stand-in for one cloud's TF Serving, speaking its REST API with a real (tiny) model:
 *
 *   npm run model-server -- --name aws --port 8501 [--latency-ms N] [--error-rate R]
 *                           [--model-version V] [--host H] [--model-name M ...]
 *
 * Predict (row "instances" or columnar "inputs"), model status and metadata, TF Serving error
 * bodies. Added latency applies to every API response (it models the distance to that cloud);
 * the error rate makes that fraction of predictions fail with 500. Development hooks for tests
 * and benchmarks: GET /-/stats (what this server received) and PUT /-/faults (change latency
 * and error rate at runtime).
 */
import { parseArgs } from 'node:util';
import Fastify, { type FastifyReply } from 'fastify';
import { parseTfServingJson } from '../src/json';
import { type LoadedModel, loadModel } from './model';

export interface StandInOptions {
  name: string;
  host: string;
  port: number;
  latencyMs: number;
  errorRate: number;
  modelVersion: string;
  /**
   * The model names served, all by the same network (a routing table names the fleet's models,
   * the drill's stand-ins answer for them); the model file's own name when absent.
   */
  modelNames?: readonly string[];
}

interface Stats {
  predictRequests: number;
  statusRequests: number;
  /** x-request-id and idempotency-key of recent predictions, oldest first. */
  recentPredictions: Array<{
    requestId: string | undefined;
    idempotencyKey: string | undefined;
    traceparent: string | undefined;
  }>;
  /**
   * Headers of the last prediction, for checking what the gateway forwards. Only predictions
   * count: the gateway's health probes arrive in between and would otherwise overwrite them.
   */
  lastPredictionHeaders: Record<string, string | string[] | undefined>;
}

const RECENT_LIMIT = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startStandIn(options: StandInOptions) {
  const model = await loadModel();
  const faults = { latencyMs: options.latencyMs, errorRate: options.errorRate };
  const stats: Stats = {
    predictRequests: 0,
    statusRequests: 0,
    recentPredictions: [],
    lastPredictionHeaders: {},
  };
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
  const { name: modelName, inputName, outputName, featureCount } = model.file;
  const servedNames = options.modelNames ?? [modelName];

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseTfServingJson(body as string));
    } catch (error) {
      done(
        Object.assign(new Error(`JSON Parse Error: ${(error as Error).message}`), { statusCode: 400 }),
        undefined,
      );
    }
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    reply.code(error.statusCode ?? 500).send({ error: error.message });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'Not Found' }));

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/-/')) return;
    // Counted on arrival, before the added latency: a request that later times out at the
    // gateway has still reached this server, which is what the idempotency tests check.
    if (request.method === 'POST' && request.url.endsWith(':predict')) {
      stats.predictRequests += 1;
      stats.lastPredictionHeaders = { ...request.headers };
      stats.recentPredictions.push({
        requestId: header(request.headers['x-request-id']),
        idempotencyKey: header(request.headers['idempotency-key']),
        traceparent: header(request.headers.traceparent),
      });
      if (stats.recentPredictions.length > RECENT_LIMIT) stats.recentPredictions.shift();
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  });

  const resolveVersion = (model: string, version?: string, label?: string): string => {
    if (!servedNames.includes(model)) throw notFound(`Servable not found for request: Latest(${model})`);
    if (version !== undefined && version !== options.modelVersion) {
      throw notFound(`Servable not found for request: Specific(${model}, ${version})`);
    }
    if (label !== undefined && label !== 'stable') {
      throw notFound(`Unrecognized servable version label: ${label}`);
    }
    return options.modelVersion;
  };

  const status = (version: string) => ({
    model_version_status: [{ version, state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }],
  });
  const metadata = (version: string) => ({
    model_spec: { name: modelName, signature_name: '', version },
    metadata: {
      signature_def: {
        signature_def: {
          serving_default: {
            inputs: { [inputName]: tensorInfo(`serving_default_${inputName}:0`, featureCount) },
            outputs: { [outputName]: tensorInfo('StatefulPartitionedCall:0', model.file.classes.length) },
            method_name: 'tensorflow/serving/predict',
          },
        },
      },
    },
  });

  type ModelParams = { model: string; version?: string };
  app.get<{ Params: ModelParams }>('/v1/models/:model', async (request) => {
    stats.statusRequests += 1;
    return status(resolveVersion(request.params.model));
  });
  app.get<{ Params: ModelParams }>('/v1/models/:model/versions/:version', async (request) => {
    stats.statusRequests += 1;
    return status(resolveVersion(request.params.model, request.params.version));
  });
  app.get<{ Params: ModelParams }>('/v1/models/:model/metadata', async (request) => {
    stats.statusRequests += 1;
    return metadata(resolveVersion(request.params.model));
  });
  app.get<{ Params: ModelParams }>('/v1/models/:model/versions/:version/metadata', async (request) => {
    stats.statusRequests += 1;
    return metadata(resolveVersion(request.params.model, request.params.version));
  });

  const predict = async (
    reply: FastifyReply,
    body: unknown,
    target: string,
    form: 'default' | 'version' | 'label',
    modelInPath?: string,
  ) => {
    if (!target.endsWith(':predict')) throw notFound('Not Found');
    const name = form === 'default' ? target.slice(0, -':predict'.length) : (modelInPath ?? '');
    const qualifier = form === 'default' ? undefined : target.slice(0, -':predict'.length);
    resolveVersion(
      name,
      form === 'version' ? qualifier : undefined,
      form === 'label' ? qualifier : undefined,
    );
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
      return reply.code(500).send({ error: `Internal: injected failure in ${options.name}` });
    }
    return runPrediction(model, body);
  };

  type PredictParams = { target: string; model?: string };
  app.post<{ Params: PredictParams }>('/v1/models/:target', async (request, reply) =>
    predict(reply, request.body, request.params.target, 'default'),
  );
  app.post<{ Params: PredictParams }>('/v1/models/:model/versions/:target', async (request, reply) =>
    predict(reply, request.body, request.params.target, 'version', request.params.model),
  );
  app.post<{ Params: PredictParams }>('/v1/models/:model/labels/:target', async (request, reply) =>
    predict(reply, request.body, request.params.target, 'label', request.params.model),
  );

  app.get('/-/stats', async () => ({
    name: options.name,
    modelVersion: options.modelVersion,
    faults,
    ...stats,
  }));
  app.put<{ Body: { latencyMs?: number; errorRate?: number } }>('/-/faults', async (request) => {
    const { latencyMs, errorRate } = request.body ?? {};
    if (typeof latencyMs === 'number' && latencyMs >= 0) faults.latencyMs = latencyMs;
    if (typeof errorRate === 'number' && errorRate >= 0 && errorRate <= 1) faults.errorRate = errorRate;
    return faults;
  });

  await app.listen({ host: options.host, port: options.port });
  return app;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function notFound(message: string) {
  return Object.assign(new Error(message), { statusCode: 404 });
}

function invalid(message: string) {
  return Object.assign(new Error(message), { statusCode: 400 });
}

function tensorInfo(name: string, width: number) {
  return {
    dtype: 'DT_FLOAT',
    tensor_shape: {
      dim: [
        { size: '-1', name: '' },
        { size: String(width), name: '' },
      ],
      unknown_rank: false,
    },
    name,
  };
}

/**
 * Runs the model on a TF Serving request body. Row format: `instances` is a list of feature
 * rows (or of objects with the input name); the answer is `predictions`. Columnar format:
 * `inputs` is the batch itself (or an object with the input name); the answer is `outputs`.
 */
export function runPrediction(
  model: LoadedModel,
  body: unknown,
): { predictions: number[][] } | { outputs: number[][] } {
  const { inputName, featureCount } = model.file;
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalid('JSON Value: request body must be an object');
  const request = body as Record<string, unknown>;
  const hasInstances = 'instances' in request;
  const hasInputs = 'inputs' in request;
  if (hasInstances === hasInputs)
    throw invalid("Missing 'inputs' or 'instances' key (exactly one is required)");
  if (request.signature_name !== undefined && request.signature_name !== 'serving_default') {
    throw invalid(`Serving signature name: "${String(request.signature_name)}" not found in signature def`);
  }
  if (hasInstances) {
    const instances = request.instances;
    if (!Array.isArray(instances) || instances.length === 0)
      throw invalid('instances must be a non-empty list');
    const rows = instances.map((instance) =>
      instance !== null && typeof instance === 'object' && !Array.isArray(instance)
        ? (instance as Record<string, unknown>)[inputName]
        : instance,
    );
    return { predictions: model.predict(rows.map((row) => featureRow(row, featureCount))) };
  }
  const inputs = request.inputs;
  const batch =
    inputs !== null && typeof inputs === 'object' && !Array.isArray(inputs)
      ? (inputs as Record<string, unknown>)[inputName]
      : inputs;
  if (!Array.isArray(batch) || batch.length === 0)
    throw invalid(`inputs must be a non-empty batch of ${featureCount}-feature rows`);
  return { outputs: model.predict(batch.map((row) => featureRow(row, featureCount))) };
}

function featureRow(row: unknown, featureCount: number): number[] {
  if (!Array.isArray(row) || row.length !== featureCount) {
    throw invalid(
      `Input to reshape is a tensor with the wrong shape: each row needs ${featureCount} numbers`,
    );
  }
  return row.map((value) => {
    // NaN / Infinity arrive as null from the tolerant parser; the model sees NaN like TF would.
    if (value === null) return Number.NaN;
    if (typeof value !== 'number') throw invalid('Input must be numeric (DT_FLOAT)');
    return value;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'latency-ms': { type: 'string', default: '0' },
      'error-rate': { type: 'string', default: '0' },
      'model-version': { type: 'string', default: '1' },
      'model-name': { type: 'string', multiple: true },
    },
  });
  const port = Number(values.port);
  const latencyMs = Number(values['latency-ms']);
  const errorRate = Number(values['error-rate']);
  if (!values.name || !Number.isInteger(port) || port < 0 || port > 65535)
    usage('--name and --port are required');
  if (!(latencyMs >= 0)) usage('--latency-ms must be a non-negative number');
  if (!(errorRate >= 0 && errorRate <= 1)) usage('--error-rate must be between 0 and 1');
  if (!/^[0-9]{1,18}$/.test(values['model-version'] ?? ''))
    usage('--model-version must be a positive integer');
  const app = await startStandIn({
    name: values.name as string,
    host: values.host as string,
    port,
    latencyMs,
    errorRate,
    modelVersion: values['model-version'] as string,
    modelNames: values['model-name'],
  });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`model server ${values.name} listening on http://${values.host}:${boundPort}\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run model-server -- --name NAME --port PORT [--latency-ms N] [--error-rate R] [--model-version V]\n`,
  );
  process.exit(2);
}

if (require.main === module) void main();
