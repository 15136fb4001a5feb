import type { Span } from 'opentracing';
import { getActiveSpan, withSpan } from '../context/active-span';
import { endChildSpan, startChildSpan, type ChildSpanSpec, type StartedSpan } from './child-span';
import { guard } from './guard';
import { isNativePromise } from './native-promise';
import { recordFailure, type FailurePolicy } from './record-failure';
import { isUnsampled } from './sampling';
import { generatorKind, tracedGeneratorMethod } from './trace-generator';
import { isObservable, tracedObservable } from './trace-observable';
import { endSpanWhenStreamEnds, isReadableStream } from './trace-readable';

export type { ChildSpanSpec } from './child-span';

type AnyMethod = (...args: unknown[]) => unknown;

/**
 * Wraps `method` so each call runs inside a new span, a child of the active span and itself active during the
 * call, so decorated calls made inside it nest below it. The span ends when the call returns, throws, or its
 * Promise settles; a failure is recorded on the span and reaches the caller unchanged. A generator method gets
 * a span around its iteration instead (see trace-generator).
 *
 * The wrapper runs on every decorated call, so it is written flat, with the unsampled fast path first (see
 * bench/cases/method-overhead.ts).
 */
export function tracedMethod(spec: ChildSpanSpec, method: AnyMethod): AnyMethod {
  const generator = generatorKind(method);
  if (generator !== undefined) return tracedGeneratorMethod(spec, method, generator);
  // The span's path takes its arguments as a parameter list of its own, so that `traced` only ever hands
  // `arguments` on to Reflect.apply.
  const callTraced = function tracedCall(this: unknown, ...args: unknown[]): unknown {
    // The span the fast path below found: nothing runs between its check and this call.
    return callInChildSpan(spec, getActiveSpan(), method, this, args);
  };
  // `arguments` rather than rest parameters, and only ever handed on to Reflect.apply: V8 then passes the call's
  // arguments straight on, building neither an array nor an arguments object. With a rest array the fast path
  // cost twice the plain call. With `arguments` also handed to the span's path, once a method had run sampled V8
  // built the arguments object on every call: in an ad-hoc loop on Node 24, an unsampled call of a method that had
  // also run sampled took 47 ns, 42 with this split (a plain call: 27; bench/cases/method-overhead.ts, '@Span,
  // inside an unsampled trace').
  return function traced(this: unknown): unknown {
    const parent = getActiveSpan();
    // Fast path: no span would be seen, so create none and switch no context.
    // eslint-disable-next-line prefer-rest-params
    if (parent === undefined ? spec.requireParent : isUnsampled(parent)) return Reflect.apply(method, this, arguments);
    // eslint-disable-next-line prefer-rest-params
    return Reflect.apply(callTraced, this, arguments);
  };
}

function callInChildSpan(spec: ChildSpanSpec, parent: Span | undefined, method: AnyMethod, thisArg: unknown, args: ArrayLike<unknown>): unknown {
  const started = startChildSpan(spec, parent, thisArg, args);
  if (started === undefined) return Reflect.apply(method, thisArg, args);

  let result: unknown;
  try {
    result = withSpan(started.span, () => Reflect.apply(method, thisArg, args));
  } catch (error) {
    endChildSpan(started, true, error);
    throw error;
  }
  if (isNativePromise(result)) return endSpanWhenSettled(started, result);
  if (typeof result === 'object' && result !== null && !(result instanceof Promise)) {
    // A stream's span covers its consumption; an Observable's spans are its subscriptions', and the span of the
    // call itself, which only built the Observable, is dropped unreported. An Observable that cannot be traced
    // without changing it (a Subject) is a value, below.
    if (isReadableStream(result)) {
      endSpanWhenStreamEnds(started, result);
      return result;
    }
    if (isObservable(result)) {
      const traced = tracedObservable(spec, parent, thisArg, args, result);
      if (traced !== undefined) return traced;
    }
  }
  if (result instanceof Promise) {
    // A Promise subclass keeps its identity (its extra methods, its own scheduling): observed in place.
    result.then(
      (value: unknown) => endChildSpan(started, false, undefined, value),
      (error: unknown) => endChildSpan(started, true, error),
    );
  } else {
    // Anything else, a lazy thenable included, is a plain value and is never `.then`-ed (that would run it).
    endChildSpan(started, false, undefined, result);
  }
  return result;
}

// The promise returned for a native one. An `await`, not a `.then`: V8 builds an error's async stack trace by
// following each promise to the one async function that awaits it, and a promise with a second reaction (a
// `.then` of ours beside the caller's await) ends that walk, so every `at async Caller.method` frame above it
// was lost. Awaiting it here and letting the caller await this function keeps the chain whole; this function
// shows in the trace as one frame of its own. A rejection nobody handles reaches unhandledRejection, as without
// the decorator.
async function endSpanWhenSettled(started: StartedSpan, promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    endChildSpan(started, true, error);
    throw error;
  }
  // An async method that resolves to a stream (`async report(): Promise<Readable>`): the span covers reading it.
  if (typeof value === 'object' && value !== null && isReadableStream(value)) endSpanWhenStreamEnds(started, value);
  else endChildSpan(started, false, undefined, value);
  return value;
}

/**
 * Wraps `method` so that an error it throws, or its Promise rejects with, is logged on the span active at the
 * call (once per span, however many decorated frames it rises through), then reaches the caller as is. `policy`
 * says which errors are expected and whether a 4xx is a failure (see recordFailure).
 */
export function errorLoggingMethod(method: AnyMethod, policy: FailurePolicy = {}): AnyMethod {
  const logOnActiveSpan = (error: unknown): void => {
    const span = getActiveSpan();
    if (span !== undefined) guard('logging an error on the active span', () => recordFailure(span, error, policy));
  };
  // `arguments` rather than rest parameters, for the reason given in tracedMethod.
  return function logsErrors(this: unknown): unknown {
    // A sync call pays for nothing but the try and the Promise check: the active span is looked up only when
    // an error arrives. That is the span active at the call, since a catch block runs in the caller's context,
    // as does the code after an `await` in a function the caller called. A Promise is observed only when a
    // span is active, so that without one the method is exactly as undecorated.
    let result: unknown;
    try {
      // eslint-disable-next-line prefer-rest-params
      result = Reflect.apply(method, this, arguments);
    } catch (error) {
      logOnActiveSpan(error);
      throw error;
    }
    if (!(result instanceof Promise) || getActiveSpan() === undefined) return result;
    if (isNativePromise(result)) return logErrorWhenRejected(result, logOnActiveSpan);
    // A Promise subclass keeps its identity: observed in place (its async stack trace stops here).
    result.then(undefined, logOnActiveSpan);
    return result;
  };
}

// Awaited rather than `.then`-ed, for the reason given at endSpanWhenSettled.
async function logErrorWhenRejected(promise: Promise<unknown>, logOnActiveSpan: (error: unknown) => void): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    logOnActiveSpan(error);
    throw error;
  }
}
