import { globalTracer, type Span, type Tracer } from 'opentracing';
import { getActiveSpan, withSpan } from '../context/active-span';
import { guard, reportTracingFailure } from './guard';
import { recordError } from './record-error';
import { isUnsampled } from './sampling';

/** How one decorated method is traced; built once per method when it is decorated. */
export interface ChildSpanSpec {
  /** Operation name; resolved on the first traced call (TC39 decorators learn the class name only then). */
  operationName: (thisArg: unknown) => string;
  tags?: Record<string, unknown>;
  /** A fixed tracer; otherwise the global tracer at call time, so decoration may happen before initTracer(). */
  tracer?: Tracer;
  /** When true, a call with no active span runs untraced instead of starting a root span. */
  requireParent: boolean;
}

type AnyMethod = (...args: unknown[]) => unknown;

/** Ends `span` after its call: records the failure, if any, then finishes. Never throws. */
function endSpan(span: Span, failed: boolean, error: unknown): void {
  try {
    if (failed) recordError(span, error);
    span.finish();
  } catch (tracingError) {
    reportTracingFailure('finishing a span', tracingError);
  }
}

/**
 * Wraps `method` so each call runs inside a new span, a child of the active span and itself active during the
 * call, so decorated calls made inside it nest below it. The span ends when the call returns, throws, or its
 * Promise settles; a failure is recorded on the span and reaches the caller unchanged.
 *
 * The wrapper runs on every decorated call, so it is written flat, with the unsampled fast path first (see
 * bench/cases/method-overhead.ts).
 */
export function tracedMethod(spec: ChildSpanSpec, method: AnyMethod): AnyMethod {
  return function traced(this: unknown, ...args: unknown[]): unknown {
    const parent = getActiveSpan();
    // Fast path: no span would be seen, so create none and switch no context.
    if (parent === undefined ? spec.requireParent : isUnsampled(parent)) return Reflect.apply(method, this, args);
    return callInChildSpan(spec, parent, method, this, args);
  };
}

function callInChildSpan(spec: ChildSpanSpec, parent: Span | undefined, method: AnyMethod, thisArg: unknown, args: unknown[]): unknown {
  let span: Span;
  try {
    span = (spec.tracer ?? globalTracer()).startSpan(spec.operationName(thisArg), { childOf: parent, tags: spec.tags });
  } catch (tracingError) {
    reportTracingFailure('starting a span', tracingError);
    return Reflect.apply(method, thisArg, args);
  }

  let result: unknown;
  try {
    result = withSpan(span, () => Reflect.apply(method, thisArg, args));
  } catch (error) {
    endSpan(span, true, error);
    throw error;
  }
  // A native Promise is observed and returned as the same object; anything else, a lazy thenable included,
  // is a plain value and is never `.then`-ed (that would run it).
  if (result instanceof Promise) {
    result.then(
      () => endSpan(span, false, undefined),
      (error: unknown) => endSpan(span, true, error),
    );
  } else {
    endSpan(span, false, undefined);
  }
  return result;
}

/**
 * Wraps `method` so that an error it throws, or its Promise rejects with, is logged on the span active at the
 * call (once per span, however many decorated frames it rises through), then reaches the caller as is.
 */
export function errorLoggingMethod(method: AnyMethod): AnyMethod {
  return function logsErrors(this: unknown, ...args: unknown[]): unknown {
    // A sync call pays for nothing but the try and the Promise check: the active span is looked up only when
    // an error arrives. That is the span active at the call, since a catch block runs in the caller's context
    // and a rejection handler in the context where `then` was called. A Promise is observed only when a span
    // is active, so that without one the method is exactly as undecorated (observing marks a rejection
    // handled).
    let result: unknown;
    try {
      result = Reflect.apply(method, this, args);
    } catch (error) {
      logOnActiveSpan(error);
      throw error;
    }
    if (result instanceof Promise && getActiveSpan() !== undefined) result.then(undefined, logOnActiveSpan);
    return result;
  };
}

function logOnActiveSpan(error: unknown): void {
  const span = getActiveSpan();
  if (span !== undefined) guard('logging an error on the active span', () => recordError(span, error));
}
