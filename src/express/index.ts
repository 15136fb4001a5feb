import type { ServerResponse } from 'node:http';
import { RequestTrace } from '../http-server/request-trace';
import { resolveServerTracingOptions, type ServerTracingOptions } from '../http-server/server-tracing-options';
import { traceExpressRequest, type ExpressRequestLike } from './trace-express-request';

export type { ServerTracingOptions };

type ExpressMiddleware = (req: any, res: any, next: (error?: any) => void) => void;
type ExpressErrorMiddleware = (error: any, req: any, res: any, next: (error?: any) => void) => void;

/**
 * Express middleware that traces every request, the seed's Django middleware / Flask request hooks: a server
 * span joined to the caller's trace, active through the rest of the chain (body parsers included), finished
 * when the response is. Mount it first: `app.use(tracingMiddleware())`.
 */
export function tracingMiddleware(options?: ServerTracingOptions): ExpressMiddleware {
  // Express's error handlers are the app's own (after the routes) and answer an error with a status of their
  // choosing: an error a decorator (@LogErrorsToSpan) saw first is recorded by the status the response goes out
  // with, as one tracingErrorHandler() sees is.
  const resolved = resolveServerTracingOptions('tracingMiddleware()', options, true);
  return function jaegerTracingMiddleware(req: ExpressRequestLike, res: ServerResponse, next: (error?: unknown) => void): void {
    traceExpressRequest(req, res, next, 'express', resolved);
  };
}

/**
 * Express error middleware that logs the error a handler passed on (or threw) on the request's span, then
 * hands it on unchanged. Express does not show errors to ordinary middleware, so mount this after your routes
 * and before your own error handlers: `app.use(tracingErrorHandler())`. The error is recorded by the status the
 * response goes out with: a domain error your handler answers with 404 is a `client_error`, not a failure.
 */
export function tracingErrorHandler(): ExpressErrorMiddleware {
  return function jaegerTracingErrorHandler(error: unknown, req: ExpressRequestLike, _res: unknown, next: (error?: unknown) => void): void {
    RequestTrace.of(req)?.recordErrorWhenAnswered(error);
    next(error);
  };
}
