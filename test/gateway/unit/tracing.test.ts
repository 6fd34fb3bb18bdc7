import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { parseConfig } from '../../../gateway/src/config';
import { GatewayTracing } from '../../../gateway/src/tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

function tracingWith(tracing: Record<string, unknown> = {}) {
  const config = parseConfig({
    providers: [{ name: 'aws', url: 'http://127.0.0.1:1', costPer1kRequests: 0.2, models: ['iris'] }],
    tracing,
  });
  const exporter = new InMemorySpanExporter();
  return { tracing: new GatewayTracing(config.tracing, exporter), exporter };
}

/** One request with one attempt, as the proxy runs it; returns the traceparent sent upstream. */
function requestWithAttempt(tracing: GatewayTracing, headers: Record<string, string>) {
  const request = tracing.startRequest('POST', '/v1/models/iris:predict', headers);
  const attempt = tracing.startAttempt(request, {
    provider: 'aws',
    model: 'iris',
    method: 'POST',
    path: '/v1/models/iris:predict',
  });
  tracing.endAttempt(attempt.span, { kind: 'response', status: 200 });
  tracing.endRequest(request, { method: 'POST', route: '/v1/models/:model', status: 200 });
  const sent = TRACEPARENT.exec(attempt.headers.traceparent);
  if (!sent) throw new Error(`not a traceparent: ${attempt.headers.traceparent}`);
  return { request, attempt, sent: { traceId: sent[1], spanId: sent[2], flags: sent[3] } };
}

describe('gateway tracing', () => {
  it("continues the caller's trace: server span under the caller, attempt under the server span", async () => {
    const { tracing, exporter } = tracingWith();
    const { request, attempt, sent } = requestWithAttempt(tracing, {
      traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`,
      tracestate: 'vendor=value',
    });
    await tracing.flush();

    const spans = exporter.getFinishedSpans();
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    const client = spans.find((span) => span.kind === SpanKind.CLIENT);
    expect(server?.spanContext().traceId).toBe(TRACE_ID);
    expect(server?.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(server?.name).toBe('POST /v1/models/:model');
    expect(client?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(client?.attributes).toMatchObject({ 'gateway.provider': 'aws', 'http.response.status_code': 200 });
    // Upstream sees the attempt's own span id, the caller's trace and sampling decision, and its tracestate.
    expect(sent).toEqual({ traceId: TRACE_ID, spanId: attempt.span.spanContext().spanId, flags: '01' });
    expect(attempt.headers.tracestate).toBe('vendor=value');
  });

  it.each([
    ['no traceparent', {}],
    ['garbage', { traceparent: 'garbage' }],
    ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${CALLER_SPAN}-01` }],
    ['an all-zero span id', { traceparent: `00-${TRACE_ID}-${'0'.repeat(16)}-01` }],
  ])('starts a new trace for %s', async (_name, headers) => {
    const { tracing, exporter } = tracingWith();
    const { sent } = requestWithAttempt(tracing, headers);
    await tracing.flush();
    expect(sent.traceId).not.toMatch(/^0+$/);
    expect(sent.traceId).not.toBe(TRACE_ID);
    const server = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    expect(server?.parentSpanContext).toBeUndefined();
  });

  it("keeps the caller's decision not to sample: nothing recorded, the flag propagated", async () => {
    const { tracing, exporter } = tracingWith();
    const { sent } = requestWithAttempt(tracing, { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-00` });
    await tracing.flush();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(sent).toMatchObject({ traceId: TRACE_ID, flags: '00' });
    expect(sent.spanId).not.toBe(CALLER_SPAN);
  });

  it('samples traces it starts at the configured ratio', async () => {
    const none = tracingWith({ samplingRatio: 0 });
    expect(requestWithAttempt(none.tracing, {}).sent.flags).toBe('00');
    // A caller's sampled decision wins over the ratio.
    expect(
      requestWithAttempt(none.tracing, { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` }).sent.flags,
    ).toBe('01');
    await none.tracing.flush();
    expect(none.exporter.getFinishedSpans()).toHaveLength(2);
  });

  it('marks failed attempts and 5xx answers as errors', async () => {
    const { tracing, exporter } = tracingWith({ resourceAttributes: { 'k8s.cluster.name': 'eks-prod' } });
    const request = tracing.startRequest('POST', '/v1/models/iris:predict', {});
    const timedOut = tracing.startAttempt(request, {
      provider: 'gcp',
      model: 'iris',
      method: 'POST',
      path: '/v1/models/iris:predict',
    });
    tracing.endAttempt(timedOut.span, { kind: 'timeout' });
    tracing.endRequest(request, { method: 'POST', route: '/v1/models/:model', status: 504 });
    await tracing.flush();

    const [attempt, server] = exporter.getFinishedSpans();
    expect(attempt.status.code).toBe(SpanStatusCode.ERROR);
    expect(attempt.attributes).toMatchObject({
      'gateway.attempt.outcome': 'timeout',
      'error.type': 'timeout',
    });
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.resource.attributes).toMatchObject({
      'service.name': 'ml-gateway',
      'k8s.cluster.name': 'eks-prod',
    });
  });
});
