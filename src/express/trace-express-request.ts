import type { IncomingMessage, ServerResponse } from 'node:http';
import { withSpan } from '../context/active-span';
import { runUntraced } from '../http-server/ignored-request';
import { RequestTrace, type RequestFacts, type ServerComponent } from '../http-server/request-trace';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';
import { followHandledRoute, handledParams, handledRoute } from './handled-route';

/** The parts of an Express request we read; typed here so that this module never loads express. */
export interface ExpressRequestLike extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown; stack?: unknown };
  params?: Record<string, unknown>;
  body?: unknown;
}

/**
 * What the request trace reads from an Express request, once routing and body parsing have happened. A class,
 * so a request costs one small object rather than a closure per fact.
 */
export class ExpressRequestFacts implements RequestFacts {
  constructor(
    private readonly _req: ExpressRequestLike,
    private readonly _res: ServerResponse,
  ) {}

  // Not for a trace finally not sampled: redefining `req.route` is the largest single cost of ours in such a
  // request (bench/apps/http-app.ts under --cpu-prof). Should a sampling.priority tag make it sampled later, its
  // route is read as the request shows it at the end.
  follow(): void {
    followHandledRoute(this._req, this._res);
  }

  route(): string | undefined {
    return handledRoute(this._req);
  }

  params(): Record<string, unknown> | undefined {
    return handledParams(this._req);
  }

  body(): unknown {
    return this._req.body;
  }
}

/** What the request trace reads from an Express request; once its span records, it follows the route that handles it. */
export function expressRequestFacts(req: ExpressRequestLike, res: ServerResponse): RequestFacts {
  return new ExpressRequestFacts(req, res);
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
  onTrace?: (trace: RequestTrace, req: ExpressRequestLike) => void,
): void {
  const trace = RequestTrace.of(req) ?? RequestTrace.start(req, res, component, options, expressRequestFacts(req, res));
  if (trace === undefined) {
    runUntraced(req as IncomingMessage, next);
    return;
  }
  onTrace?.(trace, req);
  withSpan(trace.span, next);
}
