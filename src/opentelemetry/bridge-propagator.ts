import { trace, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { guard } from '../core/guard';
import { extractSpanContext } from '../propagation/extract-span-context';
import { JAEGER_TRACE_HEADER, SEED_TRACE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER, W3C_BAGGAGE_HEADER } from '../propagation/header-names';
import type { IncomingHeaders } from '../propagation/http-headers-codec';
import { currentTracerState } from '../internal/global-state';
import { ContextOnlySpan } from './context-only-span';
import { isTracingSuppressed } from './suppressed-tracing';
import { jaegerContextOf } from './jaeger-context-of';

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return headerText(value[0]);
  // Message headers (AMQP, Kafka) may come back as bytes.
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/**
 * OpenTelemetry's global propagator, speaking what our tracer speaks: inject writes the headers our HTTP client
 * patches write (the Jaeger header under each configured name, `uberctx-*` baggage, W3C when configured) and
 * extract reads every spelling our middleware reads. So a message a queue instrumentation publishes carries the
 * trace as an HTTP call would, and its consumer, in any service of ours or the seed's, joins that trace.
 */
export class BridgePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    // As OpenTelemetry's W3C propagators: where tracing is suppressed, nothing is written.
    if (isTracingSuppressed(context)) return;
    const span = trace.getSpan(context);
    if (span === undefined) return;
    const spanContext = jaegerContextOf(span);
    if (spanContext === undefined) return;
    const headers: Record<string, string> = {};
    guard('injecting the trace context', () => currentTracerState().tracer.inject(spanContext, FORMAT_HTTP_HEADERS, headers));
    for (const name in headers) setter.set(carrier, name, headers[name]);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const headers: IncomingHeaders = {};
    for (const name of getter.keys(carrier)) {
      const text = headerText(getter.get(carrier, name));
      if (text !== undefined) headers[name.toLowerCase()] = text;
    }
    const spanContext = extractSpanContext(headers);
    if (spanContext === undefined) return context;
    return trace.setSpan(context, new ContextOnlySpan(spanContext, undefined, true));
  }

  fields(): string[] {
    return [JAEGER_TRACE_HEADER, SEED_TRACE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER, W3C_BAGGAGE_HEADER];
  }
}
