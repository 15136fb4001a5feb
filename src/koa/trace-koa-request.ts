import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWithActiveSpan, withSpan } from '../context/active-span';
import { RequestTrace, type RequestFacts, type ServerComponent } from '../http-server/request-trace';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';
import { unroutedHandler } from './router-handler';

/** The parts of a Koa context we read; typed here so that this module never loads koa. */
export interface KoaContextLike {
  req: IncomingMessage;
  res: ServerResponse;
  originalUrl?: string;
  path?: string;
  method?: string;
  params?: Record<string, unknown>;
  _matchedRoute?: unknown;
  matched?: unknown;
  app?: { middleware?: unknown };
  request?: { body?: unknown };
}

/**
 * What the request trace reads from a Koa context, once routing and body parsing have happened. One object of a
 * class rather than a literal of four closures: every request, sampled or not, makes one.
 */
class KoaRequestFacts implements RequestFacts {
  constructor(private readonly _ctx: KoaContextLike) {}

  route(): string | undefined {
    return typeof this._ctx._matchedRoute === 'string' ? this._ctx._matchedRoute : undefined;
  }

  params(): Record<string, unknown> | undefined {
    return this._ctx.params;
  }

  body(): unknown {
    return this._ctx.request?.body;
  }

  unroutedHandler(): { name: string; route: string } | undefined {
    return unroutedHandler(this._ctx);
  }
}

/** What the request trace reads from a Koa context (see KoaRequestFacts). */
export function koaRequestFacts(ctx: KoaContextLike): RequestFacts {
  return new KoaRequestFacts(ctx);
}

/**
 * Koa (and routing-controllers' Koa driver) middleware body: starts the request's server span and awaits the
 * rest of the chain with it active. Koa is promise based, so the context holds without binding emitters.
 * `onTrace` sees the request's trace before the rest of the chain runs.
 */
export function traceKoaRequest(
  ctx: KoaContextLike,
  next: () => Promise<unknown>,
  component: ServerComponent,
  options: ResolvedServerTracingOptions,
  onTrace?: (trace: RequestTrace) => void,
): Promise<void> {
  const trace = RequestTrace.of(ctx.req) ?? RequestTrace.start(ctx.req, ctx.res, component, options, koaRequestFacts(ctx));
  if (trace === undefined) return next() as Promise<void>;
  onTrace?.(trace);
  // A trace finally not sampled records no error: the chain's promise goes back to Koa as it is, with no
  // reaction made per request (see RequestTrace.deferErrorWatch).
  if (trace.deferErrorWatch()) return trace.followDownstream(withSpan(trace.span, next) as Promise<void>);
  // One async function, below, with the span active: not a second one around it, nor a closure per request.
  return runWithActiveSpan(trace.span, awaitDownstream, trace, next);
}

/** Awaits the rest of the chain; an error thrown there is recorded on the request's span and rethrown. */
async function awaitDownstream(trace: RequestTrace, next: () => Promise<unknown>): Promise<void> {
  try {
    await next();
  } catch (error) {
    trace.recordError(error);
    throw error;
  }
}
