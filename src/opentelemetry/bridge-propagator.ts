import { propagation, trace, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import { FORMAT_HTTP_HEADERS, type SpanContext as JaegerSpanContext } from 'opentracing';
import { guard } from '../core/guard';
import { extractRequestSpanContext, withBaggageItems } from '../propagation/extract-span-context';
import { JAEGER_TRACE_HEADER, SEED_TRACE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER, W3C_BAGGAGE_HEADER } from '../propagation/header-names';
import type { IncomingHeaders } from '../propagation/http-headers-codec';
import { currentTracerState } from '../internal/global-state';
import { ContextOnlySpan } from './context-only-span';
import { appBaggageItems } from './span-only-context';
import { isTracingSuppressed } from './suppressed-tracing';
import { jaegerContextOf } from './jaeger-context-of';

function headerText(value: unknown, isList: boolean): string | undefined {
  if (typeof value === 'string') return value;
  // W3C `baggage` and `tracestate` sent in several fields are one list, as the specs combine them.
  if (Array.isArray(value)) return isList ? value.map((item) => headerText(item, false) ?? '').join(',') : headerText(value[0], false);
  // Message headers (AMQP, Kafka) may come back as bytes.
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

interface BaggageCarrier {
  baggage?: Record<string, string>;
  isValid?: boolean;
}

/** `spanContext` with the baggage the app set in `context` added (jaeger-client's contexts copy on each item). */
function withBaggageOf(spanContext: JaegerSpanContext, context: Context): JaegerSpanContext {
  const items = appBaggageItems(context);
  return items === undefined ? spanContext : withBaggageItems(spanContext, items);
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
    // OpenTelemetry's Baggage API (propagation.setBaggage) goes out as the trace's baggage goes.
    guard('injecting the trace context', () => currentTracerState().tracer.inject(withBaggageOf(spanContext, context), FORMAT_HTTP_HEADERS, headers));
    for (const name in headers) setter.set(carrier, name, headers[name]);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const headers: IncomingHeaders = {};
    for (const key of getter.keys(carrier)) {
      const name = key.toLowerCase();
      const text = headerText(getter.get(carrier, key), name === W3C_BAGGAGE_HEADER || name === TRACESTATE_HEADER);
      if (text !== undefined) headers[name] = text;
    }
    // A caller's context, or baggage alone (a message sent outside any trace).
    const spanContext = extractRequestSpanContext({ headers });
    if (spanContext === undefined) return context;
    let extracted = context;
    // The baggage is OpenTelemetry's too (propagation.getBaggage), as its W3C baggage propagator gives it.
    const items = (spanContext as BaggageCarrier).baggage;
    if (items !== undefined && Object.keys(items).length > 0) {
      const entries = Object.fromEntries(Object.entries(items).map(([key, value]) => [key, { value }]));
      extracted = propagation.setBaggage(extracted, propagation.createBaggage(entries));
    }
    if ((spanContext as BaggageCarrier).isValid === false) return extracted;
    return trace.setSpan(extracted, new ContextOnlySpan(spanContext, undefined, true));
  }

  fields(): string[] {
    return [JAEGER_TRACE_HEADER, SEED_TRACE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER, W3C_BAGGAGE_HEADER];
  }
}
