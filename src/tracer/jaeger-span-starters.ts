// The one place that reaches into jaeger-client's private members to start spans: a request's server span, and
// the child spans of decorated calls. jaeger-client 3.19 is its last release (the project is archived), so what
// is read here no longer moves; each member is checked when initTracer() runs, and without them every span takes
// jaeger-client's public startSpan() as before.
//
// Why: on Node 24 an unsampled request is served in about 20 µs, and jaeger-client's span, its context, its
// sampling state and its ids are what our middleware adds most to it (bench/sections/where-time-goes.ts).
// A request whose trace is not sampled needs none of them unless something asks for its ids. A sampled one needs
// them, but not startSpan()'s reading of its options to find the parent it is handed.
import type { Span, SpanContext as OpenTracingSpanContext, Tracer } from 'opentracing';
import {
  ConstSampler,
  Span as JaegerSpan,
  SpanContext as JaegerSpanContext,
  ProbabilisticSampler,
  RateLimitingSampler,
  RemoteSampler,
  Tracer as JaegerTracer,
} from 'jaeger-client';
import { FINALLY_UNSAMPLED, WHEN_MADE_SAMPLED, type MadeSampledListener } from '../core/sampling';
import { guard } from '../core/guard';
import { SERVER, SERVER_KIND_TAGS, SPAN_KIND } from '../core/server-kind';
import type { ChildSpanStarter, ServerSpanStarter } from '../internal/global-state';
import { randomId128, randomId64 } from './random-ids';

/** jaeger-client's const, probabilistic and rate-limiting samplers: their decision reads the operation name alone. */
interface NameOnlySampler {
  /** jaeger-client's V1 sampler API, under the onCreateSpan() of its LegacySamplerV1Base. */
  isSampled(operationName: string, tags: Record<string, unknown>): boolean;
}

interface Counter {
  increment(delta: number): void;
}

/** The members of jaeger-client's Tracer that its startSpan() uses and this file uses the same way. */
interface JaegerTracerInternals {
  _sampler: unknown;
  _traceId128bit?: boolean;
  _shareRpcSpan?: boolean;
  _logger: unknown;
  _baggageSetter: unknown;
  _metrics: { spansStartedNotSampled: Counter; tracesStartedNotSampled: Counter; tracesJoinedNotSampled: Counter };
  _startInternalSpan(
    context: JaegerSpanContext,
    operationName: string,
    startTime: number,
    userTags: Record<string, unknown> | undefined,
    internalTags: Record<string, unknown> | undefined,
    references: unknown[] | undefined,
    hadParent: boolean,
    isRpcServer: boolean,
  ): Span;
}

/** The members of jaeger-client's Span prototype that the deferred span calls on, and the sampled server span's tags. */
interface JaegerSpanMethods {
  finish(this: unknown, finishTime?: number): void;
  _isWriteable(this: unknown): boolean;
  _setSamplingPriority(this: unknown, priority: unknown): boolean;
  /** Appends one tag to the span's list as it is, where addTags() and setTag() end (no sampling rule applies). */
  _appendTag(this: unknown, key: string, value: unknown): void;
}

const jaegerSpan = JaegerSpan.prototype as JaegerSpanMethods;

/** The context of a new trace, as startSpan() makes it: new ids, and the baggage a parent without a trace brought. */
function newTraceContext(tracer: JaegerTracerInternals, parent: JaegerSpanContext | undefined): JaegerSpanContext {
  let context: JaegerSpanContext;
  if (tracer._traceId128bit === true) {
    const id = randomId128();
    context = new JaegerSpanContext(id, id.subarray(8));
  } else {
    const id = randomId64();
    context = new JaegerSpanContext(id, id);
  }
  if (parent !== undefined) context.baggage = parent.baggage;
  return context;
}

/**
 * A server span of a trace finally not sampled, whose jaeger-client context is made only when something asks
 * for it: an outgoing call's headers, a child span, a log line's ids, its baggage. Until then it holds what
 * jaeger-client's startSpan() was given. Its prototype is jaeger-client's Span, so jaeger-client's own methods
 * serve it (baggage, `sampling.priority`, inject, `childOf`), and jaeger-client's `instanceof Span` checks take
 * it for what it is. The context it makes is the one startSpan() would have made: same trace, a new span id,
 * the parent's baggage, sampling final.
 */
class UnsampledServerSpan {
  private _context: JaegerSpanContext | undefined = undefined;
  private _tagList: unknown[] | undefined = undefined;
  private _logList: unknown[] | undefined = undefined;
  private _referenceList: unknown[] | undefined = undefined;
  private _madeSampledListener: MadeSampledListener | undefined = undefined;

  constructor(
    readonly _tracer: JaegerTracerInternals,
    public _operationName: string,
    readonly _startTime: number,
    /** The caller's context (joined), or a context that only carries baggage (new trace), or none. */
    private readonly _parent: JaegerSpanContext | undefined,
  ) {}

  get _spanContext(): JaegerSpanContext {
    return (this._context ??= this._makeContext());
  }

