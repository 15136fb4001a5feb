import type { Span as OtelSpan } from '@opentelemetry/api';
import type { Span as JaegerSpan, SpanContext as JaegerSpanContext } from 'opentracing';
import { ContextOnlySpan } from './context-only-span';
import { JaegerBackedSpan } from './jaeger-backed-span';
import { jaegerContextFrom } from './span-context-ids';
import { SuppressedSpan } from './suppressed-span';

/**
 * The local jaeger-client span an OpenTelemetry span stands for: its own for a span of ours, the unsampled
 * span its trace descends from for a non-recording one, the span active where it was started for one started
 * where tracing is suppressed; undefined for a remote or foreign span.
 */
export function localJaegerSpanOf(span: OtelSpan | undefined): JaegerSpan | undefined {
  if (span instanceof JaegerBackedSpan) return span.jaegerSpan;
  if (span instanceof ContextOnlySpan) return span.localSpan;
  if (span instanceof SuppressedSpan) return span.localSpan;
  return undefined;
}

/** The jaeger-client span context of any OpenTelemetry span: ours, a context-only one, or a foreign one by its ids. */
export function jaegerContextOf(span: OtelSpan): JaegerSpanContext | undefined {
  if (span instanceof JaegerBackedSpan) return span.jaegerSpan.context();
  if (span instanceof ContextOnlySpan) return span.jaegerContext;
  return jaegerContextFrom(span.spanContext());
}
