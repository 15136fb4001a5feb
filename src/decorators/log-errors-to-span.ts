import { expectedErrorTest, type ErrorMatcher } from '../core/expected-errors';
import { errorLoggingMethod } from '../core/trace-call';
import { assertKnownOptions } from '../internal/known-options';
import { assertCalledAsFactory, assertOptionsObject } from './decorator-arguments';
import { methodOrClassDecorator, type MethodOrClassDecorator } from './method-or-class-decorator';

/** Options of `@LogErrorsToSpan()`. */
export interface LogErrorsToSpanOptions {
  /**
   * Errors that are not failures: error classes and functions of the error. A matching error still reaches the
   * caller unchanged, but the span is not marked `error=true`: it gets one log `{event: 'expected_error',
   * 'error.kind', message}`, without the stack.
   */
  ignoreErrors?: readonly ErrorMatcher[];
  /**
   * An error that carries an HTTP status below 500 (`status`, `statusCode`, `httpCode` or `getStatus()`) marks
   * the span failed. Default: false, it gets one `client_error` log with its `http.status_code` and no
   * `error=true`. On a traced request's span, the integration's own options decide instead (see ServerTracingOptions).
   */
  errorOn4xx?: boolean;
}

/**
 * Logs an error that a method (or every own method of a class) throws, or whose Promise rejects, on the span
 * active at the call: `error=true` and one log `{event: 'error', 'error.kind', message, stack}` (an error carrying
 * a 4xx status is the caller's: one `client_error` log instead, unless `errorOn4xx`). The error then
 * reaches the caller as the same object; an error rising through several decorated frames is logged once per
 * span. With no active span the method runs as if undecorated.
 */
export function LogErrorsToSpan(...args: [options?: LogErrorsToSpanOptions]): MethodOrClassDecorator {
  assertCalledAsFactory('LogErrorsToSpan', args);
  const options: unknown = args[0];
  if (args.length > 1) throw new TypeError('@LogErrorsToSpan() takes one argument, its options.');
  assertOptionsObject('LogErrorsToSpan', options);
  assertKnownOptions('@LogErrorsToSpan()', options ?? {}, ['ignoreErrors', 'errorOn4xx']);
  const { ignoreErrors, errorOn4xx } = (options ?? {}) as LogErrorsToSpanOptions;
  if (errorOn4xx !== undefined && typeof errorOn4xx !== 'boolean') throw new TypeError('@LogErrorsToSpan(): option errorOn4xx must be true or false.');
  const policy = { ignoreErrors: expectedErrorTest('@LogErrorsToSpan()', ignoreErrors), errorOn4xx: errorOn4xx === true };
  return methodOrClassDecorator('LogErrorsToSpan', (method) => errorLoggingMethod(method.original, policy));
}