  set _spanContext(context: JaegerSpanContext) {
    this._context = context;
  }

  private _makeContext(): JaegerSpanContext {
    const parent = this._parent;
    const context = parent?.isValid === true ? parent._makeChildContext(randomId64()) : newTraceContext(this._tracer, parent);
    context.finalizeSampling();
    return context;
  }

  // What jaeger-client's Span keeps from its construction, made when its methods first touch them.
  get _tags(): unknown[] {
    return (this._tagList ??= []);
  }

  get _logs(): unknown[] {
    return (this._logList ??= []);
  }

  get _references(): unknown[] {
    return (this._referenceList ??= []);
  }

  get _logger(): unknown {
    return this._tracer._logger;
  }

  get _baggageSetter(): unknown {
    return this._tracer._baggageSetter;
  }

  /** True while it is unsampled for good: it was made so, and no `sampling.priority` tag has changed that. */
  [FINALLY_UNSAMPLED](): boolean {
    const context = this._context;
    return context === undefined || (context.samplingFinalized && !context.isSampled());
  }

  /** Tells `listener` once, should a `sampling.priority` tag make this span sampled (see core/sampling). */
  [WHEN_MADE_SAMPLED](listener: MadeSampledListener): boolean {
    if (!this[FINALLY_UNSAMPLED]()) return false;
    this._madeSampledListener = listener;
    return true;
  }

  // The methods of jaeger-client's Span that would read the context only to find the span unsampled and final.
  _isWriteable(): boolean {
    return this._context !== undefined && jaegerSpan._isWriteable.call(this);
  }

  _setSamplingPriority(priority: unknown): boolean {
    if (priority === null || priority === undefined || !jaegerSpan._setSamplingPriority.call(this, priority)) return false;
    const listener = this._madeSampledListener;
    if (listener !== undefined && !this[FINALLY_UNSAMPLED]()) {
      this._madeSampledListener = undefined;
      guard('following a trace made sampled', () => listener.onMadeSampled());
    }
    return true;
  }

  setOperationName(operationName: string): this {
    // A final decision is not asked again of the sampler.
    if (this._context === undefined) this._operationName = operationName;
    else (JaegerSpan.prototype as { setOperationName(this: unknown, name: string): void }).setOperationName.call(this, operationName);
    return this;
  }

  finish(finishTime?: number): void {
    // Unsampled, its finish reports nothing; once made sampled (`sampling.priority`), jaeger-client's reports it.
    if (this._context !== undefined) jaegerSpan.finish.call(this, finishTime);
  }
}
Object.setPrototypeOf(UnsampledServerSpan.prototype, JaegerSpan.prototype);

/**
 * The sampler that decides a new trace, when its decision depends on nothing but the operation name and is
 * final: jaeger-client's const, probabilistic and rate-limiting samplers, alone or as the remote sampler's
 * current strategy. Others (per-operation, priority, user samplers) read the span and may decide again later:
 * their traces start through jaeger-client's startSpan().
 */
function nameOnlySampler(tracer: JaegerTracerInternals): NameOnlySampler | undefined {
  let sampler = tracer._sampler;
  if (sampler instanceof RemoteSampler) sampler = sampler._sampler;
  const kind = (sampler as object | null)?.constructor;
  if (kind === ConstSampler || kind === ProbabilisticSampler || kind === RateLimitingSampler) return sampler as NameOnlySampler;
  return undefined;
}

const SAMPLER_TYPE = 'sampler.type';
const SAMPLER_PARAM = 'sampler.param';

/**
 * Where the sampler writes the tags of a sampled decision: the three name-only samplers write these two,
 * `sampler.type` and `sampler.param`, and only when they sample. They are read out as soon as the span is made,
 * so this one object serves every decision: a trace is decided without the three objects jaeger-client's
 * onCreateSpan() makes for it.
 */
const samplerTags: Record<string, unknown> = { [SAMPLER_TYPE]: undefined, [SAMPLER_PARAM]: undefined };

function hasJaegerInternals(tracer: JaegerTracerInternals): boolean {
  const context = JaegerSpanContext.prototype as unknown as Partial<Record<string, unknown>>;
  return (
    typeof tracer._startInternalSpan === 'function' &&
    typeof tracer._metrics?.spansStartedNotSampled?.increment === 'function' &&
    typeof jaegerSpan._isWriteable === 'function' &&
    typeof jaegerSpan._setSamplingPriority === 'function' &&
    typeof jaegerSpan._appendTag === 'function' &&
    typeof context._makeChildContext === 'function' &&
    typeof context.finalizeSampling === 'function' &&
    typeof context._setSampled === 'function'
  );
}

/**
 * How initTracer()'s tracer starts spans itself: a request's server span (serverSpanStarter) and a decorated
 * call's span under a sampled span of its own (childSpanStarter). Neither for a tracer that is not
 * jaeger-client's (disabled: OpenTracing's no-op tracer), or a jaeger-client whose members differ: then
 * startSpan() makes every span.
 */
