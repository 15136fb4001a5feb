import { reportTracingFailure } from './guard';

/** What the tracing layer does when a call fails and when it is over. Neither may throw into the app. */
export interface CallObserver {
  onError(error: unknown): void;
  onSettled(): void;
}

function notify(observer: CallObserver, error: unknown, failed: boolean): void {
  try {
    if (failed) observer.onError(error);
    observer.onSettled();
  } catch (tracingError) {
    reportTracingFailure('recording a call outcome', tracingError);
  }
}

/**
 * Calls `method` on `thisArg` and tells `observer` how it ended, without changing what the caller sees:
 * a sync result or throw is passed through as is (a sync method stays sync), and a native Promise is returned
 * as the same object, observed when it settles. Anything else, a lazy thenable such as a query builder
 * included, is treated as a plain value and never `.then`-ed, since calling `then` would run it.
 */
export function observeCall<A extends unknown[], T>(observer: CallObserver, method: (...args: A) => T, thisArg: unknown, args: A): T {
  let result: T;
  try {
    result = Reflect.apply(method, thisArg, args);
  } catch (error) {
    notify(observer, error, true);
    throw error;
  }
  if (result instanceof Promise) {
    result.then(
      () => notify(observer, undefined, false),
      (error: unknown) => notify(observer, error, true),
    );
  } else {
    notify(observer, undefined, false);
  }
  return result;
}
