import type { ServerResponse } from 'node:http';
import { ExpressRequestFacts, type ExpressRequestLike } from '../express/trace-express-request';
import { qualifiedHandlerName } from '../fastify/fastify-request-facts';

interface RouteLayerLike {
  route?: { path?: unknown; methods?: Record<string, boolean>; stack?: unknown };
  match?: (path: string) => boolean;
}

type NestExpressRequest = ExpressRequestLike & { app?: { router?: { stack?: unknown }; _router?: { stack?: unknown } } };

// The handler Nest named among a route's layers, the last one that carries such a name.
function nestHandlerIn(stack: unknown): string | undefined {
  if (!Array.isArray(stack)) return undefined;
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    const handle = (stack[i] as { handle?: unknown } | null)?.handle;
    const name = typeof handle === 'function' ? qualifiedHandlerName(handle.name) : undefined;
    if (name !== undefined) return name;
  }
  return undefined;
}

/** A route Nest made for a `MiddlewareConsumer`'s middleware: its wrappers, each a function named `handler`. */
function isNestMiddleware(stack: unknown): boolean {
  return Array.isArray(stack) && stack.length > 0 && stack.every((layer) => (layer as { handle?: { name?: unknown } } | null)?.handle?.name === 'handler');
}

/**
 * An Express request under Nest: Express's facts, and the handler Nest named on the route that matched, for a
 * request that a guard of the app refused before the tracing guard could name it, or the route it was headed
 * for when it never got there (a body that does not parse fails in Nest's body parser, before routing).
 */
export class NestExpressRequestFacts extends ExpressRequestFacts {
  constructor(
    private readonly _nestReq: ExpressRequestLike,
    res: ServerResponse,
  ) {
    super(_nestReq, res);
  }

  handler(): string | undefined {
    return nestHandlerIn(this._nestReq.route?.stack);
  }

  /**
   * The route of the app that Express would have routed the request to, and the handler Nest named on it. Each
   * layer is matched through an object that inherits from it: `match()` writes the params it found on `this`, and
   * the app's own layers must not change under requests in flight. Read only at the end of a request whose span
   * records and that no route took (a 404 pays for a walk of the routes). Nest 12 names its route handlers: the
   * first matching route that carries such a name. Nest 11 names none, and registers a `MiddlewareConsumer`'s
   * middleware as routes too, before the controller's (`/users/` before `/users`), each through a wrapper it
   * names `handler`: the first matching route that is not such a wrapper, as Express would have routed it.
   */
  unroutedHandler(): { name: string | undefined; route: string } | undefined {
    const req = this._nestReq as NestExpressRequest;
    const stack = req.app?.router?.stack ?? req.app?._router?.stack;
    if (!Array.isArray(stack)) return undefined;
    const url = req.originalUrl ?? req.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const method = (req.method ?? 'GET').toLowerCase();
    let unnamed: string | undefined;
    for (const layer of stack as RouteLayerLike[]) {
      const route = layer?.route;
      if (route === undefined || typeof route.path !== 'string' || typeof layer.match !== 'function') continue;
      if (route.methods?.[method] !== true && route.methods?._all !== true) continue;
      if (!Reflect.apply(layer.match, Object.create(layer) as object, [path])) continue;
      const name = nestHandlerIn(route.stack);
      if (name !== undefined) return { name, route: route.path };
      if (unnamed === undefined && !isNestMiddleware(route.stack)) unnamed = route.path;
    }
    return unnamed === undefined ? undefined : { name: undefined, route: unnamed };
  }
}
