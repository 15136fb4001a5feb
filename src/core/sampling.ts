import { Span } from 'opentracing';

interface JaegerSpanContextLike {
  isSampled?: () => boolean;
  samplingFinalized?: boolean;
}

/**
 * True when `span` belongs to a trace that jaeger-client has finally decided not to sample, so a child span
 * would be created, never reported, and thrown away. Spans from other tracers are treated as sampled.
 */
export function isUnsampled(span: Span): boolean {
  const context = span.context() as JaegerSpanContextLike;
  // A decision that is not final yet (jaeger-client's delayed sampling) may still flip to "sampled" when a
  // child span is created, so only a final "no" counts.
  return typeof context.isSampled === 'function' && context.samplingFinalized === true && !context.isSampled();
}

/**
 * True for OpenTracing's no-op span, what the global tracer hands out before `initTracer()` (and after
 * `closeTracer()`, or with `disable: true`). It records nothing, so code that gets one runs untraced.
 */
export function isNoopSpan(span: Span): boolean {
  // Every real tracer's spans are of its own class; only the no-op tracer makes bare opentracing Spans.
  return Object.getPrototypeOf(span) === Span.prototype;
}
