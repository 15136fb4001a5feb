import type { ServerRequestFacts } from '../http-server/server-tracing';

/** The parts of a Fastify request the server span reads; typed here so that this module never loads fastify. */
export interface FastifyRequestLike {
  raw: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> };
  params?: unknown;
  body?: unknown;
  /** Fastify 5: the matched route's options, `url` its template; absent for a request no route matched. */
  routeOptions?: { url?: string; handler?: unknown };
}

/**
 * The handler name a route handler function carries, when it names one the way `@TracedController` does,
 * `Class.method`: Nest 12 names each handler it registers so (`UsersController.getOne`). A plain function's own
 * name (`getUser`, an arrow function's `handler`) says less than the route, which names the span instead, as for
 * Express. Fastify binds handlers: `bound X` is X's name.
 */
export function qualifiedHandlerName(functionName: string): string | undefined {
  const name = functionName.startsWith('bound ') ? functionName.slice(6) : functionName;
  return /^[\w$]+\.[\w$]+$/.test(name) ? name : undefined;
}

/**
 * What the server span reads from a Fastify request: the route template from Fastify's route options, the
 * handler's qualified name, params and parsed body. A class, so a request costs one small object rather than closures.
 */
export class FastifyRequestFacts implements ServerRequestFacts {
  constructor(private readonly _request: FastifyRequestLike) {}

  route(): string | undefined {
    const url = this._request.routeOptions?.url;
    return typeof url === 'string' && url !== '' ? url : undefined;
  }

  handler(): string | undefined {
    const handler = this._request.routeOptions?.handler;
    return typeof handler === 'function' ? qualifiedHandlerName(handler.name) : undefined;
  }

  params(): Record<string, unknown> | undefined {
    const params = this._request.params;
    return typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : undefined;
  }

  body(): unknown {
    return this._request.body;
  }
}
