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
import { finishTimeMs, laterThanStartMs } from '../core/clock';
import { isFinishedSpan } from '../core/finished-span';
import { reportTracingFailure } from '../core/guard';
import { MAX_ERROR_TEXT, capText, forgetFailedMark, hasFailureLogged, markFailed } from '../core/record-error';
import { isUnsampled } from '../core/sampling';
import { addAttributeTags, attributeTag } from './attributes-to-tags';
import { exceptionFields } from './exception-fields';
import { addLateLinks } from './late-links';
import { removeAttributeTag, setAttributeTag } from './last-attribute-wins';
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
  /** The status set through this span, by OpenTelemetry's rules: UNSET ignored, OK final. */
  private _status: SpanStatusCode = SpanStatusCode.UNSET;
  /** Whether an ERROR status set here is what tagged the span `error=true` (an OK after it takes that back). */
  private _failedByStatus = false;
  /** The description of the ERROR status set here, if any. */
  private _errorDescription: string | undefined = undefined;
  /** Whether recordException() logged an error on this span. */
  private _exceptionLogged = false;
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

  /**
   * Whether what is set through this span still reaches it: not once it ended, nor, for a view, once whoever
   * started the span finished it (jaeger-client keeps the duration it reported the span with in `_duration`).
   */
  private _open(): boolean {
    return !this._ended && (this._owned || !isFinishedSpan(this.jaegerSpan));
  }

  setAttribute(key: string, value: AttributeValue): this {
    const tag = attributeTag(key, value);
    if (tag !== undefined && this._open()) setAttributeTag(this.jaegerSpan, key, tag);
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
    if (!this._open()) return this;
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
    if (this._open() && Array.isArray(links)) addLateLinks(this.jaegerSpan, links);
    return this;
  }

  /**
   * As OpenTelemetry's SDK sets a status: UNSET is ignored, OK is final, a later ERROR replaces an earlier one's
   * description. Tagged as Jaeger's OTLP translator maps a status: ERROR is `error=true` with its description; OK
   * is said, and takes back the `error=true` an ERROR set here (not a failure our decorators logged).
   */
  setStatus(status: SpanStatus): this {
    if (!this._open() || this._status === SpanStatusCode.OK) return this;
    const span = this.jaegerSpan;
    if (status?.code === SpanStatusCode.ERROR) {
      this._status = SpanStatusCode.ERROR;
      if (markFailed(span)) this._failedByStatus = true;
      this._errorDescription = typeof status.message === 'string' && status.message !== '' ? status.message : undefined;
      if (this._errorDescription !== undefined) setAttributeTag(span, 'otel.status_description', this._errorDescription);
      else removeAttributeTag(span, 'otel.status_description');
    } else if (status?.code === SpanStatusCode.OK) {
      if (this._status === SpanStatusCode.ERROR) {
        this._errorDescription = undefined;
        removeAttributeTag(span, 'otel.status_description');
        if (this._failedByStatus && forgetFailedMark(span)) removeAttributeTag(span, 'error');
      }
      this._status = SpanStatusCode.OK;
      setAttributeTag(span, 'otel.status_code', 'OK');
    }
    return this;
  }

  updateName(name: string): this {
    if (this._open()) this.jaegerSpan.setOperationName(name);
    return this;
  }

  end(endTime?: TimeInput): void {
    if (!this._owned || this._ended) return;
    this._ended = true;
    try {
      // An end given before the start (or on it: `Date.now()` is whole milliseconds, our start is not) is taken
      // as the start, 1 µs on, as OpenTelemetry's SDK takes it as the start: never a negative duration.
      const endMs = endTime === undefined ? finishTimeMs(this._startMs) : laterThanStartMs(epochMsOf(endTime), this._startMs);
      this._logErrorOfStatus(endMs);
      this.jaegerSpan.finish(endMs);
    } catch (error) {
      reportTracingFailure('finishing an OpenTelemetry span', error);
    }
  }

  /**
   * A span that failed with a description but no recordException() (instrumentation-mysql2 sets only the
   * status, with the client's message) gets the error log every failed span of ours has: in Jaeger a failed
   * query shows what failed, not only `error=true` and a tag. One a decorator logged its failure on has it.
   */
  private _logErrorOfStatus(endMs: number): void {
    if (this._status !== SpanStatusCode.ERROR || this._exceptionLogged || this._errorDescription === undefined) return;
    if (hasFailureLogged(this.jaegerSpan)) return;
    this.jaegerSpan.log({ event: 'error', message: capText(this._errorDescription, MAX_ERROR_TEXT) }, endMs);
  }

  isRecording(): boolean {
    return this._open() && !isUnsampled(this.jaegerSpan);
  }

  recordException(exception: Exception, time?: TimeInput): void {
    if (!this._open()) return;
    const fields = exceptionFields(exception);
    if (fields === undefined) return;
    this._exceptionLogged = true;
    this.jaegerSpan.log(fields, epochMsOf(time));
  }
}

/** The OpenTelemetry view of a span our decorators or middleware started; one per span, made when first asked. */
export function viewOf(span: JaegerSpan): JaegerBackedSpan {
  const holder = span as JaegerSpan & { [VIEW]?: JaegerBackedSpan };
  return (holder[VIEW] ??= new JaegerBackedSpan(span, false, 0));
}
