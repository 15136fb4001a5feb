import { trace, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { getActiveSpan, runWithActiveSpan } from '../context/active-span';
import { localJaegerSpanOf } from './jaeger-context-of';
import { viewOf } from './jaeger-backed-span';

/**
 * OpenTelemetry's context, kept in one with ours. Our decorators and middleware keep the active jaeger-client
 * span in their own AsyncLocalStorage (src/context); OpenTelemetry's whole context (its span and every other
 * key: suppress-tracing, RPC metadata) stays in the AsyncLocalStorage of OpenTelemetry's own context manager,
 * which this extends, so `bind()` for functions and event emitters is OpenTelemetry's.
 * - `with(context)` makes the context's span ours too, so a `@Span` method called there is its child;
 * - `active()` answers OpenTelemetry's context with our active span in it: where `withSpan()` or a decorator
 *   made a span active after that context was entered, the context keeps its other keys and gets that span.
 * The same pairing is how dd-trace serves the OpenTelemetry API from its own scope manager.
 */
export class BridgeContextManager extends AsyncLocalStorageContextManager {
  override active(): Context {
    const context = super.active();
    const ours = getActiveSpan();
    if (localJaegerSpanOf(trace.getSpan(context)) === ours) return context;
    if (ours === undefined) return trace.deleteSpan(context);
    if (context !== ROOT_CONTEXT) return trace.setSpan(context, viewOf(ours));
    // The answer while only our spans are in play, asked for several times per instrumented call: made once.
    const view = viewOf(ours);
    return (view.rootContext ??= trace.setSpan(ROOT_CONTEXT, view));
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const span = localJaegerSpanOf(trace.getSpan(context));
    if (span === getActiveSpan()) return super.with(context, fn, thisArg, ...args);
    return runWithActiveSpan(span, () => super.with(context, fn, thisArg, ...args));
  }
}
