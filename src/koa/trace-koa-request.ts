import type { IncomingMessage, ServerResponse } from 'node:http';
import { withSpan } from '../context/active-span';
import { RequestTrace, type ServerComponent } from '../http-server/request-trace';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';

/** The parts of a Koa context we read; typed here so that this module never loads koa. */
export interface KoaContextLike {
  req: IncomingMessage;
  res: ServerResponse;
  originalUrl?: string;
  params?: Record<string, unknown>;
  _matchedRoute?: unknown;
  request?: { body?: unknown };
}

/**
 * Koa's error handler removes every response header before it answers, then sets those listed in
 * `error.headers` (the http-errors convention). Listing the trace id header there keeps it on error responses,
 * where a user most needs it.
 */
function keepTraceHeaderOnError(error: unknown, ctx: KoaContextLike, options: ResolvedServerTracingOptions): void {
  const name = options.traceResponseHeader;
  if (name === undefined || typeof error !== 'object' || error === null || !Object.isExtensible(error)) return;
  const value = ctx.res.getHeader(name);
  if (value === undefined) return;
  const carrier = error as { headers?: Record<string, unknown> };
  if (carrier.headers === undefined) carrier.headers = { [name]: value };
  else if (typeof carrier.headers === 'object' && carrier.headers !== null && !(name in carrier.headers)) carrier.headers[name] = value;
}

/**
 * Koa (and routing-controllers' Koa driver) middleware body: starts the request's server span and awaits the
 * rest of the chain with it active. Koa is promise based, so the context holds without binding emitters.
 */
export async function traceKoaRequest(
  ctx: KoaContextLike,
  next: () => Promise<unknown>,
  component: ServerComponent,
  options: ResolvedServerTracingOptions,
): Promise<void> {
  const trace = RequestTrace.start(ctx.req, ctx.res, component, options, {
    route: () => (typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : undefined),
    params: () => ctx.params,
    body: () => ctx.request?.body,
  });
  if (trace === undefined) {
    await next();
    return;
  }
  await withSpan(trace.span, async () => {
    try {
      await next();
    } catch (error) {
      trace.recordError(error);
      keepTraceHeaderOnError(error, ctx, options);
      throw error;
    }
  });
}
