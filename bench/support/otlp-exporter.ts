// OpenTelemetry's side of the comparison exports through OTLP/HTTP, so that both sides pay for encoding and
// sending their spans. The real exporter (@opentelemetry/exporter-trace-otlp-http) is used when it is
// installed; it is not among this project's devDependencies yet, so otherwise a stand-in does what its JSON
// path does: turns each batch into an ExportTraceServiceRequest (hex ids, nanosecond strings, typed attribute
// values, as @opentelemetry/otlp-transformer writes them), JSON.stringify, one keep-alive POST to /v1/traces.
import http from 'node:http';
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface OtlpExporterChoice {
  exporter: SpanExporter;
  /** Which one: the real package or the stand-in. */
  kind: 'real OTLP/HTTP exporter' | 'OTLP/HTTP JSON stand-in';
}

type AnyValue = { stringValue: string } | { intValue: number } | { doubleValue: number } | { boolValue: boolean } | { arrayValue: { values: AnyValue[] } };

function anyValue(value: AttributeValue): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  return { arrayValue: { values: (value as Array<AttributeValue>).filter((item) => item !== null && item !== undefined).map(anyValue) } };
}

function attributes(attrs: Attributes): Array<{ key: string; value: AnyValue }> {
  const out: Array<{ key: string; value: AnyValue }> = [];
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (value !== undefined && value !== null) out.push({ key, value: anyValue(value) });
  }
  return out;
}

const nanos = (time: HrTime) => (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();

function otlpSpan(span: ReadableSpan) {
  const context = span.spanContext();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    traceState: context.traceState?.serialize(),
    name: span.name,
    kind: span.kind + 1,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: attributes(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      timeUnixNano: nanos(event.time),
      name: event.name,
      attributes: attributes(event.attributes ?? {}),
      droppedAttributesCount: 0,
    })),
    droppedEventsCount: span.droppedEventsCount,
    status: { code: span.status.code, message: span.status.message },
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      attributes: attributes(link.attributes ?? {}),
      droppedAttributesCount: 0,
    })),
    droppedLinksCount: span.droppedLinksCount,
    flags: context.traceFlags,
  };
}

class OtlpJsonStandIn implements SpanExporter {
  private readonly _agent = new http.Agent({ keepAlive: true });

  constructor(private readonly _url: URL) {}

  export(spans: ReadableSpan[], done: (result: { code: number; error?: Error }) => void): void {
    const first = spans[0];
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: attributes(first?.resource.attributes ?? {}), droppedAttributesCount: 0 },
          scopeSpans: [{ scope: { name: first?.instrumentationScope.name, version: first?.instrumentationScope.version }, spans: spans.map(otlpSpan) }],
        },
      ],
    });
    const request = http.request(
      {
        hostname: this._url.hostname,
        port: this._url.port,
        path: this._url.pathname,
        method: 'POST',
        agent: this._agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => done({ code: response.statusCode !== undefined && response.statusCode < 300 ? 0 : 1 }));
      },
    );
    request.on('error', (error) => done({ code: 1, error }));
    request.end(body);
  }

  shutdown(): Promise<void> {
    this._agent.destroy();
    return Promise.resolve();
  }
}

/** An exporter posting OTLP/HTTP to `url` (e.g. http://127.0.0.1:PORT/v1/traces). */
export function otlpHttpExporter(url: string): OtlpExporterChoice {
  try {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as { OTLPTraceExporter: new (options: { url: string }) => SpanExporter };
    return { exporter: new OTLPTraceExporter({ url }), kind: 'real OTLP/HTTP exporter' };
  } catch {
    return { exporter: new OtlpJsonStandIn(new URL(url)), kind: 'OTLP/HTTP JSON stand-in' };
  }
}
