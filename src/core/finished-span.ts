import type { Span } from 'opentracing';

/** Whether jaeger-client has finished `span`: it keeps the duration it reported the span with in `_duration`. */
export function isFinishedSpan(span: Span): boolean {
  return (span as { _duration?: unknown })._duration !== undefined;
}
