import { createContextKey, type Context } from '@opentelemetry/api';

/**
 * OpenTelemetry's suppress-tracing key, as `@opentelemetry/core`'s `suppressTracing()` sets it: exporters wrap
 * their own requests in it, and instrumentations the calls they make themselves (TypeORM's
 * `suppressInternalInstrumentation` its driver's queries). The API makes a key from its description with
 * `Symbol.for`, which is how every copy of `@opentelemetry/core` in an app finds the same key; made the same way
 * here, without depending on core for one symbol.
 */
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** True where tracing is suppressed: OpenTelemetry's SDK starts only non-recording spans there, and so do we. */
export function isTracingSuppressed(context: Context): boolean {
  return context.getValue(SUPPRESS_TRACING_KEY) === true;
}

/** `context` with tracing suppressed, as `@opentelemetry/core`'s `suppressTracing()` makes it. */
export function suppressedTracing(context: Context): Context {
  return context.setValue(SUPPRESS_TRACING_KEY, true);
}
