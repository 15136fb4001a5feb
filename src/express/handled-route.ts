import { IncomingMessage, type ServerResponse } from 'node:http';

type RoutedRequest = IncomingMessage & { baseUrl?: string; route?: unknown; params?: Record<string, unknown> };

/**
 * What a followed request holds: the template of the route that answered, its parameters, and its response to
 * tell when.
 */
interface RouteWatch {
  handled: string | undefined;
  /**
   * The route's parameters, as the route saw them: Express puts back the parameters of the router it leaves, so
   * an error handler outside it finds `req.params` empty, and the values of secret ones could not be redacted.
   */
  params: Record<string, unknown> | undefined;
  res: ServerResponse;
}

const WATCH = Symbol('jaeger-decorators.handledRoute');
/** The route Express assigned last, where `route` is our accessor. */
const ROUTE = Symbol('jaeger-decorators.route');

type WatchedRequest = RoutedRequest & { [WATCH]?: RouteWatch; [ROUTE]?: unknown };

function template(baseUrl: string | undefined, route: unknown): string | undefined {
  const path = (route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${baseUrl ?? ''}${path}` : undefined;
}

function readRoute(this: WatchedRequest): unknown {
  return this[ROUTE];
}

function assignRoute(this: WatchedRequest, route: unknown): void {
  this[ROUTE] = route;
  const watch = this[WATCH];
  if (watch === undefined || watch.res.headersSent) return;
  watch.handled = template(this.baseUrl, route);
  // Express assigns a route twice, before its parameters and again as the route runs, with them.
  watch.params = this.params;
}

const ROUTE_ACCESSOR = { configurable: true, enumerable: true, get: readRoute, set: assignRoute };

/** Request prototypes given the accessor: an Express app's `app.request`. */
const prototypesWithAccessor = new WeakSet<object>();

/**
 * Puts the `route` accessor on the request's prototype, once per prototype. Express makes each request inherit
 * from its app's `app.request` (the documented place to extend requests), so one accessor there follows every
 * request of the app; a request that has no `route` of its own then assigns through it. Defining it on each
 * request instead was one of V8's runtime calls per request, the largest single cost of ours in a sampled
 * Express request on Node 24 (1.8 µs of 73, bench/apps/http-app.ts under --cpu-prof). A plain `http` request
 * (Node's own prototype, shared by every server) is not touched.
 */
function hasRouteAccessor(req: RoutedRequest): boolean {
  const prototype = Object.getPrototypeOf(req) as object | null;
  if (prototype === null || prototype === IncomingMessage.prototype) return false;
  if (!prototypesWithAccessor.has(prototype)) {
    try {
      // Another library's own `route` on the prototype is left alone.
      if (Object.prototype.hasOwnProperty.call(prototype, 'route')) return false;
      Object.defineProperty(prototype, 'route', ROUTE_ACCESSOR);
    } catch {
      return false;
    }
    prototypesWithAccessor.add(prototype);
  }
  // A route assigned before the accessor was there (the first request through a route-level middleware) is a
  // property of the request's own, which hides the accessor.
  return !Object.prototype.hasOwnProperty.call(req, 'route');
}

/**
 * Follows which route handles `req`; handledRoute() then reads its full template (`/api/items/:id`).
 *
 * Reading `req.baseUrl + req.route.path` when the response finishes gets two cases wrong: a router mounted at
 * `/api` has restored `baseUrl` to `''` by the time an error handler outside it answers, and a route that answers
 * and then calls `next()` is replaced in `req.route` by any later route matching the same path (routing-controllers
 * does this after every action). So the template is taken when Express assigns `req.route`, while `baseUrl` still
 * holds the mount path, and a route assigned after the response has started does not replace the one that sent it.
 */
export function followHandledRoute(req: RoutedRequest, res: ServerResponse): void {
  const watched = req as WatchedRequest;
  const current = req.route;
  try {
    watched[WATCH] = { handled: template(req.baseUrl, current), params: current === undefined ? undefined : req.params, res };
  } catch {
    return; // a request object that takes no new property (frozen by some other layer): read as it stands
  }
  if (hasRouteAccessor(req)) return;
  // A route already assigned before us (a route-level middleware), or no app prototype: the accessor on the
  // request itself.
  try {
    watched[ROUTE] = current;
    Object.defineProperty(req, 'route', ROUTE_ACCESSOR);
  } catch {
    watched[WATCH] = undefined; // `route` cannot be redefined: read as it stands
  }
}

/** The parameters of the route that handled `req`: as followed, or else as `req` shows them now. */
export function handledParams(req: RoutedRequest): Record<string, unknown> | undefined {
  return (req as WatchedRequest)[WATCH]?.params ?? req.params;
}

/** The template of the route that handled `req`: as followed, or else as `req` shows it now. */
export function handledRoute(req: RoutedRequest): string | undefined {
  const watch = (req as WatchedRequest)[WATCH];
  return watch !== undefined ? watch.handled : template(req.baseUrl, req.route);
}
