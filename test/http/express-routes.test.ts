import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import express4 from 'express';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordedSpan, type RecordingTracer } from '../support/recording-tracer';

/**
 * Routers mounted at /api and /api/v2, a route that answers and then calls next() with a later route matching
 * the same path, and an error handler that answers at the app level, outside the router that failed.
 */
// Express 5 (installed as `express-5`) changed routing and error handling: async handlers' rejections reach
// the error handlers, path syntax is path-to-regexp 8. Both majors must keep the route that answered.
const EXPRESS_MAJORS = [
  { name: 'Express 4', express: express4 },
  { name: 'Express 5', express: require('express-5') as typeof express4 },
];

type Express = typeof express4;

function mountedRoutersApp(express: Express): express4.Express {
  const items = express.Router();
  items.get('/ok/:id', (req, res) => res.json({ id: req.params.id }));
  items.get('/bad/:id', (_req, _res, next) => next(Object.assign(new Error('bad item'), { status: 422 })));
  items.get('/boom/:id', () => {
    throw new Error('boom');
  });
  // Express 5 passes an async handler's rejection on as an error; Express 4 never sees it, so only 5 has the route.
  items.get('/async-boom/:id', (() => delay(1).then(() => Promise.reject(new Error('async boom')))) as express4.RequestHandler);
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
  // Paths declared as a list or a RegExp: named as declared, as OpenTelemetry's Express instrumentation names them.
  app.get(['/a/:id', '/b/:id'], (_req, res) => res.json({}));
  app.get(/^\/re\/(\d+)$/, (_req, res) => res.json({}));
  app.use(tracingErrorHandler());
  app.use((error: Error & { status?: number }, _req: express4.Request, res: express4.Response, _next: express4.NextFunction) => {
    res.status(error.status ?? 500).json({ message: error.message });
  });
  return app;
}

for (const { name, express } of EXPRESS_MAJORS)
  describe(`plain ${name}, tracingMiddleware(): the route that handled the request`, () => {
    let server: RunningServer;
    let recording: RecordingTracer;
    before(async () => {
      server = await listen(mountedRoutersApp(express));
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

    it('names a route declared as a list of paths by the list', async () => {
      const listed = await spanOf('/b/7', 200);
      assert.equal(listed.tags['http.route'], '/a/:id,/b/:id');
      assert.equal(listed.name, 'GET /a/:id,/b/:id');
    });

    it('names a route declared as a RegExp by its source', async () => {
      const pattern = await spanOf('/re/42', 200);
      assert.equal(pattern.tags['http.route'], '/^\\/re\\/(\\d+)$/');
    });

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

    it('writes the parameters of mount paths as the template, from the first request of an app on', async () => {
      // Each org a span name of its own, and a token in a mount path in every span, until the template is kept.
      const members = express.Router({ mergeParams: true });
      members.get('/members/:id', (req, res) => res.json(req.params));
      members.get('/members/:id/fail', (_req, _res, next) => next(new Error('member store down')));
      const teams = express.Router({ mergeParams: true });
      teams.use('/teams/:team', members);
      const app = express();
      app.use(tracingMiddleware());
      app.use('/orgs/:org', teams);
      app.use(
        '/reset/:token',
        express.Router().post('/confirm', (_req, res) => res.send('done')),
      );
      // A value equal to a literal of its mount path: not guessed, left as it came; a name used again one mount
      // down, without mergeParams.
      app.use(
        '/files/:dir',
        express.Router().get('/list', (_req, res) => res.send('files')),
      );
      const repos = express.Router();
      repos.use(
        '/repos/:id',
        express.Router().get('/stars', (_req, res) => res.send('0')),
      );
      app.use('/users/:id', repos);
      app.use((_error: Error, _req: express4.Request, res: express4.Response, _next: express4.NextFunction) => res.status(500).json({}));
      const paramServer = await listen(app);
      try {
        // The same value in two parameters: each segment is named by its own.
        assert.equal((await httpRequest(`${paramServer.url}/orgs/acme/teams/acme/members/7`)).status, 200);
        assert.equal((await httpRequest(`${paramServer.url}/orgs/globex/teams/red%20team/members/8`)).status, 200);
        assert.equal((await httpRequest(`${paramServer.url}/orgs/acme/teams/blue/members/9/fail`)).status, 500);
        assert.equal((await httpRequest(`${paramServer.url}/reset/s3cr3t-t0ken/confirm`, { method: 'POST' })).status, 200);
        assert.equal((await httpRequest(`${paramServer.url}/files/files/list`)).status, 200);
        assert.equal((await httpRequest(`${paramServer.url}/files/docs/list`)).status, 200);
        assert.equal((await httpRequest(`${paramServer.url}/users/ada/repos/red/stars`)).status, 200);
        for (let i = 0; i < 100 && recording.spans().length < 7; i += 1) await delay(5);
      } finally {
        await paramServer.close();
      }
      assert.deepEqual(
        recording.spans().map((span) => [span.name, span.tags['http.route']]),
        [
          ['GET /orgs/:org/teams/:team/members/:id', '/orgs/:org/teams/:team/members/:id'],
          ['GET /orgs/:org/teams/:team/members/:id', '/orgs/:org/teams/:team/members/:id'],
          ['GET /orgs/:org/teams/:team/members/:id/fail', '/orgs/:org/teams/:team/members/:id/fail'],
          ['POST /reset/:token/confirm', '/reset/:token/confirm'],
          ['GET /files/files/list', '/files/files/list'],
          ['GET /files/:dir/list', '/files/:dir/list'],
          ['GET /users/:id/repos/:id/stars', '/users/:id/repos/:id/stars'],
        ],
      );
    });

    it('keeps every mount path when the middleware itself is mounted under one, in an app without parameters in its mounts', async () => {
      const v2 = express.Router();
      v2.get('/items/:id', (_req, res) => res.send('ok'));
      const api = express.Router();
      api.use(tracingMiddleware());
      api.use('/v2', v2);
      const app = express();
      app.use('/api', api);
      const mounted = await listen(app);
      try {
        for (const id of [1, 2]) assert.equal((await httpRequest(`${mounted.url}/api/v2/items/${id}`)).status, 200);
        for (let i = 0; i < 100 && recording.spans().length < 2; i += 1) await delay(5);
      } finally {
        await mounted.close();
      }
      assert.deepEqual(
        recording.spans().map((span) => span.tags['http.route']),
        ['/api/v2/items/:id', '/api/v2/items/:id'],
      );
    });

    if (name === 'Express 5') {
      it('keeps the mount path when an async route inside a mounted router rejects', async () => {
        const span = await spanOf('/api/async-boom/1', 500);
        assert.equal(span.name, 'GET /api/async-boom/:id');
        assert.equal(span.tags.error, true);
      });
    }
  });
