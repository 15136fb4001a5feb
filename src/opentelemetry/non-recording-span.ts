import type { Attributes, AttributeValue, Exception, Link, Span as OtelSpan, SpanContext as OtelSpanContext, SpanStatus, TimeInput } from '@opentelemetry/api';

/**
 * An OpenTelemetry span that records nothing: every call on it is accepted and dropped. What it stands for, and
 * so its span context, is its subclass's (ContextOnlySpan, SuppressedSpan).
 */
export abstract class NonRecordingSpan implements OtelSpan {
  abstract spanContext(): OtelSpanContext;

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
