import { getActiveSpan } from '../context/active-span';

interface JaegerContextLike {
  traceIdStr?: string;
  spanIdStr?: string;
  toTraceId?: () => string;
  toSpanId?: () => string;
}

function activeContext(): JaegerContextLike | undefined {
  return getActiveSpan()?.context() as JaegerContextLike | undefined;
}

/** The active trace id in hex, or `-` outside a span: a log4js pattern token (`%x{trace_id}`). */
export function traceIdToken(): string {
  const context = activeContext();
  return context?.traceIdStr ?? context?.toTraceId?.() ?? '-';
}

/** The active span id in hex, or `-` outside a span: a log4js pattern token (`%x{span_id}`). */
export function spanIdToken(): string {
  const context = activeContext();
  return context?.spanIdStr ?? context?.toSpanId?.() ?? '-';
}

/**
 * Tokens for a log4js pattern layout, so every log line can carry the trace it belongs to:
 * `layout: { type: 'pattern', pattern: '%d %p %c [%x{trace_id}/%x{span_id}] %m', tokens: traceTokens }`.
 */
export const traceTokens = { trace_id: traceIdToken, span_id: spanIdToken };
