import type { ServerResponse } from 'node:http';
import { guard, reportTracingFailure } from '../core/guard';
import { traceExpressRequest, type ExpressRequestLike } from '../express/trace-express-request';
import { RequestTrace } from '../http-server/request-trace';
import { markedHandlerOfRoute, type RouteHandler } from '../http-server/route-handlers';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';
import { routedHandler } from '../koa/router-handler';
import { traceKoaRequest, type KoaContextLike } from '../koa/trace-koa-request';

/**
 * Names the span after the handler of the route now running and fixes that route. routing-controllers lets
 * only the first matching route run a controller's middlewares, so this is the route that handles the request,
 * and it is known here, before body parsing, validation and `@UseBefore` middlewares can turn the request away.
 */
function nameRoutedAction(trace: RequestTrace, findHandler: () => RouteHandler | undefined): void {
  guard('naming a server span', () => {
    trace.pinCurrentRoute();
    const handler = findHandler();
    if (handler === undefined) return;
    trace.setHandler('routing-controllers', handler.name);
    if (handler.excluded) trace.exclude();
  });
}

/** nameRoutedAction for Express, where the handler is marked on the route (`req.route`): no closure made per request. */
function nameExpressRoutedAction(trace: RequestTrace, req: ExpressRequestLike): void {
  try {
    trace.pinCurrentRoute();
    const handler = markedHandlerOfRoute(req.route);
    if (handler === undefined) return;
    trace.setHandler('routing-controllers', handler.name);
    if (handler.excluded) trace.exclude();
  } catch (error) {
    reportTracingFailure('naming a server span', error);
  }
}

/**
 * The controller-level middleware, first among the controller's: starts the server span before body parsers and
 * `@UseBefore` middlewares run, so the span covers the whole request, and names it after the handler. One
 * function serves both drivers, told apart by arity of call.
 */
export function controllerRequestMiddleware(options: ResolvedServerTracingOptions) {
  return function jaegerTracedController(first: unknown, second: unknown, third?: unknown): unknown {
    if (typeof third === 'function') {
      traceExpressRequest(
        first as ExpressRequestLike,
        second as ServerResponse,
        third as (error?: unknown) => void,
        'routing-controllers',
        options,
        nameExpressRoutedAction,
      );
      return undefined;
    }
    const ctx = first as KoaContextLike;
    return traceKoaRequest(ctx, second as () => Promise<unknown>, 'routing-controllers', options, (trace) => nameRoutedAction(trace, () => routedHandler(ctx)));
  };
}

/**
 * The controller's last after-action middleware, an Express error middleware: routing-controllers passes every
 * error of the route on with `next(error)` (a body that does not parse, a failed conversion or validation, a
 * `@UseBefore` middleware's refusal, after answering it), and this records it on the request's span. Koa calls
 * it as plain middleware after a successful action, where there is nothing to see (see observeKoaDriverErrors).
 */
export function controllerErrorMiddleware() {
  return function jaegerTracedControllerErrors(first: unknown, second: unknown, _third: unknown, fourth: unknown): unknown {
    if (typeof fourth === 'function') {
      // Recorded by the status the response goes out with: routing-controllers' handler answers an HttpError
      // with its code, but an error another middleware passes on reaches Express's own handler, which answers 500.
      RequestTrace.of(second as ExpressRequestLike)?.recordErrorWhenAnswered(first);
      return (fourth as (error: unknown) => void)(first);
    }
    return (second as () => unknown)();
  };
}
