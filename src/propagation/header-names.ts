/** The header jaeger-client (Node and Python) carries the trace context in unless told otherwise. */
export const JAEGER_TRACE_HEADER = 'uber-trace-id';

/**
 * The seed's `trace_id_header: 'trace_id'`, as Python's jaeger_client puts it on the wire: it lower-cases the
 * configured name and turns `_` into `-`, so the seed's services send and read `trace-id`.
 */
export const SEED_TRACE_HEADER = 'trace-id';

/**
 * `trace_id` as written, with the underscore: what version 0.1 of this library sent. Read for compatibility,
 * never sent by default: Werkzeug >= 2.3 (Flask 3), Django's runserver and nginx drop header names with `_`.
 */
export const UNDERSCORE_SEED_TRACE_HEADER = 'trace_id';

/** Jaeger's per-item baggage headers: `uberctx-{key}`. */
export const JAEGER_BAGGAGE_PREFIX = 'uberctx-';

/** W3C Trace Context and W3C Baggage, what OpenTelemetry sends by default. */
export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';
export const W3C_BAGGAGE_HEADER = 'baggage';

/** A header name as Python's jaeger_client uses a configured one (`TextCodec`): lower case, `_` becomes `-`. */
export function pythonHeaderName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** jaeger-client's other two headers: `jaeger-baggage: k=v, k2=v2` and `jaeger-debug-id`. */
export const JAEGER_BAGGAGE_HEADER = 'jaeger-baggage';
export const JAEGER_DEBUG_HEADER = 'jaeger-debug-id';
