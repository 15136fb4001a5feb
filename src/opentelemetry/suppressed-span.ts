import { INVALID_SPAN_CONTEXT, type SpanContext as OtelSpanContext } from '@opentelemetry/api';
import type { Span as JaegerSpan } from 'opentracing';
import { NonRecordingSpan } from './non-recording-span';

/**
 * What a span started where tracing is suppressed is. As OpenTelemetry's SDK hands out there, it records nothing
 * and carries no trace: its context is invalid, so nothing is injected from it and a span started under it once
 * the suppression is lifted begins a trace of its own. But it stands for the local span active where it was asked
 * for, and entering it (`context.with`, a bound callback) keeps that span active in our AsyncLocalStorage: a `@Span`
 * method or a log line there stays in the request's trace, with its baggage, rather than starting a trace of its own.
 */
export class SuppressedSpan extends NonRecordingSpan {
  constructor(readonly localSpan: JaegerSpan) {
    super();
  }

  spanContext(): OtelSpanContext {
    return INVALID_SPAN_CONTEXT;
  }
}
