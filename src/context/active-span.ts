import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from 'opentracing';
import { globalSlot } from '../internal/global-state';

const slot = globalSlot();
// Set by whichever copy of this package loaded first: always an AsyncLocalStorage.
const storage = (slot.storage ??= new AsyncLocalStorage<Span>()) as AsyncLocalStorage<Span>;

/**
 * The span that is active in the current async context: the one a decorated method, a traced request or
 * `withSpan()` made active. `undefined` when none is.
 */
export function getActiveSpan(): Span | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with `span` as the active span and returns what `fn` returns, unchanged. The span stays active
 * across `await`, timers and callbacks started inside `fn`, and never leaks to the caller or to calls running
 * concurrently. `withSpan` does not finish the span.
 */
export function withSpan<T>(span: Span, fn: () => T): T {
  return storage.run(span, fn);
}

/**
 * Runs `fn` with no span active, where one is: the rest of a request that is not traced (an ignored path, no
 * tracer yet). Node carries the context a server was started in into its connections, so a server started
 * inside a span (a `@Span` bootstrap method) would otherwise run every untraced request in that span, and a
 * health check's calls and spans would join the startup's trace for the life of the process.
 */
export function withoutActiveSpan<T>(fn: () => T): T {
  return storage.getStore() === undefined ? fn() : storage.exit(fn);
}

/**
 * Runs `fn(...args)` with `span` as the active span, or with none when `span` is undefined: what the
 * OpenTelemetry context manager does when a context it is given holds a span of ours, or none (a remote one).
 */
export function runWithActiveSpan<A extends unknown[], R>(span: Span | undefined, fn: (...args: A) => R, ...args: A): R {
  return storage.run(span as Span, fn, ...args);
}
