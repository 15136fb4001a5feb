import {
  SpanStatusCode,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type Link,
  type Span as OtelSpan,
  type SpanContext as OtelSpanContext,
  type SpanStatus,
  type TimeInput,
} from '@opentelemetry/api';
import type { Span as JaegerSpan } from 'opentracing';
import { finishTimeMs } from '../core/clock';
import { reportTracingFailure } from '../core/guard';
import { markFailed } from '../core/record-error';
import { isUnsampled } from '../core/sampling';
import { addAttributeTags, attributeTag } from './attributes-to-tags';
import { exceptionFields } from './exception-fields';
import { addLateLinks } from './late-links';
import { setAttributeTag } from './last-attribute-wins';
import { otelSpanContextOf } from './span-context-ids';
import { epochMsOf } from './time-input';

const VIEW = Symbol('jaeger-decorators.opentelemetry-view');

function isTimeInput(value: unknown): value is TimeInput {
  return typeof value === 'number' || value instanceof Date || Array.isArray(value);
}

/**
 * A jaeger-client span seen through OpenTelemetry's Span interface: what an instrumentation sets on it becomes
 * the span's tags and logs (see the README's mapping table). A span started through our provider is *owned*
 * and `end()` finishes it; a *view* of a span our decorators or middleware started (what
 * `trace.getActiveSpan()` returns inside them) lets its tags and logs be set, but its end stays theirs.
 */
export class JaegerBackedSpan implements OtelSpan {
  private _otelContext: OtelSpanContext | undefined;
  private _ended = false;
  /** A context holding just this span (see contextHolding), made once. */
  rootContext: Context | undefined;

  constructor(
    readonly jaegerSpan: JaegerSpan,
    private readonly _owned: boolean,
    private readonly _startMs: number,
  ) {
    // A span started through our provider is its own view: trace.getActiveSpan() under it is the same object.
    if (_owned) (jaegerSpan as JaegerSpan & { [VIEW]?: JaegerBackedSpan })[VIEW] = this;
  }

  spanContext(): OtelSpanContext {
    return (this._otelContext ??= otelSpanContextOf(this.jaegerSpan.context()));
  }

  setAttribute(key: string, value: AttributeValue): this {
    const tag = attributeTag(key, value);
    if (tag !== undefined && !this._ended) setAttributeTag(this.jaegerSpan, key, tag);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) {
      const value = attributes[key];
      if (value !== undefined) this.setAttribute(key, value);
    }
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this {
    if (this._ended) return this;
    const time = isTimeInput(attributesOrStartTime) ? attributesOrStartTime : startTime;
    const attributes = isTimeInput(attributesOrStartTime) ? undefined : attributesOrStartTime;
    // Jaeger's OTLP translator puts an event's name in the log's `event` field.
    this.jaegerSpan.log(addAttributeTags({ event: name }, attributes), epochMsOf(time));
    return this;
  }

  addLink(link: Link): this {
    return this.addLinks([link]);
  }

  addLinks(links: Link[]): this {
    if (!this._ended) addLateLinks(this.jaegerSpan, links);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this._ended) return this;
    // As Jaeger's OTLP translator maps a status: ERROR is `error=true` with its description; OK is said.
    if (status.code === SpanStatusCode.ERROR) {
      markFailed(this.jaegerSpan);
      if (status.message) this.jaegerSpan.setTag('otel.status_description', status.message);
    } else if (status.code === SpanStatusCode.OK) {
      this.jaegerSpan.setTag('otel.status_code', 'OK');
    }
    return this;
  }

  updateName(name: string): this {
    if (!this._ended) this.jaegerSpan.setOperationName(name);
    return this;
  }

  end(endTime?: TimeInput): void {
    if (!this._owned || this._ended) return;
    this._ended = true;
    try {
      this.jaegerSpan.finish(endTime === undefined ? finishTimeMs(this._startMs) : epochMsOf(endTime));
    } catch (error) {
      reportTracingFailure('finishing an OpenTelemetry span', error);
    }
  }

  isRecording(): boolean {
    return !this._ended && !isUnsampled(this.jaegerSpan);
  }

  recordException(exception: Exception, time?: TimeInput): void {
    if (!this._ended) this.jaegerSpan.log(exceptionFields(exception), epochMsOf(time));
  }
}

/** The OpenTelemetry view of a span our decorators or middleware started; one per span, made when first asked. */
export function viewOf(span: JaegerSpan): JaegerBackedSpan {
  const holder = span as JaegerSpan & { [VIEW]?: JaegerBackedSpan };
  return (holder[VIEW] ??= new JaegerBackedSpan(span, false, 0));
}
