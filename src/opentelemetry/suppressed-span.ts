import { INVALID_SPAN_CONTEXT } from '@opentelemetry/api';
import type { Attributes, AttributeValue, Exception, Link, Span as OtelSpan, SpanContext as OtelSpanContext, SpanStatus, TimeInput } from '@opentelemetry/api';
import type { Span as JaegerSpan } from 'opentracing';

/**
 * What a span started where tracing is suppressed is. As OpenTelemetry's SDK hands out there, it records nothing
 * and carries no trace: its context is invalid, so nothing is injected from it and a span started under it once
 * the suppression is lifted begins a trace of its own. But it stands for the local span active where it was asked
 * for, and entering it (`context.with`, a bound callback) keeps that span active in our AsyncLocalStorage: a `@Span`
 * method or a log line there stays in the request's trace, with its baggage, rather than starting a trace of its own.
 */
export class SuppressedSpan implements OtelSpan {
  constructor(readonly localSpan: JaegerSpan) {}

  spanContext(): OtelSpanContext {
    return INVALID_SPAN_CONTEXT;
  }

  setAttribute(_key: string, _value: AttributeValue): this {
    return this;
  }

  setAttributes(_attributes: Attributes): this {
    return this;
  }

  addEvent(_name: string, _attributesOrStartTime?: Attributes | TimeInput, _startTime?: TimeInput): this {
    return this;
  }

  addLink(_link: Link): this {
    return this;
  }

  addLinks(_links: Link[]): this {
    return this;
  }

  setStatus(_status: SpanStatus): this {
    return this;
  }

  updateName(_name: string): this {
    return this;
  }

  end(_endTime?: TimeInput): void {}

  isRecording(): boolean {
    return false;
  }

  recordException(_exception: Exception, _time?: TimeInput): void {}
}
