import type { IncomingMessage, ServerResponse } from 'node:http';
import { withSpan } from '../context/active-span';
import { RequestTrace, type ServerComponent } from '../http-server/request-trace';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';

/** The parts of an Express request we read; typed here so that this module never loads express. */
export interface ExpressRequestLike extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown };
  params?: Record<string, unknown>;
  body?: unknown;
}

function routeOf(req: ExpressRequestLike): string | undefined {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
}

/**
 * Express (and routing-controllers' Express driver) middleware body: starts the request's server span and
 * runs the rest of the chain inside `AsyncLocalStorage.run`, never `enterWith`, so nothing leaks into the next
 * request on a keep-alive connection. On Node 20 the context survives body parsers even when the body arrives
 * after the headers (the case of expressjs/express#4396); the contract tests hold both.
 */
export function traceExpressRequest(
  req: ExpressRequestLike,
  res: ServerResponse,
  next: (error?: unknown) => void,
  component: ServerComponent,
  options: ResolvedServerTracingOptions,
): void {
  const trace = RequestTrace.start(req, res, component, options, {
    route: () => routeOf(req),
    params: () => req.params,
    body: () => req.body,
  });
  if (trace === undefined) {
    next();
    return;
  }
  withSpan(trace.span, next);
}
