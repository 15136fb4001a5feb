import type { IncomingMessage, ServerResponse } from 'node:http';
import { withSpan } from '../context/active-span';
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

/** What the request trace reads from a Koa context, once routing and body parsing have happened. */
export function koaRequestFacts(ctx: KoaContextLike): RequestFacts {
  return {
    route: () => (typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : undefined),
    params: () => ctx.params,
    body: () => ctx.request?.body,
    unroutedHandler: () => unroutedHandler(ctx),
  };
}

/**
 * Koa (and routing-controllers' Koa driver) middleware body: starts the request's server span and awaits the
 * rest of the chain with it active. Koa is promise based, so the context holds without binding emitters.
 * `onTrace` sees the request's trace before the rest of the chain runs.
 */
export async function traceKoaRequest(
  ctx: KoaContextLike,
  next: () => Promise<unknown>,
  component: ServerComponent,
  options: ResolvedServerTracingOptions,
  onTrace?: (trace: RequestTrace) => void,
): Promise<void> {
  const trace = RequestTrace.of(ctx.req) ?? RequestTrace.start(ctx.req, ctx.res, component, options, koaRequestFacts(ctx));
  if (trace === undefined) {
    await next();
    return;
  }
  onTrace?.(trace);
  await withSpan(trace.span, async () => {
    try {
      await next();
    } catch (error) {
      trace.recordError(error);
      throw error;
    }
  });
}
