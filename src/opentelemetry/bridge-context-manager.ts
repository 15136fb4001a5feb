import { trace, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { Span as JaegerSpan } from 'opentracing';
import { getActiveSpan, runWithActiveSpan } from '../context/active-span';
import { localJaegerSpanOf } from './jaeger-context-of';
import { contextBoundFunction } from './context-bound-function';
import { contextHolding, isPureContext } from './span-only-context';
import { isTracingSuppressed } from './suppressed-tracing';
import type { ContextOnlySpan } from './context-only-span';
import { viewOf, type JaegerBackedSpan } from './jaeger-backed-span';

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
  /**
   * Between enable() and disable(). OpenTelemetry's `context.disable()` disables the registered manager before it
   * lets another be registered: a disabled manager no longer answers for the active context, whatever its own
   * AsyncLocalStorage holds.
   */
  private _serving = false;

  override enable(): this {
    this._serving = true;
    return super.enable();
  }

  override disable(): this {
    this._serving = false;
    return super.disable();
  }

  override active(): Context {
    const context = super.active();
    const ours = getActiveSpan();
    if (localJaegerSpanOf(trace.getSpan(context)) === ours) return context;
    if (ours === undefined) return trace.deleteSpan(context);
    return context === ROOT_CONTEXT ? contextHolding(viewOf(ours)) : trace.setSpan(context, viewOf(ours));
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const span = localJaegerSpanOf(trace.getSpan(context));
    // A pure context (a span of ours and nothing else) entered where OpenTelemetry's own context is empty needs
    // our AsyncLocalStorage alone: active() answers the same from it. That is what startActiveSpan enters under
    // a decorated call or a traced request, and it saves a second AsyncLocalStorage run, or both when the span
    // is already ours (a non-recording span inside an unsampled trace).
    if (isPureContext(context) && super.active() === ROOT_CONTEXT) {
      const bound = thisArg == null ? fn : (fn.bind(thisArg) as F);
      return runWithLocalSpan(span, bound, ...args);
    }
    if (span === getActiveSpan()) return super.with(context, fn, thisArg, ...args);
    return runWithActiveSpan(span, () => super.with(context, fn, thisArg, ...args));
  }

  override bind<T>(context: Context, target: T): T {
    if (typeof target === 'function') {
      const bound = contextBoundFunction(this, context, target as (...args: unknown[]) => unknown);
      if (bound !== undefined) return bound as T;
    }
    return super.bind(context, target);
  }

  /**
   * Whether this manager answers for the active context (it is enabled) and OpenTelemetry's own context is empty
   * here: then active() answers from our AsyncLocalStorage alone.
   */
  holdsNoContextOfItsOwn(): boolean {
    return this._serving && super.active() === ROOT_CONTEXT;
  }

  /**
   * Whether the active context suppresses tracing. The key is only ever in OpenTelemetry's own context (our
   * AsyncLocalStorage holds spans alone), read here without making the merged context active() would.
   */
  isTracingSuppressedHere(): boolean {
    return this._serving && isTracingSuppressed(super.active());
  }

  /**
   * Runs `fn(span)` in the pure context of `span` without making that context (see with()), or returns
   * undefined, having run nothing, where OpenTelemetry's own context is not empty. For startActiveSpan.
   */
  runInPureContext<R>(span: JaegerBackedSpan | ContextOnlySpan, fn: (span: JaegerBackedSpan | ContextOnlySpan) => R): { result: R } | undefined {
    if (!this.holdsNoContextOfItsOwn()) return undefined;
    const local = localJaegerSpanOf(span);
    return { result: runWithLocalSpan(local, fn, span) };
  }
}

/**
 * Runs `fn(...args)` with `local` (a local jaeger-client span, or none) the active span of our AsyncLocalStorage,
 * entering it only where another is active: how the bridge enters a pure context, from with() or startActiveSpan.
 */
export function runWithLocalSpan<A extends unknown[], R>(local: JaegerSpan | undefined, fn: (...args: A) => R, ...args: A): R {
  return local === getActiveSpan() ? fn(...args) : runWithActiveSpan(local, fn, ...args);
}

let registeredManager: BridgeContextManager | undefined;

/** The BridgeContextManager OpenTelemetry's API uses, when it is ours (registerOpenTelemetryApi sets it). */
export function registeredBridgeManager(): BridgeContextManager | undefined {
  return registeredManager;
}

export function setRegisteredBridgeManager(manager: BridgeContextManager | undefined): void {
  registeredManager = manager;
}
