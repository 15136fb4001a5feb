import type { Span } from 'opentracing';
import { getActiveSpan, withSpan } from '../context/active-span';
import { endChildSpan, startChildSpan, type ChildSpanSpec, type StartedSpan } from './child-span';
import { guard, reportTracingFailure } from './guard';
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
    // A Promise subclass keeps its identity (its extra methods, its own scheduling): observed in place. Its
    // `then` is its own and may throw (a subclass whose constructor takes no executor): the call's result is
    // still the caller's, and the span ends with the call.
    try {
      result.then(
        (value: unknown) => endChildSpan(started, false, undefined, value),
        (error: unknown) => endChildSpan(started, true, error),
      );
    } catch (error) {
      reportTracingFailure('observing a promise', error);
      endChildSpan(started, false, undefined, result);
    }
  } else {
    // Anything else, a lazy thenable included, is a plain value and is never `.then`-ed (that would run it).
    endChildSpan(started, false, undefined, result);
  }
  return result;
}

// Promise.prototype.then as this module found it: a native promise is observed through it whatever the instance
// or a later patch of the prototype says, as `await` observes it.
const promiseThen = Promise.prototype.then;

// The promise returned for a native one: the method's promise with one reaction of ours chained in, which ends the
// span, and the promise that reaction makes in its place, settling with the same value or error. V8 builds an
// error's async stack trace by following each promise's one reaction (an `await` to the async function that
// awaits, a `.then` to the promise it makes): a reaction of ours beside the caller's await would end that walk, and
// an async function of ours awaiting the promise kept the walk but showed in the trace as a frame of its own
// (`at async endSpanWhenSettled`). Chained, the trace is the undecorated one. A rejection nobody handles reaches
// unhandledRejection, as without the decorator.
function endSpanWhenSettled(started: StartedSpan, promise: Promise<unknown>): Promise<unknown> {
  return promiseThen.call(
    promise,
    (value: unknown) => {
      // An async method that resolves to a stream (`async report(): Promise<Readable>`): the span covers reading it.
      if (typeof value === 'object' && value !== null && isReadableStream(value)) endSpanWhenStreamEnds(started, value);
      else endChildSpan(started, false, undefined, value);
      return value;
    },
    (error: unknown) => {
      endChildSpan(started, true, error);
      throw error;
    },
  ) as Promise<unknown>;
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
  // A native promise's rejection, logged and passed on by a reaction chained in (see endSpanWhenSettled): one
  // function per decorated method, none per call. It runs in the context of the call that made the promise.
  const logAndRethrow = (error: unknown): never => {
    logOnActiveSpan(error);
    throw error;
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
    if (isNativePromise(result)) return promiseThen.call(result, undefined, logAndRethrow);
    // A Promise subclass keeps its identity: observed in place (its async stack trace stops here), unless its own
    // `then` throws: then it goes back unobserved.
    try {
      result.then(undefined, logOnActiveSpan);
    } catch (error) {
      reportTracingFailure('observing a promise', error);
    }
    return result;
  };
}
