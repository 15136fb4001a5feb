import { IncomingMessage, type ServerResponse } from 'node:http';
import { decodedOrSelf } from '../http-server/redact';

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
  /** The mount path of the routers the request is in, as a template (see MountPath). */
  mount: MountPath | undefined;
  res: ServerResponse;
}

/**
 * The mount path of the routers a request is in: `baseUrl` as Express set it (`/orgs/acme`) and as a template
 * (`/orgs/:org`), with the mount above it. Express gives the matched path only: a router mounted at a path with
 * parameters would put their values (a tenant, a token) into `http.route` and the span name, one name per value.
 */
interface MountPath {
  raw: string;
  template: string;
  /** The parameters the template names, with their values: this mount's and those above it. */
  named: Readonly<Record<string, string>>;
  parent: MountPath | undefined;
}

const WATCH = Symbol('jaeger-decorators.handledRoute');
/** The route Express assigned last, where `route` is our accessor. */
const ROUTE = Symbol('jaeger-decorators.route');
/** The `baseUrl` Express assigned last, where `baseUrl` is our accessor. */
const BASE_URL = Symbol('jaeger-decorators.baseUrl');

type WatchedRequest = RoutedRequest & { [WATCH]?: RouteWatch; [ROUTE]?: unknown; [BASE_URL]?: string };

/**
 * A route's path as declared: a string as it is; a RegExp as its source (`/^\/re\/(\d+)$/`); a list of paths
 * (`app.get(['/a/:id', '/b/:id'])`) as its entries joined by commas, since Express does not say which matched.
 * As OpenTelemetry's Express instrumentation records them.
 */
function declaredPath(path: unknown): string | undefined {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return String(path);
  if (!Array.isArray(path) || path.length === 0) return undefined;
  const paths = path.map(declaredPath);
  return paths.includes(undefined) ? undefined : paths.join(',');
}

