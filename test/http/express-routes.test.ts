import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordedSpan, type RecordingTracer } from '../support/recording-tracer';

/**
 * Routers mounted at /api and /api/v2, a route that answers and then calls next() with a later route matching
 * the same path, and an error handler that answers at the app level, outside the router that failed.
 */
function mountedRoutersApp(): express.Express {
  const items = express.Router();
  items.get('/ok/:id', (req, res) => res.json({ id: req.params.id }));
  items.get('/bad/:id', (_req, _res, next) => next(Object.assign(new Error('bad item'), { status: 422 })));
  items.get('/boom/:id', () => {
    throw new Error('boom');
  });
  const v2 = express.Router();
  v2.use('/v2', items);
  const app = express();
  app.use(tracingMiddleware());
  app.use('/api', items);
  app.use('/api', v2);
  app.get('/things/latest', (_req, res, next) => {
    res.json({ latest: true });
    next();
  });
  app.get('/things/:id', (_req, _res, next) => next());
  app.use(tracingErrorHandler());
  app.use((error: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(error.status ?? 500).json({ message: error.message });
  });
  return app;
}

describe('plain Express, tracingMiddleware(): the route that handled the request', () => {
  let server: RunningServer;
  let recording: RecordingTracer;
  before(async () => {
    server = await listen(mountedRoutersApp());
  });
  after(() => server.close());
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  async function spanOf(path: string, status: number): Promise<RecordedSpan> {
    const response = await httpRequest(`${server.url}${path}`);
    assert.equal(response.status, status);
    for (let i = 0; i < 100 && recording.spans().length === 0; i += 1) await delay(5);
    const spans = recording.spans();
    assert.equal(spans.length, 1);
    return spans[0];
  }

  it('keeps the mount path when a route inside a mounted router passes an error on', async () => {
    const span = await spanOf('/api/bad/1', 422);
    assert.equal(span.name, 'GET /api/bad/:id');
    assert.equal(span.tags['http.route'], '/api/bad/:id');
  });

  it('keeps the mount path when a route inside a mounted router throws', async () => {
    const span = await spanOf('/api/boom/1', 500);
    assert.equal(span.name, 'GET /api/boom/:id');
    assert.equal(span.tags.error, true);
  });

  it('keeps every mount path of routers nested two deep when a route fails', async () => {
    const span = await spanOf('/api/v2/bad/1', 422);
    assert.equal(span.tags['http.route'], '/api/v2/bad/:id');
  });

  it('keeps the route that answered when it calls next() and a later route matches the same path', async () => {
    const span = await spanOf('/things/latest', 200);
    assert.equal(span.name, 'GET /things/latest');
    assert.equal(span.tags['http.route'], '/things/latest');
  });
});
