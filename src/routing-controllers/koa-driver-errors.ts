import type { IncomingMessage } from 'node:http';
import { KoaDriver } from 'routing-controllers';
import { RequestTrace } from '../http-server/request-trace';

type HandleError = (this: unknown, error: unknown, action: unknown, options: unknown, ...rest: unknown[]) => unknown;

let observing = false;

/**
 * Lets the request's trace see every error routing-controllers' Koa driver handles. With its default error
 * handler on, the driver answers an error itself and passes nothing on, so the error object of a request turned
 * away before its action (a failed conversion or validation, a `@UseBefore` middleware's refusal, answered as
 * text) would be lost to the trace. Express's driver passes every error on with `next(error)`, which the traced
 * controller's error middleware sees, so it needs nothing of the kind. Installed once per process; the driver
 * behaves as before, and requests without a trace are not touched.
 */
export function observeKoaDriverErrors(): void {
  if (observing) return;
  observing = true;
  const prototype = (KoaDriver as unknown as { prototype?: { handleError?: HandleError } } | undefined)?.prototype;
  const handleError = prototype?.handleError;
  if (prototype === undefined || typeof handleError !== 'function') return;
  prototype.handleError = function handleErrorSeenByTrace(this: unknown, error: unknown, action: unknown, options: unknown, ...rest: unknown[]): unknown {
    const req = (options as { context?: { req?: IncomingMessage } } | undefined)?.context?.req;
    // recordError is guarded: tracing trouble never changes what the driver does with the error.
    if (req !== undefined) RequestTrace.of(req)?.recordError(error);
    return Reflect.apply(handleError, this, [error, action, options, ...rest]);
  };
}
