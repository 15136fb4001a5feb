import type { IncomingMessage, ServerResponse } from 'node:http';

type RoutedRequest = IncomingMessage & { baseUrl?: string; route?: unknown };

/** What a followed request holds: the route Express assigned last, and the template of the one that answered. */
interface RouteWatch {
  current: unknown;
  handled: string | undefined;
  res: ServerResponse;
}

const WATCH = Symbol('jaeger-decorators.handledRoute');

type WatchedRequest = RoutedRequest & { [WATCH]?: RouteWatch };

function template(baseUrl: string | undefined, route: unknown): string | undefined {
  const path = (route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${baseUrl ?? ''}${path}` : undefined;
}

// One getter and one setter for every request, their state in the request itself, rather than a new pair of
// closures per request, which V8 cannot share between requests: on Node's own IncomingMessage objects the closures
// cost 7.8 µs a request against 0.6 µs, and left requests as dictionaries after a few thousand (a micro-benchmark;
// behind Express, which swaps each request's prototype, the gap is smaller). Redefining `route` is still one of
// V8's runtime calls per request, the largest single cost of ours in an unsampled request's profile.
function readRoute(this: WatchedRequest): unknown {
  return this[WATCH]?.current;
}

function assignRoute(this: WatchedRequest, route: unknown): void {
  const watch = this[WATCH];
  if (watch === undefined) return;
  watch.current = route;
  if (!watch.res.headersSent) watch.handled = template(this.baseUrl, route);
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
    watched[WATCH] = { current, handled: template(req.baseUrl, current), res };
  } catch {
    return; // a request object that takes no new property (frozen by some other layer): read as it stands
  }
  try {
    Object.defineProperty(req, 'route', { configurable: true, enumerable: true, get: readRoute, set: assignRoute });
  } catch {
    watched[WATCH] = undefined; // `route` cannot be redefined: read as it stands
  }
}

/** The template of the route that handled `req`: as followed, or else as `req` shows it now. */
export function handledRoute(req: RoutedRequest): string | undefined {
  const watch = (req as WatchedRequest)[WATCH];
  return watch !== undefined ? watch.handled : template(req.baseUrl, req.route);
}
