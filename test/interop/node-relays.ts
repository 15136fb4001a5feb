import 'reflect-metadata';
import express from 'express';
import { Get, JsonController, QueryParam, useExpressServer } from 'routing-controllers';
import { Span } from 'jaeger-decorators';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { TracedController } from 'jaeger-decorators/routing-controllers';

// The Node hops of the interop chains, with the routes every Python peer serves: GET .../hop?next=URL calls
// the next hop, GET .../fail fails. One app per integration: routing-controllers with @TracedController
// (/rc/...), and plain Express with tracingMiddleware() (/mw/...).

const TRACE_HEADER = /^(uber-trace-id|trace-id|trace_id|traceparent|tracestate|baggage|uberctx-.*)$/;

/** The trace headers each request arrived with, in order: what the Python side really sent. */
export const receivedTraceHeaders: Array<{ path: string; headers: Record<string, string> }> = [];

function recordTraceHeaders(req: express.Request, _res: express.Response, next: express.NextFunction): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (TRACE_HEADER.test(name)) headers[name] = String(value);
  receivedTraceHeaders.push({ path: req.originalUrl, headers });
  next();
}

class NextHop {
  /** Calls the next service through the patched fetch; a 5xx from it fails this hop too. */
  @Span()
  async call(url: string): Promise<unknown> {
    const response = await fetch(url);
    const text = await response.text();
    if (response.status >= 500) throw new Error(`next hop answered ${response.status}`);
    return JSON.parse(text) as unknown;
  }
}

const nextHop = new NextHop();

@TracedController({ traceResponseHeader: 'x-trace-id' })
@JsonController('/rc')
export class RelayController {
  @Get('/hop')
  async hop(@QueryParam('next') next?: string) {
    return { service: 'node', downstream: next ? await nextHop.call(next) : null };
  }

  @Get('/fail')
  fail(): never {
    throw new Error('node relay failure');
  }
}

/** routing-controllers on Express, every action traced by @TracedController. */
export function routingControllersRelay(): express.Express {
  const app = express();
  app.use(recordTraceHeaders);
  useExpressServer(app, { controllers: [RelayController], development: false, defaultErrorHandler: true });
  // routing-controllers has answered the error already and calls next(error) anyway: keep Express quiet.
  app.use((error: Error, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!res.headersSent) next(error);
  });
  return app;
}

/** Plain Express with tracingMiddleware() and tracingErrorHandler(). */
export function middlewareRelay(): express.Express {
  const app = express();
  app.use(recordTraceHeaders);
  app.use(tracingMiddleware({ traceResponseHeader: 'x-trace-id' }));
  app.get('/mw/hop', (req, res, next) => {
    const target = typeof req.query.next === 'string' ? req.query.next : undefined;
    (target ? nextHop.call(target) : Promise.resolve(null)).then((downstream) => res.json({ service: 'node', downstream }), next);
  });
  app.get('/mw/fail', (_req, _res, next) => next(new Error('node relay failure')));
  app.use(tracingErrorHandler());
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: error.message });
  });
  return app;
}
