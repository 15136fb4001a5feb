import type { IncomingMessage, ServerResponse } from 'node:http';
import { withSpan } from '../context/active-span';
import { RequestTrace, type RequestFacts, type ServerComponent } from '../http-server/request-trace';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';
import { followHandledRoute } from './handled-route';

/** The parts of an Express request we read; typed here so that this module never loads express. */
export interface ExpressRequestLike extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown; stack?: unknown };
  params?: Record<string, unknown>;
  body?: unknown;
}

/** What the request trace reads from an Express request, once routing and body parsing have happened. */
export function expressRequestFacts(req: ExpressRequestLike, res: ServerResponse): RequestFacts {
  return {
    route: followHandledRoute(req, res),
    params: () => req.params,
    body: () => req.body,
  };
}

/**
 * Express (and routing-controllers' Express driver) middleware body: starts the request's server span and
 * runs the rest of the chain inside `AsyncLocalStorage.run`, never `enterWith`, so nothing leaks into the next
 * request on a keep-alive connection. On Node 20 the context survives body parsers even when the body arrives
 * after the headers (the case of expressjs/express#4396); the contract tests hold both. `onTrace` sees the
 * request's trace before the rest of the chain runs.
 */
export function traceExpressRequest(
  req: ExpressRequestLike,
  res: ServerResponse,
  next: (error?: unknown) => void,
  component: ServerComponent,
  options: ResolvedServerTracingOptions,
  onTrace?: (trace: RequestTrace) => void,
): void {
  const trace = RequestTrace.of(req) ?? RequestTrace.start(req, res, component, options, expressRequestFacts(req, res));
  if (trace === undefined) {
    next();
    return;
  }
  onTrace?.(trace);
  withSpan(trace.span, next);
}
