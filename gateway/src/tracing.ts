import type { IncomingHttpHeaders } from 'node:http';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { GatewayConfig } from './config';
import type { AttemptOutcome } from './routing/outcome';

export type { Span } from '@opentelemetry/api';

/** The service name spans are recorded under, unless the config's resource attributes say otherwise. */
const SERVICE_NAME = 'ml-gateway';

/** Attributes of the gateway's own: which provider an attempt went to and what came of it. */
const ATTR_PROVIDER = 'gateway.provider';
const ATTR_ATTEMPT_OUTCOME = 'gateway.attempt.outcome';
const ATTR_MODEL = 'gateway.model';

/**
 * The gateway's spans: one server span per client request, continuing the caller's W3C trace,
 * and one client span per upstream attempt, whose context travels upstream in `traceparent`,
 * so a failover shows as two attempts under one request in Jaeger.
 *
 * Sampling follows the caller's decision (the mesh's ingress decides where a trace starts) and
 * applies `samplingRatio` only to requests that arrive without one. Spans go to the OTLP/HTTP
 * endpoint in batches; without an endpoint they are still created, so trace context is
 * propagated with fresh span ids, but nothing is exported.
 */
export class GatewayTracing {
  private readonly provider: TracerProvider;
  private readonly tracer: Tracer;
  private readonly propagator = new W3CTraceContextPropagator();

  /**
   * @param exporter where spans go instead of the configured OTLP endpoint (tests use an
   *   in-memory exporter).
   */
  constructor(settings: GatewayConfig['tracing'], exporter?: SpanExporter) {
    const destination =
      exporter ??
      (settings.otlpEndpoint
        ? new OTLPTraceExporter({ url: settings.otlpEndpoint, timeoutMillis: settings.exportTimeoutMs })
        : undefined);
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: SERVICE_NAME, ...settings.resourceAttributes }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.samplingRatio) }),
      spanProcessors: destination
        ? [
            new BatchSpanProcessor({
              exporter: destination,
              maxQueueSize: settings.maxQueuedSpans,
              scheduledDelayMillis: settings.exportIntervalMs,
              exportTimeoutMillis: settings.exportTimeoutMs,
            }),
          ]
        : [],
    });
    this.tracer = this.provider.getTracer(SERVICE_NAME);
  }

  /**
   * The server span of one client request: a child of the caller's `traceparent` when it is
   * valid, the root of a new trace otherwise (invalid and all-zero ids included, as the W3C
   * specification requires).
   */
  startRequest(method: string, path: string, headers: IncomingHttpHeaders): Span {
    const parent = this.propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    return this.tracer.startSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path } },
      parent,
    );
  }

  /** Names the server span after its route and records the status it answered with. */
  endRequest(span: Span, request: { method: string; route: string | undefined; status: number }): void {
    const { method, route, status } = request;
    if (route) {
      // The HTTP conventions' span name: low-cardinality, never the raw path.
      span.updateName(`${method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
    }
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  /**
   * A client span for one attempt against one provider, and the `traceparent` (and
   * `tracestate`) headers that make the upstream's spans its children.
   */
  startAttempt(
    request: Span | undefined,
    attempt: { provider: string; model: string; method: string; path: string },
  ): { span: Span; headers: Record<string, string> } {
    const span = this.tracer.startSpan(
      `${attempt.method} ${attempt.provider}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: attempt.method,
          [ATTR_URL_PATH]: attempt.path,
          [ATTR_PROVIDER]: attempt.provider,
          [ATTR_MODEL]: attempt.model,
        },
      },
      request ? trace.setSpan(ROOT_CONTEXT, request) : ROOT_CONTEXT,
    );
    const headers: Record<string, string> = {};
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
    return { span, headers };
  }

  /** Records how the attempt ended; anything but a response below 500 marks the span as an error. */
  endAttempt(span: Span, outcome: AttemptOutcome): void {
    span.setAttribute(ATTR_ATTEMPT_OUTCOME, outcome.kind);
    if (outcome.kind === 'response') {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, outcome.status);
      if (outcome.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (outcome.kind !== 'cancelled') {
      span.setAttribute(ATTR_ERROR_TYPE, outcome.kind);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: 'reason' in outcome ? outcome.reason : undefined,
      });
    }
    span.end();
  }

  /** Exports the spans ended so far. */
  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }

  /** Sends the spans still queued and stops; called when the gateway closes. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}