export function jaegerSpanStarters(tracer: Tracer): { startServerSpan?: ServerSpanStarter; startChildSpan?: ChildSpanStarter } {
  if (!(tracer instanceof JaegerTracer)) return {};
  const internals = tracer as unknown as JaegerTracerInternals;
  if (!hasJaegerInternals(internals)) return {};
  return { startServerSpan: serverSpanStarter(tracer, internals), startChildSpan: childSpanStarter(tracer, internals) };
}

/** A server span: an UnsampledServerSpan for a request whose trace is finally not sampled, jaeger-client's span otherwise. */
function serverSpanStarter(tracer: Tracer, internals: JaegerTracerInternals): ServerSpanStarter {
  const startSpan = (name: string, parent: JaegerSpanContext | undefined, startMs: number): Span =>
    tracer.startSpan(name, { childOf: parent as OpenTracingSpanContext | undefined, tags: SERVER_KIND_TAGS, startTime: startMs });

  return (operationName, parentContext, startMs) => {
    const parent = parentContext as JaegerSpanContext | undefined;
    const metrics = internals._metrics;
    if (parent?.isValid === true) {
      // Joining a trace the caller did not sample: the caller's decision is final (jaeger-client finalizes
      // every remote parent's), no sampler is asked. shareRpcSpan reuses the caller's span id: startSpan's.
      if (!parent.isRemote() || parent.isSampled() || parent.isDebug() || internals._shareRpcSpan === true) return startSpan(operationName, parent, startMs);
      metrics.spansStartedNotSampled.increment(1);
      metrics.tracesJoinedNotSampled.increment(1);
      return new UnsampledServerSpan(internals, operationName, startMs, parent) as unknown as Span;
    }
    const sampler = nameOnlySampler(internals);
    // A `jaeger-debug-id` forces a sampled trace: startSpan() handles it.
    if (sampler === undefined || parent?.isDebugIDContainerOnly() === true) return startSpan(operationName, parent, startMs);
    // A new trace: asked once, as startSpan() would ask, with the name the span starts with. These samplers'
    // decisions are final (jaeger-client's LegacySamplerV1Base).
    if (!sampler.isSampled(operationName, samplerTags)) {
      metrics.spansStartedNotSampled.increment(1);
      metrics.tracesStartedNotSampled.increment(1);
      return new UnsampledServerSpan(internals, operationName, startMs, parent) as unknown as Span;
    }
    // Sampled: the span startSpan() would make, with this decision rather than a second one (a probabilistic or
    // rate-limiting sampler asked twice would sample less than it says), and the tags it gives it, in its order:
    // the sampler's, then `span.kind`. Appended one by one: handed to _startInternalSpan() as objects, each was
    // read back through `for...in`, V8's slowest walk of an object's keys (about 2,000 instructions a request).
    const context = newTraceContext(internals, parent);
    context._setSampled(true);
    context.finalizeSampling();
    const span = internals._startInternalSpan(context, operationName, startMs, undefined, undefined, [], false, true);
    const samplerType = samplerTags[SAMPLER_TYPE];
    if (samplerType !== undefined) {
      jaegerSpan._appendTag.call(span, SAMPLER_TYPE, samplerType);
      jaegerSpan._appendTag.call(span, SAMPLER_PARAM, samplerTags[SAMPLER_PARAM]);
      // Taken: a decision that writes none (a sampler's isSampled() replaced on the instance) gives none.
      samplerTags[SAMPLER_TYPE] = samplerTags[SAMPLER_PARAM] = undefined;
    }
    jaegerSpan._appendTag.call(span, SPAN_KIND, SERVER);
    return span;
  };
}

/** The members of a jaeger-client span that a child is started from. */
interface JaegerSpanInternals {
  _tracer: unknown;
  _spanContext: JaegerSpanContext;
}

/**
 * The span of a decorated call under a span of the tracer's own, in a trace sampled for good: as jaeger-client's
 * startSpan() makes it for a `childOf` span (a child context with a new span id, the parent's trace, baggage and
 * sampling state, no reference kept), without reading an options object to find the parent. The starter returns
 * undefined for any other parent (another tracer's span, an unsampled or undecided trace): startSpan() then makes
 * the span.
 */
function childSpanStarter(tracer: Tracer, internals: JaegerTracerInternals): ChildSpanStarter {
  return (operationName, parentSpan, tags, startMs) => {
    // An UnsampledServerSpan would make its context to be asked: left to startSpan(), as are other tracers' spans.
    if (!(parentSpan instanceof JaegerSpan) || parentSpan instanceof UnsampledServerSpan) return undefined;
    const parent = parentSpan as unknown as JaegerSpanInternals;
    if (parent._tracer !== tracer) return undefined;
    const context = parent._spanContext;
    if (!context.samplingFinalized || !context.isSampled()) return undefined;
    return internals._startInternalSpan(context._makeChildContext(randomId64()), operationName, startMs, tags, undefined, undefined, true, false);
  };
}
