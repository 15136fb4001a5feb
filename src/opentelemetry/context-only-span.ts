import type { Context, SpanContext as OtelSpanContext } from '@opentelemetry/api';
import type { Span as JaegerSpan, SpanContext as JaegerSpanContext } from 'opentracing';
import { NonRecordingSpan } from './non-recording-span';
import { otelSpanContextOf } from './span-context-ids';

/**
 * An OpenTelemetry span that records nothing and stands for a Jaeger span context: a caller's context read from
 * a message or request (`isRemote`), or, inside a trace that is not sampled, the unsampled local span that
 * spans started there descend from. Made in a handful of nanoseconds, so an unsampled request's database calls
 * cost next to nothing; its ids are worked out only if somebody asks for them.
 */
export class ContextOnlySpan extends NonRecordingSpan {
  private _otelContext: OtelSpanContext | undefined;
  /** A context holding just this span (see contextHolding), made once. */
  rootContext: Context | undefined;

  /**
   * @param jaegerContext the span context it carries to children and to the next service.
   * @param localSpan the local jaeger-client span that context belongs to, kept active for code run inside.
   */
  constructor(
    readonly jaegerContext: JaegerSpanContext,
    readonly localSpan: JaegerSpan | undefined,
    private readonly _isRemote = false,
  ) {
    super();
  }

  spanContext(): OtelSpanContext {
    return (this._otelContext ??= otelSpanContextOf(this.jaegerContext, this._isRemote));
  }
}

const UNSAMPLED_CHILD = Symbol('jaeger-decorators.unsampled-child');

/**
 * The non-recording span every OpenTelemetry span started under `parent`, a local span of a trace finally not
 * sampled, is: one per parent, since it records nothing and carries only the parent's context, so each query of
 * an unsampled request costs a lookup, not a span and a context.
 */
export function unsampledChildOf(parent: JaegerSpan): ContextOnlySpan {
  const holder = parent as JaegerSpan & { [UNSAMPLED_CHILD]?: ContextOnlySpan };
  return (holder[UNSAMPLED_CHILD] ??= new ContextOnlySpan(parent.context(), parent));
}
