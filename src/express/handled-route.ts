import type { IncomingMessage, ServerResponse } from 'node:http';

type RoutedRequest = IncomingMessage & { baseUrl?: string; route?: unknown };

function template(baseUrl: string | undefined, route: unknown): string | undefined {
  const path = (route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${baseUrl ?? ''}${path}` : undefined;
}

/**
 * Follows which route handles `req` and returns a reader of its full template (`/api/items/:id`).
 *
 * Reading `req.baseUrl + req.route.path` when the response finishes gets two cases wrong: a router mounted at
 * `/api` has restored `baseUrl` to `''` by the time an error handler outside it answers, and a route that answers
 * and then calls `next()` is replaced in `req.route` by any later route matching the same path (routing-controllers
 * does this after every action). So the template is taken when Express assigns `req.route`, while `baseUrl` still
 * holds the mount path, and a route assigned after the response has started does not replace the one that sent it.
 */
export function followHandledRoute(req: RoutedRequest, res: ServerResponse): () => string | undefined {
  let current: unknown = req.route;
  let handled = template(req.baseUrl, current);
  try {
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => current,
      set: (route: unknown) => {
        current = route;
        if (!res.headersSent) handled = template(req.baseUrl, route);
      },
    });
  } catch {
    // A request object that cannot take the property (frozen by some other layer): read it as it stands.
    return () => template(req.baseUrl, req.route);
  }
  return () => handled;
}
