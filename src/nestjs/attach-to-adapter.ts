import type { IncomingMessage, ServerResponse } from 'node:http';
import { withSpan } from '../context/active-span';
import { runUntraced } from '../http-server/ignored-request';
import type { ExpressRequestLike } from '../express/trace-express-request';
import { addFastifyTracingHooks, type FastifyInstanceLike } from '../fastify/fastify-hooks';
import { FastifyRequestFacts, type FastifyRequestLike } from '../fastify/fastify-request-facts';
import type { ServerTracing } from '../http-server/server-tracing';
import type { NestHttpAdapter } from './nest-core';
import { NestExpressRequestFacts } from './nest-request-facts';
import { recordStreamableFileErrors, type NestReplyingAdapter } from './streamable-file-errors';

interface ExpressAppLike {
  use(middleware: (req: ExpressRequestLike, res: ServerResponse, next: () => void) => void): unknown;
}

interface ExpressRouterLike {
  stack?: unknown[];
}

/**
 * Starts every request's span at the very front of the app, as soon as Nest's HTTP adapter is there.
 *
 * `NestFactory.create()` builds this provider before `app.init()` adds Nest's body parsers, the app's middleware
 * and the routes: attached then, the Express middleware comes first of all, and on Fastify the `onRequest` hook
 * precedes body parsing. A body that does not parse, a guard's or a pipe's refusal are all inside the span.
 * A testing module (`Test.createTestingModule(...).compile()`) builds it before there is an adapter: it attaches
 * at `onModuleInit`, when `createNestApplication()` has set one, after Nest's body parser but moved to the front
 * of Express's router stack. An application context (no HTTP server at all) is left alone.
 */
export class NestTracingAttachment {
  /** The adapter type it attached to (`express`, `fastify`), once it has. */
  adapterType: string | undefined;

  constructor(
    private readonly _host: { httpAdapter?: NestHttpAdapter },
    private readonly _tracing: ServerTracing,
  ) {
    this._attach(false);
  }

  onModuleInit(): void {
    if (this.adapterType === undefined) this._attach(true);
  }

  private _attach(late: boolean): void {
    const adapter = this._host.httpAdapter;
    if (adapter === undefined || adapter === null) return;
    const type = adapter.getType();
    if (type === 'express') {
      attachToExpress(adapter.getInstance() as ExpressAppLike & { router?: ExpressRouterLike; _router?: ExpressRouterLike }, this._tracing, late);
      recordStreamableFileErrors(adapter as NestReplyingAdapter);
    } else if (type === 'fastify') {
      startBeforeNestMiddleware(adapter as NestFastifyAdapterLike, this._tracing);
      addFastifyTracingHooks(adapter.getInstance() as FastifyInstanceLike, this._tracing, false);
    } else throw new Error(`TracingModule: Nest's HTTP adapter is '${type}'; tracing supports @nestjs/platform-express and @nestjs/platform-fastify.`);
    this.adapterType = type;
  }
}

type FastifyRequestHook = (this: unknown, request: FastifyRequestLike, reply: { raw: ServerResponse }, done: (error?: Error) => void) => unknown;

/** Nest's FastifyAdapter, as far as its own request hook is used (Nest 11.1 and 12 have it). */
interface NestFastifyAdapterLike extends NestHttpAdapter {
  setOnRequestHook?(hook: FastifyRequestHook): void;
  onRequestHook?: FastifyRequestHook;
}

/**
 * Starts the span in the adapter's own request hook, which its constructor added as Fastify's first `onRequest`
 * hook, before @fastify/middie runs Nest middleware. `NestFactory.create()` registers middie before it builds
 * this provider, so an `onRequest` hook added here runs after the app's middleware: a middleware's logs and
 * calls were outside the trace, and a request it answered itself (an auth middleware's 401) had no span at all.
 * A hook set before ours still runs, inside the span.
 */
function startBeforeNestMiddleware(adapter: NestFastifyAdapterLike, tracing: ServerTracing): void {
  if (typeof adapter.setOnRequestHook !== 'function') return;
  const previous = adapter.onRequestHook;
  adapter.setOnRequestHook(function jaegerStartServerSpan(this: unknown, request, reply, done) {
    const trace = tracing.start(request.raw, reply.raw, new FastifyRequestFacts(request));
    const next = (): unknown => (previous === undefined ? done() : previous.call(this, request, reply, done));
    return trace === undefined ? runUntraced(request.raw as IncomingMessage, next) : trace.run(next);
  });
}

function attachToExpress(app: ExpressAppLike & { router?: ExpressRouterLike; _router?: ExpressRouterLike }, tracing: ServerTracing, late: boolean): void {
  app.use(function jaegerNestTracing(req, res, next) {
    const trace = tracing.start(req, res, new NestExpressRequestFacts(req, res));
    if (trace === undefined) runUntraced(req as IncomingMessage, next);
    else withSpan(trace.span, next);
  });
  if (!late) return;
  // Attached after Nest's body parser and the routes: the layer just added goes to the front of the router's
  // stack (Express 5's app.router, Express 4's app._router), so the span still covers all of them.
  const stack = (app.router ?? app._router)?.stack;
  if (Array.isArray(stack) && stack.length > 1) stack.unshift(stack.pop());
}
