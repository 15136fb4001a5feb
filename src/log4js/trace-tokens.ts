import { getActiveSpan } from '../context/active-span';
import { spanIdHex, traceIdHex } from '../propagation/trace-ids';

/** The active trace id as Jaeger prints it (zero-padded hex), or `-` outside a span: `%x{trace_id}`. */
export function traceIdToken(): string {
  return traceIdHex(getActiveSpan()?.context()) ?? '-';
}

/** The active span id as Jaeger prints it (zero-padded hex), or `-` outside a span: `%x{span_id}`. */
export function spanIdToken(): string {
  return spanIdHex(getActiveSpan()?.context()) ?? '-';
}

/**
 * Tokens for a log4js pattern layout, so every log line can carry the trace it belongs to:
 * `layout: { type: 'pattern', pattern: '%d %p %c [%x{trace_id}/%x{span_id}] %m', tokens: traceTokens }`.
 */
export const traceTokens = { trace_id: traceIdToken, span_id: spanIdToken };
