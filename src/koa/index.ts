import { resolveServerTracingOptions, type ServerTracingOptions } from '../http-server/server-tracing-options';
import { traceKoaRequest, type KoaContextLike } from './trace-koa-request';

export type { ServerTracingOptions };

/**
 * Koa middleware that traces every request, the seed's Django middleware / Flask request hooks: a server span
 * joined to the caller's trace, active for everything downstream, finished when the response is. An error
 * thrown downstream is logged on the span and rethrown. Mount it first: `app.use(koaTracingMiddleware())`.
 */
export function koaTracingMiddleware(options?: ServerTracingOptions): (ctx: any, next: () => Promise<unknown>) => Promise<void> {
  // Koa's error handlers are middleware of the app's own (after this one) that answer an error with a status of
  // their choosing: an error a decorator (@LogErrorsToSpan) saw first is recorded by the status the response goes
  // out with, as the chain's rejection is, not at once as a failure.
  const resolved = resolveServerTracingOptions('koaTracingMiddleware()', options, true);
  return function jaegerKoaTracingMiddleware(ctx: KoaContextLike, next: () => Promise<unknown>): Promise<void> {
    return traceKoaRequest(ctx, next, 'koa', resolved);
  };
}
