import { errorLoggingMethod } from '../core/trace-call';
import { assertCalledAsFactory } from './decorator-arguments';
import { methodOrClassDecorator, type MethodOrClassDecorator } from './method-or-class-decorator';

/**
 * Logs an error that a method (or every own method of a class) throws, or whose Promise rejects, on the span
 * active at the call: `error=true` and one log `{event: 'error', 'error.kind', message, stack}`. The error then
 * reaches the caller as the same object; an error rising through several decorated frames is logged once per
 * span. With no active span the method runs as if undecorated.
 */
export function LogErrorsToSpan(...args: []): MethodOrClassDecorator {
  assertCalledAsFactory('LogErrorsToSpan', args);
  if (args.length > 0) throw new TypeError('@LogErrorsToSpan() takes no arguments.');
  return methodOrClassDecorator('LogErrorsToSpan', (method) => errorLoggingMethod(method.original));
}
