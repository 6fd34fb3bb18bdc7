import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../core';
import { tracingPlugin } from '../plugins/tracing';
import { proxy } from './proxy';
import { type ModelTarget, splitVerb, validateTarget } from './target';

const errorResponses = {
  400: { $ref: 'GatewayError#' },
  401: { $ref: 'GatewayError#' },
  403: { $ref: 'GatewayError#' },
  404: { $ref: 'GatewayError#' },
  429: { $ref: 'GatewayError#' },
  502: { $ref: 'GatewayError#' },
  503: { $ref: 'GatewayError#' },
  504: { $ref: 'GatewayError#' },
} as const;

const commonHeaders = {
  type: 'object',
  properties: {
    'x-request-id': {
      type: 'string',
      description: 'Echoed back; generated when absent or not a safe token.',
    },
    'x-request-timeout-ms': {
      type: 'string',
      description: 'Deadline for the whole request, failover included.',
    },
    'idempotency-key': {
      type: 'string',
      description:
        'Allows a retry on another provider after a timeout, a 502/504, a 503 that may have been processed or a reset, and hedging away from a slow provider.',
    },
    traceparent: { type: 'string', description: 'W3C trace context, propagated upstream.' },
  },
} as const;

const predictBody = {
  type: 'object',
  description: 'TF Serving predict request: "instances" (row format) or "inputs" (columnar), never both.',
  properties: {
    signature_name: { type: 'string', maxLength: 256 },
    instances: { type: 'array' },
    inputs: { anyOf: [{ type: 'array' }, { type: 'object' }] },
  },
  oneOf: [{ required: ['instances'] }, { required: ['inputs'] }],
} as const;

const predictResponse = {
  200: {
    description: "The provider's TF Serving response, passed through.",
    type: 'object',
    additionalProperties: true,
    properties: { predictions: {}, outputs: {} },
  },
  ...errorResponses,
} as const;

const segment = { type: 'string', maxLength: 256 } as const;
const predictTarget = {
  type: 'string',
  maxLength: 256,
  description:
    'The last path segment with its verb: "{model}:predict", "{version}:predict" or "{label}:predict".',
} as const;

const security: Array<Record<string, string[]>> = [{ apiKey: [] }, { bearer: [] }];

type Params = { model?: string; target: string };

/** The TF Serving REST API: predict, model status and metadata, routed to the best provider. */
export async function modelRoutes(app: FastifyInstance, { core }: { core: GatewayCore }): Promise<void> {
  const routeConfig = { auth: true, rateLimit: {} };
  const knownModels = core.registry.models;
  await app.register(tracingPlugin, { tracing: core.tracing });

  /** Handler for one of the three predict URL forms: default version, /versions/{v}, /labels/{l}. */
  const predict =
    (form: 'default' | 'version' | 'label') =>
    async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
      const { params } = request;
      const parsed: ModelTarget =
        form === 'default'
          ? { model: splitVerb(params.target, 'predict') }
          : form === 'version'
            ? { model: params.model ?? '', version: splitVerb(params.target, 'predict') }
            : { model: params.model ?? '', label: splitVerb(params.target, 'predict') };
      const target = validateTarget(parsed, knownModels);
      return proxy(core, request, reply, {
        target,
        method: 'POST',
        suffix: ':predict',
        body: request.rawBody,
        idempotent: false,
      });
    };

  const predictSchema = (summary: string, params: Record<string, typeof segment | typeof predictTarget>) => ({
    summary,
    tags: ['predict'],
    headers: commonHeaders,
    params: { type: 'object', properties: params, required: Object.keys(params) },
    body: predictBody,
    response: predictResponse,
    security,
  });

  app.post<{ Params: Params }>('/v1/models/:target', {
    config: routeConfig,
    schema: predictSchema('Predict with the default version. Path: /v1/models/{model}:predict', {
      target: predictTarget,
    }),
    handler: predict('default'),
  });
  app.post<{ Params: Params }>('/v1/models/:model/versions/:target', {
    config: routeConfig,
    schema: predictSchema('Predict with a version. Path: /v1/models/{model}/versions/{version}:predict', {
      model: segment,
      target: predictTarget,
    }),
    handler: predict('version'),
  });
  app.post<{ Params: Params }>('/v1/models/:model/labels/:target', {
    config: routeConfig,
    schema: predictSchema('Predict with a version label. Path: /v1/models/{model}/labels/{label}:predict', {
      model: segment,
      target: predictTarget,
    }),
    handler: predict('label'),
  });

  const status =
    (suffix: '' | '/metadata') =>
    async (request: FastifyRequest<{ Params: { model: string; version?: string } }>, reply: FastifyReply) => {
      const target: ModelTarget = validateTarget(
        { model: request.params.model, version: request.params.version },
        knownModels,
      );
      return proxy(core, request, reply, { target, method: 'GET', suffix, idempotent: true });
    };
  const statusSchema = (summary: string, params: Record<string, typeof segment>) => ({
    summary,
    tags: ['models'],
    headers: commonHeaders,
    params: { type: 'object', properties: params, required: Object.keys(params) },
    response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
    security,
  });
  app.get('/v1/models/:model', {
    config: routeConfig,
    schema: statusSchema('Model version status from a healthy provider', { model: segment }),
    handler: status(''),
  });
  app.get('/v1/models/:model/versions/:version', {
    config: routeConfig,
    schema: statusSchema('Status of one model version', { model: segment, version: segment }),
    handler: status(''),
  });
  app.get('/v1/models/:model/metadata', {
    config: routeConfig,
    schema: statusSchema('Model metadata (signatures) from a healthy provider', { model: segment }),
    handler: status('/metadata'),
  });
  app.get('/v1/models/:model/versions/:version/metadata', {
    config: routeConfig,
    schema: statusSchema('Metadata of one model version', { model: segment, version: segment }),
    handler: status('/metadata'),
  });
}