function template(baseUrl: string | undefined, route: unknown): string | undefined {
  const path = (route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${baseUrl ?? ''}${path}`;
  const declared = declaredPath(path);
  return declared === undefined ? undefined : `${baseUrl ?? ''}${declared}`;
}

const NOTHING_NAMED: Readonly<Record<string, string>> = Object.freeze({});

/**
 * `path`, the part of a mount path one router added, with each segment that holds the value of one of `params`
 * written as that parameter (`:org`; `*` for an unnamed group). Express keeps no mount pattern, only the values:
 * a value found in one segment alone names it, one found in several (`/orgs/users/users` for `/orgs/:org/users`)
 * is left as it came rather than guessed. Parameters come in the order of the path, so each is looked for before
 * the one after it. A parameter handed down from a mount above (mergeParams), with the value it had there, is
 * that mount's, not this one's.
 */
function templateOf(
  path: string,
  params: Record<string, unknown> | undefined,
  inherited: Readonly<Record<string, string>>,
  named: Record<string, string>,
): string {
  if (params === undefined) return path;
  const keys = Object.keys(params);
  let segments: string[] | undefined;
  let before = Number.POSITIVE_INFINITY;
  for (let k = keys.length - 1; k >= 0; k -= 1) {
    const key = keys[k];
    const value = params[key];
    if (typeof value !== 'string' || value === '' || inherited[key] === value) continue;
    segments ??= path.split('/');
    // Segment 0 is what precedes the leading '/'.
    let found = -1;
    let count = 0;
    for (let i = Math.min(before, segments.length) - 1; i >= 1; i -= 1) {
      if (decodedOrSelf(segments[i]) !== value) continue;
      if (found < 0) found = i;
      count += 1;
    }
    if (found < 0) continue;
    before = found;
    if (count > 1) continue;
    segments[found] = /^\d+$/.test(key) ? '*' : `:${key}`;
    named[key] = value;
  }
  return segments === undefined ? path : segments.join('/');
}

/** The mount path for `raw`, the `baseUrl` Express just set: a router entered below `current`, or one left. */
function mountPathOf(current: MountPath | undefined, raw: string, params: Record<string, unknown> | undefined): MountPath | undefined {
  let base = current;
  while (base !== undefined && !(raw.startsWith(base.raw) && (raw.length === base.raw.length || raw[base.raw.length] === '/'))) base = base.parent;
  if (base !== undefined && base.raw.length === raw.length) return base;
  if (raw === '') return undefined;
  const inherited = base?.named ?? NOTHING_NAMED;
  const named = { ...inherited };
  const added = templateOf(raw.slice(base?.raw.length ?? 0), params, inherited, named);
  return { raw, template: `${base?.template ?? ''}${added}`, named, parent: base };
}

function readRoute(this: WatchedRequest): unknown {
  return this[ROUTE];
}

function assignRoute(this: WatchedRequest, route: unknown): void {
  this[ROUTE] = route;
  const watch = this[WATCH];
  if (watch === undefined || watch.res.headersSent) return;
  // The mount path as a template where it is the one Express holds now (in an app without mounts with
  // parameters, baseUrl is not followed past the middleware's own mount).
  const baseUrl = this.baseUrl;
  watch.handled = template(watch.mount !== undefined && watch.mount.raw === baseUrl ? watch.mount.template : baseUrl, route);
  // Express assigns a route twice, before its parameters and again as the route runs, with them.
  watch.params = this.params;
}

function readBaseUrl(this: WatchedRequest): string | undefined {
  return this[BASE_URL];
}

// Express sets `baseUrl` as it enters a mounted router, once that mount's parameters are in `req.params`, and
// sets it back as it leaves.
function assignBaseUrl(this: WatchedRequest, baseUrl: string): void {
  this[BASE_URL] = baseUrl;
  const watch = this[WATCH];
  if (watch !== undefined && typeof baseUrl === 'string') watch.mount = mountPathOf(watch.mount, baseUrl, this.params);
}

const ROUTE_ACCESSOR = { configurable: true, enumerable: true, get: readRoute, set: assignRoute };
const BASE_URL_ACCESSOR = { configurable: true, enumerable: true, get: readBaseUrl, set: assignBaseUrl };

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

interface LayerLike {
  route?: unknown;
  /** Express 4: the names of the layer's path parameters. */
  keys?: unknown[];
  /** Express 5 (router 2): the path the layer was mounted at. */
  rawPath?: unknown;
  handle?: { stack?: unknown };
}

// Routers (Express 4's app._router, Express 5's app.router, and routers mounted in them), and whether a router is
// mounted somewhere below them at a path with parameters, as of how many layers they had then.
const mountsWithParameters = new WeakMap<object, { layers: number; found: boolean }>();

function hasParameters(layer: LayerLike): boolean {
  if (Array.isArray(layer.keys)) return layer.keys.length > 0;
  const paths: unknown[] = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath];
  return paths.some((path) => path instanceof RegExp || (typeof path === 'string' && /[:*]/.test(path)));
}

function routerMountsWithParameters(stack: readonly LayerLike[], depth: number): boolean {
  for (const layer of stack) {
    if (layer.route !== undefined) continue;
    const below = layer.handle?.stack;
    if (!Array.isArray(below)) continue;
    if (hasParameters(layer) || (depth < 8 && routerMountsWithParameters(below as LayerLike[], depth + 1))) return true;
  }
  return false;
}

/** An Express request's app, as far as its routers are read: Express 4's `app._router`, Express 5's `app.router`. */
type AppRequest = RoutedRequest & { app?: { _router?: { stack?: unknown }; router?: { stack?: unknown } } };

/** Whether the app `req` is in mounts a router at a path with parameters, at any depth (looked at once per app). */
function appMountsWithParameters(req: AppRequest): boolean {
  const router = req.app?._router ?? req.app?.router;
  const stack = router?.stack;
  if (router === undefined || !Array.isArray(stack)) return false;
  const known = mountsWithParameters.get(router);
  if (known !== undefined && known.layers === stack.length) return known.found;
  const found = routerMountsWithParameters(stack as LayerLike[], 0);
  mountsWithParameters.set(router, { layers: stack.length, found });
  return found;
}

/**
 * Follows `baseUrl` as Express sets it, through an accessor on the request: Express sets it as a property of the
 * request's own (as the app's router starts, before the request inherits from the app's request), and a data
 * property cannot be watched otherwise. Redefining it makes V8 keep the request's properties in a dictionary,
 * which cost a sampled request some 28,000 instructions more (Node 24, bench/instruction-counts): done only in
 * an app that mounts a router at a path with parameters, where the template needs it.
 */
function followBaseUrl(req: WatchedRequest): void {
  if (!appMountsWithParameters(req)) return;
  if (!Object.prototype.hasOwnProperty.call(req, 'baseUrl')) return;
  const own = Object.getOwnPropertyDescriptor(req, 'baseUrl');
  if (own === undefined || !('value' in own) || own.configurable !== true) return;
  req[BASE_URL] = own.value as string | undefined;
  Object.defineProperty(req, 'baseUrl', BASE_URL_ACCESSOR);
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
  const baseUrl = req.baseUrl;
  // Mounted itself below a router with parameters, the middleware finds them in req.params.
  const mount = baseUrl === undefined || baseUrl === '' ? undefined : mountPathOf(undefined, baseUrl, req.params);
  try {
    watched[WATCH] = { handled: template(mount?.template, current), params: current === undefined ? undefined : req.params, mount, res };
  } catch {
    return; // a request object that takes no new property (frozen by some other layer): read as it stands
  }
  if (hasRouteAccessor(req)) {
    followBaseUrl(watched);
    return;
  }
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
