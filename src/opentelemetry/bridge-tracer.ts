import {
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  trace,
  type Context,
  type Span as OtelSpan,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import type { Span as JaegerSpan, SpanContext as JaegerSpanContext } from 'opentracing';
import { getActiveSpan } from '../context/active-span';
import { activeTracer, initializedTracerState } from '../internal/global-state';
import { reportTracingFailure } from '../core/guard';
import { isNoopSpan, isUnsampled } from '../core/sampling';
import { addAttributeTags, spanKindTag } from './attributes-to-tags';
import { registeredBridgeManager, runWithLocalSpan } from './bridge-context-manager';
import { ContextOnlySpan, unsampledChildOf } from './context-only-span';
import { JaegerBackedSpan, viewOf } from './jaeger-backed-span';
import { jaegerContextOf, localJaegerSpanOf } from './jaeger-context-of';
import { contextHolding, isPureContext } from './span-only-context';
import { addLateLinks, referencesOf } from './late-links';
import { SuppressedSpan } from './suppressed-span';
import { isTracingSuppressed } from './suppressed-tracing';
import { epochMsOf } from './time-input';

/** The instrumentation scope a tracer was asked for, tagged on its spans as Jaeger's OTLP translator tags it. */
export interface InstrumentationScope {
  name: string;
  version?: string;
}

// A span that records nothing and carries no trace: what OpenTelemetry's own no-op tracer hands out, and ours
// before initTracer() or after closeTracer(), and where tracing is suppressed outside any span of ours.
const NO_TRACE = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

type ActiveSpanFunction = (span: OtelSpan) => unknown;

/** What ourActiveSpanHere() answers where OpenTelemetry's own context holds more than our span. */
const ELSEWHERE = Symbol('the active context is not ours alone');

/**
 * The span of the active context, read without making that context, where our context manager answers it from
 * our AsyncLocalStorage alone (it is registered, and OpenTelemetry's own context is empty: see
 * BridgeContextManager.active): a view of our active span, or undefined when none is active. ELSEWHERE otherwise.
 */
function ourActiveSpanHere(): OtelSpan | undefined | typeof ELSEWHERE {
  if (registeredBridgeManager()?.holdsNoContextOfItsOwn() !== true) return ELSEWHERE;
  const ours = getActiveSpan();
  return ours === undefined ? undefined : viewOf(ours);
}

/**
 * The span started where tracing is suppressed, even a root one: as OpenTelemetry's SDK, one that records nothing
 * and carries no trace; one that keeps the local span of `context` active where it is entered (see SuppressedSpan).
 */
function suppressedSpanUnder(context: Context): OtelSpan {
  const local = localJaegerSpanOf(trace.getSpan(context));
  return local === undefined ? NO_TRACE : new SuppressedSpan(local);
}

/**
 * An OpenTelemetry Tracer that starts jaeger-client spans: children of the span of the given (else the active)
 * context, sampled by jaeger-client's sampler and reported by the tracer's reporter. Inside a trace finally not
 * sampled it starts nothing and hands out a non-recording span, as OpenTelemetry's SDK does.
 */
export class BridgeTracer implements Tracer {
  constructor(private readonly _scope: InstrumentationScope) {}

  startSpan(name: string, options: SpanOptions = {}, context?: Context): OtelSpan {
    if (context === undefined) {
      // Our AsyncLocalStorage alone: no other key, so tracing is not suppressed here.
      const here = ourActiveSpanHere();
      if (here !== ELSEWHERE) return this._start(name, options, here);
    }
    const parentContext = context ?? contextApi.active();
    if (isTracingSuppressed(parentContext)) return suppressedSpanUnder(parentContext);
    return this._start(name, options, trace.getSpan(parentContext));
  }

  /** startSpan() once the parent context's span is known: `contextSpan`, the parent unless `options.root`. */
  private _start(name: string, options: SpanOptions, contextSpan: OtelSpan | undefined): OtelSpan {
    const parentSpan = options.root === true ? undefined : contextSpan;
    let parent: JaegerSpan | JaegerSpanContext | undefined;
    if (parentSpan instanceof JaegerBackedSpan) {
      parent = parentSpan.jaegerSpan;
      if (isUnsampled(parentSpan.jaegerSpan)) return unsampledChildOf(parentSpan.jaegerSpan);
    } else if (parentSpan instanceof ContextOnlySpan && parentSpan.localSpan !== undefined) {
      return unsampledChildOf(parentSpan.localSpan);
    } else if (parentSpan !== undefined) {
      parent = jaegerContextOf(parentSpan);
    }

    const startMs = epochMsOf(options.startTime);
    // A fresh tags object for each span: OpenTracing hands its ownership to the span.
    // No kind is INTERNAL, as OpenTelemetry's SDK takes it, which Jaeger's OTLP translator tags `span.kind=internal`.
    const tags = this._tagsOf(spanKindTag(options.kind ?? SpanKind.INTERNAL));
    addAttributeTags(tags, options.attributes);

    let span: JaegerSpan | undefined;
    try {
      // A child of a span of initTracer()'s tracer, with no links, is started by it directly (tracer/jaeger-span-starters).
      if (parentSpan instanceof JaegerBackedSpan && options.links === undefined)
        span = initializedTracerState()?.startChildSpan?.(name, parentSpan.jaegerSpan, tags, startMs);
      // With no parent, the links go on once the span has started: given to startSpan(), jaeger-client would take
      // the first for the parent, and the span would join the linked trace (and its sampling) rather than start
      // one of its own, as a consumer span that amqplib's useLinksForConsume links to its producer must.
      const links = options.links;
      span ??= activeTracer().startSpan(name, {
        childOf: parent,
        references: links === undefined || parent === undefined ? undefined : referencesOf(links),
        tags,
        startTime: startMs,
      });
      if (links !== undefined && parent === undefined && !isUnsampled(span)) addLateLinks(span, links);
    } catch (error) {
      reportTracingFailure('starting an OpenTelemetry span', error);
      return NO_TRACE;
    }
    if (isNoopSpan(span)) return NO_TRACE;
    // A root the sampler turned down: a context for its children (so they stay unsampled), nothing recorded.
    if (isUnsampled(span)) return new ContextOnlySpan(span.context(), span);
    return new JaegerBackedSpan(span, true, startMs);
  }

  // Object literals, one per shape: V8 makes them fastest, where adding keys one by one cost a tenth of the span.
  private _tagsOf(kind: string | undefined): Record<string, unknown> {
    const { name, version } = this._scope;
    if (version === undefined) return kind === undefined ? { 'otel.scope.name': name } : { 'span.kind': kind, 'otel.scope.name': name };
    return kind === undefined
      ? { 'otel.scope.name': name, 'otel.scope.version': version }
      : { 'span.kind': kind, 'otel.scope.name': name, 'otel.scope.version': version };
  }

  startActiveSpan<F extends ActiveSpanFunction>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveSpanFunction>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveSpanFunction>(name: string, options: SpanOptions, context: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveSpanFunction>(name: string, ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = rest.length >= 2 ? (rest[0] as SpanOptions) : undefined;
    // A context given as undefined is no context, as OpenTelemetry's SDK takes it: the active one.
    const givenContext = rest.length === 3 ? rest[1] : undefined;
    if (givenContext === undefined) {
      const here = ourActiveSpanHere();
      if (here !== ELSEWHERE) return this._startUnderOurs(name, options ?? {}, here, fn);
    }
    const parentContext = givenContext ?? contextApi.active();
    const span = this.startSpan(name, options, parentContext);
    // Under a pure parent context (see isPureContext) the span's context is pure too: with our context manager
    // registered, it is entered without being made (a context per span was a third of this call's cost).
    if (isPureContext(parentContext) && (span instanceof JaegerBackedSpan || span instanceof ContextOnlySpan)) {
      const ran = registeredBridgeManager()?.runInPureContext(span, fn as (span: OtelSpan) => ReturnType<F>);
      if (ran !== undefined) return ran.result;
      return contextApi.with(contextHolding(span), fn as (span: OtelSpan) => ReturnType<F>, undefined, span);
    }
    return contextApi.with(trace.setSpan(parentContext, span), fn as (span: OtelSpan) => ReturnType<F>, undefined, span);
  }

  /**
   * startActiveSpan() in the active context where our context manager answers it from our AsyncLocalStorage alone
   * (see ourActiveSpanHere): the span is entered as with() enters its pure context, without making the contexts
   * active() and with() would (they were a fifth of this call's cost, and three quarters inside an unsampled trace).
   */
  private _startUnderOurs<F extends ActiveSpanFunction>(name: string, options: SpanOptions, contextSpan: OtelSpan | undefined, fn: F): ReturnType<F> {
    const span = this._start(name, options, contextSpan);
    const local = localJaegerSpanOf(span);
    // No span of ours (no tracer, or tracing failed): the span goes into a context of its own, as startSpan's would.
    if (local === undefined) return contextApi.with(trace.setSpan(contextApi.active(), span), fn as (span: OtelSpan) => ReturnType<F>, undefined, span);
    return runWithLocalSpan(local, fn, span) as ReturnType<F>;
  }
}
