import { globalTracer, type Span, type Tracer } from 'opentracing';
import { epochNowMs, finishTimeMs } from './clock';
import { reportTracingFailure } from './guard';
import { recordError } from './record-error';
import { isNoopSpan } from './sampling';

/** How one decorated method is traced; built once per method when it is decorated. */
export interface ChildSpanSpec {
  /** Operation name, from the receiver of the call (TC39 decorators learn the class from a call). */
  operationName: (thisArg: unknown) => string;
  tags?: Record<string, unknown>;
  /** A fixed tracer; otherwise the global tracer at call time, so decoration may happen before initTracer(). */
  tracer?: Tracer;
  /** When true, a call with no active span runs untraced instead of starting a root span. */
  requireParent: boolean;
}

/** A span started for one decorated call, with its start time, from which its finish time is measured. */
export interface StartedSpan {
  span: Span;
  startMs: number;
}

/**
 * Starts the span of one decorated call, a child of `parent`, timed by the core's clock. Returns undefined when
 * the call must run untraced: starting failed (reported once), or there is no tracer yet (OpenTracing's no-op
 * span, which must not become the active span: code inside would take it for a trace).
 */
export function startChildSpan(spec: ChildSpanSpec, parent: Span | undefined, thisArg: unknown): StartedSpan | undefined {
  const startMs = epochNowMs();
  let span: Span;
  try {
    span = (spec.tracer ?? globalTracer()).startSpan(spec.operationName(thisArg), { childOf: parent, tags: spec.tags, startTime: startMs });
  } catch (tracingError) {
    reportTracingFailure('starting a span', tracingError);
    return undefined;
  }
  return isNoopSpan(span) ? undefined : { span, startMs };
}

/** Ends a span of the core: records the failure, if any, then finishes it. Never throws. */
export function endChildSpan({ span, startMs }: StartedSpan, failed: boolean, error: unknown): void {
  try {
    if (failed) recordError(span, error);
    span.finish(finishTimeMs(startMs));
  } catch (tracingError) {
    reportTracingFailure('finishing a span', tracingError);
  }
}
