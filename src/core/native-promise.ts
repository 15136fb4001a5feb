/**
 * True for a promise made by this realm's own Promise, not a subclass and not a thenable. Observing one with the
 * intrinsic `then` runs no user code, so the tracing layer may chain a reaction in and hand back the promise it makes.
 */
export function isNativePromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Promise.prototype;
}
