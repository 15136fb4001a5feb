import type { Exception } from '@opentelemetry/api';
import { MAX_ERROR_TEXT, capText } from '../core/record-error';

/**
 * The error log of an OpenTelemetry `recordException`, in the fields the Python seed and our decorators log an
 * error with: `{event: 'error', 'error.kind', message, stack}`. OpenTelemetry's `Exception` is an Error, a
 * plain `{name, message, stack, code}` object or a string.
 */
export function exceptionFields(exception: Exception): Record<string, unknown> {
  if (typeof exception === 'string') return { event: 'error', 'error.kind': 'Error', message: capText(exception, MAX_ERROR_TEXT) };
  const { name, message, stack, code } = exception;
  const fields: Record<string, unknown> = {
    event: 'error',
    'error.kind': name ?? (code === undefined ? 'Error' : String(code)),
    message: capText(message ?? '', MAX_ERROR_TEXT),
  };
  if (typeof stack === 'string') fields.stack = capText(stack, MAX_ERROR_TEXT);
  return fields;
}
