import type { Span } from 'opentracing';
import { warnOnce } from '../core/guard';
import { isHttpToken } from '../internal/config-checks';
import { getActiveSpan } from './active-span';

/** jaeger-client's default limit: a longer value is cut to it, and the cut is logged on the span. */
export const MAX_BAGGAGE_VALUE_LENGTH = 2048;
/** The most a trace's baggage may hold in all (keys and values): it travels in headers on every call. */
export const MAX_BAGGAGE_TOTAL_LENGTH = 8192;

function baggageOf(span: Span): Record<string, string> {
  const context = span.context() as { baggage?: Record<string, string> };
  return context.baggage ?? {};
}

/** jaeger-client's spelling of a key: lower case, `_` as `-`, as header names arrive. */
function normalizedKey(key: string): string {
  return key.toLowerCase().replace(/_/g, '-');
}

/**
 * A baggage item of the active trace: set by this service with `setBaggage`, or by any service upstream
 * (arriving in `uberctx-<key>` or W3C `baggage` headers). `undefined` when there is no active span or no such
 * item. Keys are compared as jaeger-client stores them: case-insensitively, `_` the same as `-`.
 */
export function getBaggage(key: string): string | undefined {
  if (typeof key !== 'string') throw new TypeError(`getBaggage(): the key must be a string, got ${typeof key}.`);
  const span = getActiveSpan();
  if (span === undefined) return undefined;
  const normalized = normalizedKey(key);
  const value = span.getBaggageItem(normalized);
  if (value !== undefined) return value;
  // Baggage from a caller keeps its keys as they arrived (`userId` in W3C `baggage`, `uberctx-user_id` from
  // Python): W3C keys are case-sensitive, and an OpenTelemetry service downstream must get `userId` back.
  for (const [other, otherValue] of Object.entries(baggageOf(span))) if (normalizedKey(other) === normalized) return otherValue;
  return undefined;
}

/**
 * Sets a baggage item on the active trace: every call this service makes from now on in this trace carries it
 * to the next service (in `uberctx-<key>` headers, and in W3C `baggage` where `traceparent` is sent), and so
 * on down the trace, so a tenant or user id set at the edge reaches every service. Spans started earlier do not
 * see it. Returns false, and sets nothing, when no span is active.
 *
 * Limits: a key is an HTTP token (letters, digits, `-`, `_`, `.` ...), stored lower case with `_` as `-`; a value
 * longer than 2048 characters is cut to 2048 by jaeger-client (which logs the cut on the span); an item that would
 * bring the trace's baggage past 8192 characters (keys and values) is refused with a TracingWarning, since every
 * call of the trace carries all of it in its headers.
 */
export function setBaggage(key: string, value: string): boolean {
  if (typeof key !== 'string' || !isHttpToken(key)) {
    throw new TypeError(`setBaggage(): the key must be a non-empty HTTP token (letters, digits, - _ . and the like), got ${JSON.stringify(key)}.`);
  }
  if (typeof value !== 'string') throw new TypeError(`setBaggage('${key}'): the value must be a string, got ${typeof value}.`);
  const span = getActiveSpan();
  if (span === undefined) return false;
  const normalized = normalizedKey(key);
  const baggage = baggageOf(span);
  let total = normalized.length + Math.min(value.length, MAX_BAGGAGE_VALUE_LENGTH);
  for (const [other, otherValue] of Object.entries(baggage)) if (other !== normalized) total += other.length + otherValue.length;
  if (total > MAX_BAGGAGE_TOTAL_LENGTH) {
    warnOnce(
      'baggage too large',
      `setBaggage('${normalized}') was refused: the trace's baggage would hold ${total} characters, more than ${MAX_BAGGAGE_TOTAL_LENGTH}, and every call carries all of it in its headers.`,
    );
    return false;
  }
  span.setBaggageItem(normalized, value);
  return true;
}
