import { TraceFlags, isSpanContextValid, type SpanContext as OtelSpanContext } from '@opentelemetry/api';
import type { SpanContext as JaegerSpanContext } from 'opentracing';
import { extractSpanContext } from '../propagation/extract-span-context';
import { JAEGER_TRACE_HEADER } from '../propagation/header-names';
import { spanIdHex, traceIdHex } from '../propagation/trace-ids';

const SIXTEEN_ZEROS = '0000000000000000';

interface SampledFlag {
  isSampled?: () => boolean;
}

/**
 * A jaeger-client span context as OpenTelemetry expects one: a 32-digit trace id (a 64-bit id padded with
 * zeros in front, as W3C and Jaeger's OTLP translator pad it), a 16-digit span id and the sampled flag.
 */
export function otelSpanContextOf(context: JaegerSpanContext, isRemote = false): OtelSpanContext {
  const traceId = traceIdHex(context) ?? '';
  return {
    traceId: traceId.padStart(32, '0'),
    spanId: spanIdHex(context) ?? '',
    traceFlags: (context as SampledFlag).isSampled?.() === true ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote,
  };
}

/** The Jaeger text form (`trace:span:parent:flags`) of an OpenTelemetry span context, for jaeger-client's codec. */
export function jaegerTextOf(context: OtelSpanContext): string {
  // A 128-bit id whose high half is zero is a padded 64-bit id: Jaeger prints it as 16 digits.
  const traceId = context.traceId.startsWith(SIXTEEN_ZEROS) ? context.traceId.slice(16) : context.traceId;
  const sampled = (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
  return `${traceId}:${context.spanId}:0:${sampled ? 1 : 0}`;
}

/**
 * A span context of OpenTelemetry's as jaeger-client's, through the tracer's own codec (its public extract),
 * so it is the same object a caller's header would have given: remote, with its sampling decision final.
 */
export function jaegerContextFrom(context: OtelSpanContext): JaegerSpanContext | undefined {
  if (!isSpanContextValid(context)) return undefined;
  return extractSpanContext({ [JAEGER_TRACE_HEADER]: jaegerTextOf(context) });
}
