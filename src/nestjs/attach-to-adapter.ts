import type { ServerResponse } from 'node:http';
import { withSpan } from '../context/active-span';
import type { ExpressRequestLike } from '../express/trace-express-request';
import { addFastifyTracingHooks, type FastifyInstanceLike } from '../fastify/fastify-hooks';
import type { ServerTracing } from '../http-server/server-tracing';
import type { NestHttpAdapter } from './nest-core';
import { NestExpressRequestFacts } from './nest-request-facts';

interface ExpressAppLike {
  use(middleware: (req: ExpressRequestLike, res: ServerResponse, next: () => void) => void): unknown;
}

/**
 * Starts every request's span at the very front of the app. The tracing module's provider is built while
 * `NestFactory.create()` runs, before `app.init()` adds Nest's body parsers, the app's middleware and the routes,
 * so on Express this middleware comes first of all, and on Fastify its `onRequest` hook precedes body parsing.
 * A body that does not parse, a guard's or a pipe's refusal are all inside the span.
 */
export function attachToAdapter(adapter: NestHttpAdapter | undefined, tracing: ServerTracing): string {
  const type = adapter?.getType();
  if (type === 'express') {
    const app = adapter!.getInstance() as ExpressAppLike;
    app.use(function jaegerNestTracing(req, res, next) {
      const trace = tracing.start(req, res, new NestExpressRequestFacts(req, res));
      if (trace === undefined) next();
      else withSpan(trace.span, next);
    });
    return type;
  }
  if (type === 'fastify') {
    addFastifyTracingHooks(adapter!.getInstance() as FastifyInstanceLike, tracing, false);
    return type;
  }
  throw new Error(
    `TracingModule: Nest's HTTP adapter is ${type === undefined ? 'missing (an application context has no HTTP server)' : `'${type}'`}; ` +
      'tracing supports @nestjs/platform-express and @nestjs/platform-fastify.',
  );
}
