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
  const fields: Record<string, unknown> = {
    event: 'error',
    'error.kind': typeof name === 'string' ? name : code === undefined ? 'Error' : String(code),
    message: capText(typeof message === 'string' ? message : message === undefined ? '' : String(message), MAX_ERROR_TEXT),
  };
  if (typeof stack === 'string') fields.stack = capText(stack, MAX_ERROR_TEXT);
  return fields;
}
