import { markedHandlerIn, markedHandlerOfRoute, type RouteHandler } from '../http-server/route-handlers';

/** What is read from a Koa context here: its request line and what @koa/router left on it. */
interface RouterContextLike {
  path?: string;
  method?: string;
  _matchedRoute?: unknown;
  matched?: unknown;
  app?: { middleware?: unknown };
}

interface RouterLayerLike {
  path?: unknown;
  methods?: unknown;
  stack?: unknown;
}

interface RouterLike {
  match(path: string, method: string): { pathAndMethod?: RouterLayerLike[] } | undefined;
}

function allows(layer: RouterLayerLike, method: string | undefined): boolean {
  return Array.isArray(layer.methods) && method !== undefined && layer.methods.includes(method);
}

/**
 * The route @koa/router routed `ctx` to: the `_matchedRoute` it sets as its chain passes each layer, unless that
 * names a `router.use()` layer (no methods: a middleware's pattern, `([^/]*)`, or its mount path), where a
 * middleware of the router stopped the request (an auth check's 401, a body parser's 400). Then the route the
 * request was headed for: the first layer matched for its path that serves its method, as @koa/router runs them;
 * none, and the request is unrouted.
 */
export function routeOf(ctx: RouterContextLike): unknown {
  const route = ctx._matchedRoute;
  if (!Array.isArray(ctx.matched)) return route;
  let headedFor: RouterLayerLike | undefined;
  let named: RouterLayerLike | undefined;
  for (const layer of ctx.matched as RouterLayerLike[]) {
    if (layer?.path === route) named ??= layer;
    if (allows(layer, ctx.method)) {
      if (layer.path === route) return route;
      headedFor ??= layer;
    }
  }
  // Another router's value, or a layer @koa/router did not list: as it is.
  if (named === undefined) return route;
  return headedFor?.path;
}

/** The handler marked on the @koa/router layer that is running for `ctx` (the one `_matchedRoute` names). */
export function routedHandler(ctx: RouterContextLike): RouteHandler | undefined {
  if (!Array.isArray(ctx.matched)) return undefined;
  for (const layer of ctx.matched as RouterLayerLike[]) {
    if (layer?.path !== ctx._matchedRoute || !allows(layer, ctx.method)) continue;
    const handler = markedHandlerOfRoute(layer);
    if (handler !== undefined) return handler;
  }
  return undefined;
}

/**
 * For a request that never reached a router (routing-controllers' Koa driver parses bodies for the whole app,
 * before routing, so a body that does not parse stops there): the marked handler and the route that the app's
 * @koa/router instances would have given it, asked with their own `match`. The first matching route is the one
 * routing-controllers would have run.
 */
export function unroutedHandler(ctx: RouterContextLike): { name: string; route: string } | undefined {
  const middleware = ctx.app?.middleware;
  if (!Array.isArray(middleware) || typeof ctx.path !== 'string' || ctx.method === undefined) return undefined;
  for (const fn of middleware) {
    const router = (fn as { router?: Partial<RouterLike> } | null)?.router;
    if (typeof router?.match !== 'function') continue;
    const layer = router.match(ctx.path, ctx.method)?.pathAndMethod?.[0];
    const handler = markedHandlerIn(layer?.stack);
    if (handler !== undefined && typeof layer?.path === 'string') return { name: handler.name, route: layer.path };
  }
  return undefined;
}
