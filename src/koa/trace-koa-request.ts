import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWithActiveSpan, withSpan } from '../context/active-span';
import { runUntraced } from '../http-server/ignored-request';
import { RequestTrace, type RequestFacts, type ServerComponent } from '../http-server/request-trace';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';
import { extendKoaAppContext, mountPrefixOf } from './koa-app-context';
import { routeOf, unroutedHandler } from './router-handler';

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
    const route = routeOf(this._ctx);
    // A route declared as a RegExp (`router.get(/^\/re\/(\d+)$/, ...)`) by its source, as Express's is named.
    const path = typeof route === 'string' ? route : route instanceof RegExp ? String(route) : undefined;
    return path === undefined ? undefined : `${mountPrefixOf(this._ctx)}${path}`;
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
  if (trace === undefined) return runUntraced(ctx.req, next) as Promise<void>;
  extendKoaAppContext(ctx);
  onTrace?.(trace);
  // A trace finally not sampled records no error: the chain's promise goes back to Koa as it is, with no
  // reaction made per request (see RequestTrace.deferErrorWatch).
  if (trace.deferErrorWatch()) return trace.followDownstream(withSpan(trace.span, next) as Promise<void>);
  return runWithActiveSpan(trace.span, downstreamRecordingErrors, trace, next);
}

/**
 * Runs the rest of the chain and returns its promise with one reaction of ours chained in, which records an error
 * on the request's span and passes it on. Chained, not beside Koa's own reaction: V8 builds an error's async
 * stack trace by following each promise's one reaction, and a branch beside Koa's await would end it there. Not
 * an async function either: it showed in that stack as a frame of its own (`at async awaitDownstream`), and cost
 * a sampled request some 230 bytes and 430 instructions more than this promise and closure (Node 24). The stack
 * the app's error handler sees is now the one it sees untraced (test/http/koa-error-stacks).
 */
function downstreamRecordingErrors(trace: RequestTrace, next: () => Promise<unknown>): Promise<void> {
  let downstream: Promise<unknown>;
  try {
    downstream = next();
  } catch (error) {
    trace.recordErrorWhenAnswered(error);
    throw error;
  }
  // By the status Koa answers it with (`status` or `statusCode`, else 500), not one the error carries that Koa
  // does not read (koa-body's `httpCode: 413` goes out as a 500).
  return Promise.resolve(downstream).then(undefined, (error: unknown) => {
    trace.recordErrorWhenAnswered(error);
    throw error;
  }) as Promise<void>;
}
