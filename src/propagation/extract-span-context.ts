import { FORMAT_HTTP_HEADERS, type Span, type SpanContext, type Tracer } from 'opentracing';
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
  const context = extractAnyContext(currentTracerState().tracer, headers);
  // jaeger-client returns an empty, invalid context rather than null when there is no trace to join.
  if (context === undefined || (context as JaegerContextFields).isValid === false) return undefined;
  return context;
}

/** What jaeger-client's span context says of itself beyond OpenTracing's API. */
interface JaegerContextFields {
  isValid?: boolean;
  debugId?: string;
  baggage?: Record<string, string>;
}

function extractAnyContext(tracer: Tracer, headers: IncomingHeaders): SpanContext | undefined {
  return guard('extracting the trace context', () => tracer.extract(FORMAT_HTTP_HEADERS, headers)) ?? undefined;
}

/** An invalid jaeger-client context that still carries a `jaeger-debug-id` or baggage for a new trace. */
function carriesDebugIdOrBaggage(context: JaegerContextFields): boolean {
  if (context.debugId) return true;
  for (const key in context.baggage) if (Object.prototype.hasOwnProperty.call(context.baggage, key)) return true;
  return false;
}

/**
 * What a request's server span starts from (a request is Node's IncomingMessage, or anything with its `headers`
 * and `rawHeaders`): the caller's context as extractSpanContext finds it; or, for a request that carries no trace
 * but a `jaeger-debug-id` or baggage (`uberctx-*`, `jaeger-baggage`), the context that holds them, from which
 * jaeger-client starts a new trace: sampled, debug-flagged and tagged `jaeger-debug-id` for a debug id (how
 * Jaeger's clients in every language let a `curl` force a trace), with the baggage on it.
 *
 * A request whose raw headers hold none of the headers read is answered without building Node's `req.headers`
 * object (see propagation/incoming-trace-headers): the headers the client sent are what is joined.
 */
export function extractRequestSpanContext(req: { headers: IncomingHeaders; rawHeaders?: readonly string[] }): SpanContext | undefined {
  const { tracer, incomingTraceHeaders: incoming } = currentTracerState();
  const raw = req.rawHeaders;
  // A request built by hand (serverless adapters, tests) may have no raw headers but a `headers` object: that
  // one is read.
  if (incoming !== undefined && Array.isArray(raw) && raw.length > 0 && !incoming.anyIn(raw)) return undefined;
  const context = extractAnyContext(tracer, req.headers);
  if (context === undefined) return undefined;
  const fields = context as JaegerContextFields;
  if (fields.isValid === false && !carriesDebugIdOrBaggage(fields)) return undefined;
  return context;
}

/**
 * The headers that carry `span`'s context to the next service: the Jaeger context under each of
 * `inject_headers` (default: `trace_id_header`, `uber-trace-id` and `trace-id`), `uberctx-*` baggage, and W3C
 * `traceparent`/`tracestate`/`baggage` when `inject_headers` lists `traceparent`.
 */
export function traceHeaders(span: Span): Record<string, string> {
  return contextHeaders(span.context());
}

/** The headers that carry `spanContext` to the next service (see traceHeaders). */
export function contextHeaders(spanContext: SpanContext): Record<string, string> {
  const headers: Record<string, string> = {};
  guard('injecting the trace context', () => currentTracerState().tracer.inject(spanContext, FORMAT_HTTP_HEADERS, headers));
  return headers;
}

interface BaggageCarrier {
  baggage?: Record<string, string>;
  withBaggageItem?(key: string, value: string): SpanContext;
}

/**
 * `spanContext` with `items` added to its baggage, as jaeger-client adds an item (a copy of the context per item,
 * nothing logged on the span): baggage set through another API (OpenTelemetry's) going out as the trace's goes.
 */
export function withBaggageItems(spanContext: SpanContext, items: Iterable<readonly [string, string]>): SpanContext {
  let merged = spanContext;
  for (const [key, value] of items) {
    const carrier = merged as BaggageCarrier;
    if (typeof carrier.withBaggageItem !== 'function' || carrier.baggage?.[key] === value) continue;
    merged = carrier.withBaggageItem(key, value);
  }
  return merged;
}
