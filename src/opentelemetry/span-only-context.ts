import { createContextKey, INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, trace, type Baggage, type Context } from '@opentelemetry/api';
import { ContextOnlySpan } from './context-only-span';
import { JaegerBackedSpan } from './jaeger-backed-span';
import { baggageItems, traceBaggageEntry } from './baggage-items';
import { localJaegerSpanOf } from './jaeger-context-of';

/** A span of ours, as contexts hold it: made through our provider, a view of a decorator's span, or a non-recording one. */
type OurOtelSpan = JaegerBackedSpan | ContextOnlySpan;

/**
 * A span of ours that stands for a local jaeger-client span, the one our AsyncLocalStorage would hold. Not a
 * caller's context read from headers (a remote ContextOnlySpan): our AsyncLocalStorage cannot hold that one, so a
 * context holding it must go into OpenTelemetry's.
 */
function isOurLocalSpan(value: unknown): value is OurOtelSpan {
  return value instanceof JaegerBackedSpan || (value instanceof ContextOnlySpan && value.localSpan !== undefined);
}

/**
 * The key OpenTelemetry's API keeps a context's span under. The API does not export it, but trace.setSpan() can
 * only set it through the context's own setValue(): a context that records the key it is given learns it.
 */
const SPAN_KEY: symbol = (() => {
  let key: symbol | undefined;
  const probe: Context = {
    getValue: () => undefined,
    setValue(given) {
      key = given;
      return probe;
    },
    deleteValue: () => probe,
  };
  trace.setSpan(probe, trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  if (key === undefined) throw new Error("OpenTelemetry's trace.setSpan() set no key through the context's setValue()");
  return key;
})();

/** The key OpenTelemetry's API keeps a context's baggage under: a `Symbol.for` of its description, as the API makes it. */
const BAGGAGE_KEY = createContextKey('OpenTelemetry Baggage Key');

/**
 * The trace's baggage on `span` (from the caller's headers, or `setBaggage()`), as OpenTelemetry's Baggage: what
 * `propagation.getBaggage(context.active())` reads in a traced request, as extract gives it for a message.
 */
function traceBaggageOf(span: OurOtelSpan): Baggage | undefined {
  const items = (localJaegerSpanOf(span)?.context() as { baggage?: Record<string, string> } | undefined)?.baggage;
  if (items === undefined) return undefined;
  const keys = Object.keys(items);
  if (keys.length === 0) return undefined;
  return propagation.createBaggage(Object.fromEntries(keys.map((key) => [key, traceBaggageEntry(items[key])])));
}

/**
 * A context holding a span of ours and nothing else (see contextHolding). It keeps that shape where OpenTelemetry's
 * own contexts would not: setting another span of ours in it, as an instrumentation does for the span it starts
 * (`trace.setSpan(context.active(), span)`), gives that span's context of the same kind, which our context manager
 * enters in our AsyncLocalStorage alone (see BridgeContextManager.with), not in OpenTelemetry's as well. Any other
 * key gives an ordinary context holding both.
 */
class SpanOnlyContext implements Context {
  constructor(private readonly _span: OurOtelSpan) {}

  getValue(key: symbol): unknown {
    if (key === SPAN_KEY) return this._span;
    return key === BAGGAGE_KEY ? traceBaggageOf(this._span) : undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    if (key === SPAN_KEY && isOurLocalSpan(value)) return contextHolding(value);
    return ROOT_CONTEXT.setValue(SPAN_KEY, this._span).setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    if (key === SPAN_KEY) return ROOT_CONTEXT;
    // Without the trace's baggage (propagation.deleteBaggage): an ordinary context that holds the span alone.
    return key === BAGGAGE_KEY ? ROOT_CONTEXT.setValue(SPAN_KEY, this._span) : this;
  }
}

/**
 * The context holding `span` and nothing else, made once per span of ours: what the context manager answers
 * while only our spans are in play, asked for several times per instrumented call. Such a context is *pure*: it
 * adds no key to what our own AsyncLocalStorage holds.
 */
export function contextHolding(span: OurOtelSpan): Context {
  return (span.rootContext ??= new SpanOnlyContext(span));
}

/** True for ROOT_CONTEXT and the contexts contextHolding() made: nothing in them but, at most, a span of ours. */
export function isPureContext(context: Context): boolean {
  return context === ROOT_CONTEXT || context instanceof SpanOnlyContext;
}

/**
 * The baggage items the app set through OpenTelemetry's API in `context`, not the copies of the trace's own; none
 * in a pure context, whose only baggage is the trace's own (not built here only to be left out).
 */
export function appBaggageItems(context: Context): Array<[string, string]> | undefined {
  if (isPureContext(context)) return undefined;
  const baggage = propagation.getBaggage(context);
  if (baggage === undefined) return undefined;
  const items = baggageItems(baggage);
  return items.length === 0 ? undefined : items;
}
