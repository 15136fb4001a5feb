import type { Exception } from '@opentelemetry/api';
import { MAX_ERROR_TEXT, capText } from '../core/record-error';

/**
 * The error log of an OpenTelemetry `recordException`, in the fields the Python seed and our decorators log an
 * error with: `{event: 'error', 'error.kind', message, stack}`. OpenTelemetry's `Exception` is an Error, a
 * plain `{name, message, stack, code}` object or a string; anything else is taken as its text, and nothing
 * (null, undefined) logs nothing, as OpenTelemetry's SDK does: an API call does not throw at its caller.
 */
export function exceptionFields(exception: Exception | null | undefined): Record<string, unknown> | undefined {
  if (exception === null || exception === undefined) return undefined;
  if (typeof exception === 'string') return { event: 'error', 'error.kind': 'Error', message: capText(exception, MAX_ERROR_TEXT) };
  if (typeof exception !== 'object') return { event: 'error', 'error.kind': 'Error', message: capText(String(exception), MAX_ERROR_TEXT) };
  const { name, message, stack, code } = exception;
  const kind = typeof name === 'string' ? name : code === undefined ? 'Error' : String(code);
  const text = typeof message === 'string' ? message : message === undefined ? '' : String(message);
  const fields: Record<string, unknown> = { event: 'error', 'error.kind': kind, message: capText(text, MAX_ERROR_TEXT) };
  const frames = typeof stack === 'string' ? framesUnder(stack, kind, text) : undefined;
  if (frames !== undefined) fields.stack = capText(frames, MAX_ERROR_TEXT);
  return fields;
}

/**
 * The stack as its message was recorded. An instrumentation may record a message of its own rather than the
 * error's: knex's takes out the SQL that knex puts in a failed query's message, with MySQL's bound values
 * formatted in. The stack's first lines repeat the error's own message, so they are replaced by the recorded
 * one and the frames kept; a stack with no frames says nothing more than the message.
 */
function framesUnder(stack: string, kind: string, message: string): string | undefined {
  const head = message === '' ? kind : `${kind}: ${message}`;
  const framesAt = stack.search(/\n\s+at /);
  if (framesAt === -1) return stack === head ? stack : undefined;
  return stack.slice(0, framesAt) === head ? stack : head + stack.slice(framesAt);
}
