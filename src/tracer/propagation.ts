import { FORMAT_HTTP_HEADERS, type Span, type SpanContext } from 'opentracing';
import { guard } from '../core/guard';
import { currentTracerState } from './init-tracer';
import { JAEGER_TRACE_HEADER, SEED_TRACE_HEADER } from './to-jaeger-config';

/** Incoming headers as Node, Express and Koa give them: lower-case names, a string or a list of strings. */
export type IncomingHeaders = Record<string, string | string[] | number | undefined>;

// `{trace-id}:{span-id}:{parent-span-id}:{flags}` in hex. jaeger-client only checks that each part *starts*
// with a hex digit, and a context built from `1zz:…` later breaks span encoding, so the check is ours.
const TRACE_CONTEXT = /^([0-9a-f]{1,32}):([0-9a-f]{1,16}):([0-9a-f]{1,16}):([0-9a-f]{1,2})$/i;
const BAGGAGE_PREFIX = 'uberctx-';
const BAGGAGE_HEADERS = new Set(['jaeger-baggage', 'jaeger-debug-id']);

function firstValue(value: string | string[] | number | undefined): string | undefined {
  if (Array.isArray(value)) return value[0];
  return value === undefined ? undefined : String(value);
}

/** True for a well-formed trace context value whose trace and span ids are not zero. */
export function isWellFormedTraceContext(value: string): boolean {
  const match = TRACE_CONTEXT.exec(value.trim());
  return match !== null && /[1-9a-f]/i.test(match[1]) && /[1-9a-f]/i.test(match[2]);
}

// Node, Express and Koa hand headers over with lower-case names already; other carriers may not.
function lowerCaseKeys(headers: IncomingHeaders): IncomingHeaders {
  let lowered: IncomingHeaders | undefined;
  for (const name in headers) {
    if (name !== name.toLowerCase()) {
      lowered = {};
      break;
    }
  }
  if (lowered === undefined) return headers;
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
  return lowered;
}

/**
 * The caller's span context from incoming HTTP headers: the configured `trace_id_header`, then Jaeger's
 * `uber-trace-id`, then the seed's `trace_id`, whichever first holds a well-formed value; baggage
 * (`uberctx-*`) comes along. Returns undefined, never throws, when there is none or it is malformed: the
 * caller then starts a new trace.
 */
export function extractSpanContext(headers: IncomingHeaders): SpanContext | undefined {
  const { tracer, contextHeader } = currentTracerState();
  const lowered = lowerCaseKeys(headers);
  let traceContext: string | undefined;
  for (const name of [contextHeader, JAEGER_TRACE_HEADER, SEED_TRACE_HEADER]) {
    const value = firstValue(lowered[name]);
    if (value !== undefined && isWellFormedTraceContext(value)) {
      traceContext = value.trim();
      break;
    }
  }
  if (traceContext === undefined) return undefined;

  const carrier: Record<string, string> = { [contextHeader]: traceContext };
  for (const [name, value] of Object.entries(lowered)) {
    if (name.startsWith(BAGGAGE_PREFIX) || BAGGAGE_HEADERS.has(name)) {
      const text = firstValue(value);
      if (text !== undefined) carrier[name] = text;
    }
  }
  const context = guard('extracting the trace context', () => tracer.extract(FORMAT_HTTP_HEADERS, carrier));
  // jaeger-client returns an empty, invalid context rather than null when it cannot decode.
  if (context === undefined || context === null || (context as { isValid?: boolean }).isValid === false) return undefined;
  return context;
}

/**
 * The headers that carry `span`'s context to the next service: the configured `trace_id_header` and one
 * `uberctx-*` header per baggage item.
 */
export function traceHeaders(span: Span): Record<string, string> {
  const headers: Record<string, string> = {};
  guard('injecting the trace context', () => currentTracerState().tracer.inject(span.context(), FORMAT_HTTP_HEADERS, headers));
  return headers;
}
