/** The handler a route leads to: its name (`OrderController.create`), and whether it is `@NoSpan()`. */
export interface RouteHandler {
  name: string;
  /** A `@NoSpan()` action of a traced controller: its requests go untraced. */
  excluded: boolean;
}

// Marker middleware -> the handler it stands for. A traced controller puts one marker in the middleware list of
// each of its routes, so the handler a request was routed to can be read from the route itself, before (and
// whether or not) the handler runs. What it says of the handler is the marker's own: two controllers of one name
// (`v1/StatusController`, `v2/StatusController`) each keep theirs, a `@NoSpan()` of one leaves the other traced.
const routeHandlers = new WeakMap<Function, RouteHandler>();

/**
 * A middleware that does nothing but pass the request on and that marks the route it stands in as leading to
 * the handler `name` (`OrderController.create`). It takes four parameters, Express's sign of an error
 * middleware, so Express steps over it for a request without an error rather than calling it: it is read from
 * the route, never needed to run. Express calls it only with an error, Koa always, with `(ctx, next)`.
 *
 * It is told by identity (handlerNames), never by a `name` set on it: a function whose `name` is redefined gets
 * a hidden class of its own, and Express reads each route layer's `fn.length` per request, for such a function
 * through V8's runtime (some 550 instructions a request under callgrind).
 */
export function routeHandlerMarker(handler: RouteHandler): (first: unknown, second: unknown, third: unknown, fourth: unknown) => unknown {
  const marker = function jaegerRouteHandler(first: unknown, second: unknown, _third: unknown, fourth: unknown): unknown {
    return typeof fourth === 'function' ? (fourth as (error: unknown) => unknown)(first) : (second as () => unknown)();
  };
  routeHandlers.set(marker, handler);
  return marker;
}

/**
 * The handler a marker among a route's middleware stands for: Koa router layers list the functions, Express
 * routes list layers that hold them in `handle`. Undefined when the route carries no marker.
 */
export function markedHandlerIn(stack: unknown): RouteHandler | undefined {
  if (!Array.isArray(stack)) return undefined;
  for (let i = 0; i < stack.length; i += 1) {
    const item: unknown = stack[i];
    const fn: unknown = typeof item === 'function' ? item : (item as { handle?: unknown } | null)?.handle;
    const handler = typeof fn === 'function' ? routeHandlers.get(fn) : undefined;
    if (handler !== undefined) return handler;
  }
  return undefined;
}

// The handler marked on a route, kept on the route itself (one object per registered route, for the
// app's lifetime), so that its stack is read once, not on every request.
const ROUTE_HANDLER = Symbol('jaeger-decorators.routeHandler');

type MarkedRoute = { stack?: unknown; [ROUTE_HANDLER]?: RouteHandler | null };

/** The handler marked on an Express route (`req.route`) or a @koa/router layer: read from its stack once. */
export function markedHandlerOfRoute(route: { stack?: unknown } | undefined): RouteHandler | undefined {
  if (route === undefined || route === null) return undefined;
  const marked = route as MarkedRoute;
  let handler = marked[ROUTE_HANDLER];
  if (handler === undefined) {
    handler = markedHandlerIn(marked.stack) ?? null;
    // A route that takes no property of ours (frozen by some other layer) is read again next time.
    if (Object.isExtensible(marked)) marked[ROUTE_HANDLER] = handler;
  }
  return handler ?? undefined;
}
