import { FORMAT_HTTP_HEADERS, type Span, type SpanContext } from 'opentracing';
import { guard } from '../core/guard';
import { currentTracerState } from '../internal/global-state';
import type { IncomingHeaders } from './http-headers-codec';

/**
 * The caller's span context from incoming HTTP headers: any spelling of Jaeger's header a neighbour sends
 * (`trace_id_header` as configured and as Python writes it, `uber-trace-id`, `trace-id`, `trace_id`), else
 * W3C `traceparent`; baggage comes along. Returns undefined, never throws, when there is none or it is
 * malformed: the caller then starts a new trace.
 */
export function extractSpanContext(headers: IncomingHeaders): SpanContext | undefined {
  const { tracer } = currentTracerState();
  const context = guard('extracting the trace context', () => tracer.extract(FORMAT_HTTP_HEADERS, headers));
  // jaeger-client returns an empty, invalid context rather than null when there is no trace to join.
  if (context === undefined || context === null || (context as { isValid?: boolean }).isValid === false) return undefined;
  return context;
}

/**
 * The caller's span context from a request (Node's IncomingMessage, or anything with its `headers` and
 * `rawHeaders`), as extractSpanContext reads it. A request whose raw headers hold none of the headers read is
 * answered without building Node's `req.headers` object (see propagation/incoming-trace-headers): the headers
 * the client sent are what is joined.
 */
export function extractRequestSpanContext(req: { headers: IncomingHeaders; rawHeaders?: readonly string[] }): SpanContext | undefined {
  const incoming = currentTracerState().incomingTraceHeaders;
  const raw = req.rawHeaders;
  if (incoming !== undefined && raw !== undefined && !incoming.anyIn(raw)) return undefined;
  return extractSpanContext(req.headers);
}

/**
 * The headers that carry `span`'s context to the next service: the Jaeger context under each of
 * `inject_headers` (default: `trace_id_header`, `uber-trace-id` and `trace-id`), `uberctx-*` baggage, and W3C
 * `traceparent`/`tracestate`/`baggage` when `inject_headers` lists `traceparent`.
 */
export function traceHeaders(span: Span): Record<string, string> {
  const headers: Record<string, string> = {};
  guard('injecting the trace context', () => currentTracerState().tracer.inject(span.context(), FORMAT_HTTP_HEADERS, headers));
  return headers;
}
