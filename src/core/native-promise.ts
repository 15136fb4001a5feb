/**
 * True for a promise made by this realm's own Promise, not a subclass and not a thenable. Awaiting one never
 * runs user code (no `then` is looked up), so the tracing layer may await it and hand back a promise of its own.
 */
export function isNativePromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Promise.prototype;
}
