import { Span } from 'opentracing';

interface JaegerSpanContextLike {
  isSampled?: () => boolean;
  samplingFinalized?: boolean;
}

/**
 * The method of a span that knows it is finally unsampled without building its context (jaeger-client's is made
 * on demand by tracer/jaeger-span-starters). A registered symbol, so that a second copy of this package asks too.
 */
export const FINALLY_UNSAMPLED: unique symbol = Symbol.for('jaeger-decorators.finallyUnsampled') as never;

/** The method of a finally unsampled span that tells a listener once, should it be made sampled (see whenMadeSampled). */
export const WHEN_MADE_SAMPLED: unique symbol = Symbol.for('jaeger-decorators.whenMadeSampled') as never;

/** Told when a span of a trace finally not sampled is made sampled after all. */
export interface MadeSampledListener {
  onMadeSampled(): void;
}

interface KnowsItsSampling {
  [FINALLY_UNSAMPLED]?: () => boolean;
  [WHEN_MADE_SAMPLED]?: (listener: MadeSampledListener) => boolean;
}

/**
 * True when `span` belongs to a trace that jaeger-client has finally decided not to sample, so a child span
 * would be created, never reported, and thrown away. Spans from other tracers are treated as sampled.
 */
export function isUnsampled(span: Span): boolean {
  const knows = (span as KnowsItsSampling)[FINALLY_UNSAMPLED];
  if (knows !== undefined) return knows.call(span);
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

/**
 * Has `listener.onMadeSampled()` called once if `span`, of a trace finally not sampled, is made sampled during its
 * life (a `sampling.priority` tag). Returns false when the span cannot tell (it is sampled, or not a span of
 * initTracer()'s own unsampled kind): a caller that must not miss an error then watches as for a sampled span.
 */
export function whenMadeSampled(span: Span, listener: MadeSampledListener): boolean {
  const tell = (span as KnowsItsSampling)[WHEN_MADE_SAMPLED];
  return tell !== undefined && tell.call(span, listener);
}
