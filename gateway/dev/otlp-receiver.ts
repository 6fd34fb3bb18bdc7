import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as OTLP/JSON carries it (ids in hex, as the OTLP JSON mapping prescribes). */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  /** 0 unset, 1 ok, 2 error. */
  status?: { code?: number; message?: string };
  attributes: Record<string, unknown>;
  /** Resource attributes of the batch the span came in. */
  resource: Record<string, unknown>;
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

const flatten = (attributes: KeyValue[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]));

/**
 * A loopback OTLP/HTTP traces endpoint standing in for the OpenTelemetry collector (whose
 * binary cannot be installed here), for the tests and the gateway benchmark. It answers as the
 * collector does: 200 with an empty export response for a JSON export request. It keeps the
 * spans it is sent unless `keepSpans` is false (a benchmark only counts them).
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Export requests and spans received. */
  requests = 0;
  spanCount = 0;

  constructor(private readonly keepSpans = true) {}

  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      this.requests += 1;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const resource = flatten(resourceSpans.resource?.attributes);
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            this.spanCount += 1;
            if (this.keepSpans) this.spans.push({ ...span, attributes: flatten(span.attributes), resource });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }
}
