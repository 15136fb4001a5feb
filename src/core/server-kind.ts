import { Tags } from 'opentracing';

/** OpenTracing's tag of a server span, `span.kind`, and its value, as the opentracing package names them. */
export const SPAN_KIND = Tags.SPAN_KIND;
export const SERVER = Tags.SPAN_KIND_RPC_SERVER;

/**
 * startSpan()'s tags of every server span: one object for all (OpenTracing hands the tags over to the span, and
 * jaeger-client copies them into its own list, never changing the object).
 */
export const SERVER_KIND_TAGS: Readonly<Record<string, string>> = Object.freeze({ [SPAN_KIND]: SERVER });
