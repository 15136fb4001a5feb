// What koaTracingMiddleware() sees of a Koa app beyond its middleware chain: routes of apps mounted with
// koa-mount keep their mount path, a response body stream that fails is the request's error, and the app's
// `app.on('error')` listeners run with the request's span active.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Router from '@koa/router';
import Koa from 'koa';
import mount from 'koa-mount';
import { getActiveSpan, LogErrorsToSpan } from 'jaeger-decorators';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import { httpRequest, listen } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

/** Koa's callback as Node's listener, its promise left to Koa (which handles its errors itself). */
function listenerOf(app: Koa): http.RequestListener {
  const handle = app.callback();
  return (req, res) => void handle(req, res);
}

async function spansOf(recording: RecordingTracer, count: number): Promise<void> {
  for (let i = 0; i < 100 && recording.spans().length < count; i += 1) await delay(5);
}

describe('plain Koa, koaTracingMiddleware(): the app around the chain', () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('names a route of an app mounted with koa-mount by its whole path, mounts nested two deep included', async () => {
    const users = new Router();
    users.get('/users/:id', (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    users.get('/', (ctx) => {
      ctx.body = 'admin home';
    });
    const admin = new Koa();
    admin.use(users.routes());
    const v2 = new Koa();
    v2.use(mount('/admin', admin));
    const app = new Koa();
    app.use(koaTracingMiddleware());
    app.use(mount('/admin', admin));
    app.use(mount('/v2', v2));
    const root = new Router();
    root.get('/health/:probe', (ctx) => {
      ctx.body = 'ok';
    });
    // A route declared as a RegExp: named by its source.
    root.get(/^\/re\/(\d+)$/, (ctx) => {
      ctx.body = 'ok';
    });
    app.use(root.routes());
    const server = await listen(listenerOf(app));
    try {
      for (const path of ['/admin/users/1?full=1', '/v2/admin/users/2', '/health/deep', '/admin', '/re/42'])
        assert.equal((await httpRequest(`${server.url}${path}`)).status, 200);
      await spansOf(recording, 5);
    } finally {
      await server.close();
    }
    assert.deepEqual(
      recording.spans().map((span) => [span.name, span.tags['http.route']]),
      [
        ['GET /admin/users/:id', '/admin/users/:id'],
        ['GET /v2/admin/users/:id', '/v2/admin/users/:id'],
        ['GET /health/:probe', '/health/:probe'],
        // koa-mount serves its own path as `/`.
        ['GET /admin/', '/admin/'],
        ['GET /^\\/re\\/(\\d+)$/', '/^\\/re\\/(\\d+)$/'],
      ],
    );
  });

  it("records a response body stream's failure on the request's span, and runs app.on('error') inside that span", async () => {
    const app = new Koa();
    const activeInErrorListener: boolean[] = [];
    app.on('error', () => {
      activeInErrorListener.push(getActiveSpan() !== undefined);
    });
    app.use(koaTracingMiddleware());
    app.use((ctx) => {
      if (ctx.path === '/throws') throw new Error('ledger down');
      // What some apps throw: a string, not an Error.
      if (ctx.path === '/throws-text') throw 'quota exceeded';
      const body = new PassThrough();
      body.write('partial,');
      setTimeout(() => body.destroy(new Error('export source failed')), 10);
      ctx.body = body;
    });
    const server = await listen(listenerOf(app));
    try {
      await new Promise<void>((resolve) => {
        http
          .get(`${server.url}/export`, (response) => {
            response.on('data', () => {});
            response.on('error', () => {});
            response.on('close', resolve);
          })
          .on('error', () => resolve());
      });
      assert.equal((await httpRequest(`${server.url}/throws`)).status, 500);
      assert.equal((await httpRequest(`${server.url}/throws-text`)).status, 500);
      await spansOf(recording, 3);
    } finally {
      await server.close();
    }
    const [exported, thrown, thrownText] = recording.spans();
    assert.equal(exported.tags.error, true);
    assert.deepEqual(
      exported.logs.filter((log) => log.event === 'error').map((log) => log.message),
      ['export source failed'],
    );
    // One error log each, the chain's error not logged again through onerror.
    assert.deepEqual(
      thrown.logs.filter((log) => log.event === 'error').map((log) => log.message),
      ['ledger down'],
    );
    assert.deepEqual(
      thrownText.logs.filter((log) => log.event === 'error').map((log) => log.message),
      ['quota exceeded'],
    );
    assert.ok(activeInErrorListener.length >= 2);
    assert.ok(activeInErrorListener.every(Boolean), String(activeInErrorListener));
  });

  it("an error handler of the app's own after the middleware, emitting what it caught as Koa's docs write it: the error on the span, by the status it answers", async () => {
    const app = new Koa();
    app.on('error', () => {}); // the app logs errors itself
    app.use(koaTracingMiddleware());
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        const { status, message } = error as { status?: number; message: string };
        ctx.status = status ?? 500;
        ctx.body = { error: ctx.status < 500 ? message : 'internal' };
        ctx.app.emit('error', error, ctx);
      }
    });
    app.use((ctx) => {
      if (ctx.path === '/invalid') ctx.throw(422, 'email is invalid');
      throw new Error('database is down');
    });
    const server = await listen(listenerOf(app));
    try {
      assert.equal((await httpRequest(`${server.url}/down`)).status, 500);
      assert.equal((await httpRequest(`${server.url}/invalid`)).status, 422);
      await spansOf(recording, 2);
    } finally {
      await server.close();
    }
    const [down, invalid] = recording.spans();
    assert.equal(down.tags.error, true);
    assert.deepEqual(
      down.logs.map((log) => [log.event, log['error.kind'], log.message, typeof log.stack]),
      [['error', 'Error', 'database is down', 'string']],
    );
    assert.equal(invalid.tags.error, undefined);
    assert.deepEqual(
      invalid.logs.map((log) => [log.event, log.message, log['http.status_code']]),
      [['client_error', 'email is invalid', 422]],
    );
  });

  it("@LogErrorsToSpan on a service whose error the app's handler answers: recorded by that answer, once (a 404 is a client_error)", async () => {
    class NotFound extends Error {}
    class Users {
      @LogErrorsToSpan()
      async find(id: string): Promise<never> {
        if (id === 'broken') throw new Error('database is down');
        throw new NotFound(`user ${id} not found`);
      }
    }
    const users = new Users();
    const app = new Koa();
    app.on('error', () => {});
    app.use(koaTracingMiddleware());
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        // An answer that takes a while (a fallback tried first): the error's log stays at the time it was seen.
        await delay(60);
        ctx.status = error instanceof NotFound ? 404 : 500;
        ctx.body = { error: (error as Error).message };
        ctx.app.emit('error', error, ctx);
      }
    });
    const router = new Router();
    router.get('/users/:id', async (ctx) => {
      ctx.body = await users.find(ctx.params.id);
    });
    app.use(router.routes());
    const server = await listen(listenerOf(app));
    try {
      assert.equal((await httpRequest(`${server.url}/users/2`)).status, 404);
      assert.equal((await httpRequest(`${server.url}/users/broken`)).status, 500);
      await spansOf(recording, 2);
    } finally {
      await server.close();
    }
    const [missing, broken] = recording.spans();
    assert.deepEqual(
      [missing, broken].map((span) => [span.name, span.tags.error, span.logs.map((log) => [log.event, log.message])]),
      [
        ['GET /users/:id', undefined, [['client_error', 'user 2 not found']]],
        ['GET /users/:id', true, [['error', 'database is down']]],
      ],
    );
    // Seen before the handler's 60 ms wait: logged then, not as the response ended.
    for (const span of [missing, broken]) {
      const beforeEndMs = span.startMs + span.durationMs - span.logTimesMs[0];
      assert.ok(beforeEndMs >= 40, `logged ${beforeEndMs} ms before the end of a ${span.durationMs} ms span`);
    }
  });

  it('a request a router.use() middleware stops (an auth check) is named after the route it was headed for, not the middleware', async () => {
    const api = new Router({ prefix: '/api' });
    api.use(async (ctx, next) => {
      if (ctx.get('x-user') === '') ctx.throw(401, 'login required');
      await next();
    });
    api.get('/users/:id', (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    const admin = new Router();
    admin.use('/admin', async (ctx, next) => {
      if (ctx.get('x-admin') === '') ctx.throw(403, 'admins only');
      await next();
    });
    admin.get('/admin/stats', (ctx) => {
      ctx.body = 'stats';
    });
    const app = new Koa();
    app.on('error', () => {});
    app.use(koaTracingMiddleware());
    app.use(api.routes());
    app.use(admin.routes());
    const server = await listen(listenerOf(app));
    try {
      assert.equal((await httpRequest(`${server.url}/api/users/7`)).status, 401);
      assert.equal((await httpRequest(`${server.url}/api/users/7`, { headers: { 'x-user': 'ada' } })).status, 200);
      assert.equal((await httpRequest(`${server.url}/admin/stats`)).status, 403);
      assert.equal((await httpRequest(`${server.url}/api/nothing`)).status, 404);
      await spansOf(recording, 4);
    } finally {
      await server.close();
    }
    assert.deepEqual(
      recording.spans().map((span) => [span.name, span.tags['http.route'], span.tags['http.status_code']]),
      [
        ['GET /api/users/:id', '/api/users/:id', 401],
        ['GET /api/users/:id', '/api/users/:id', 200],
        ['GET /admin/stats', '/admin/stats', 403],
        ['HTTP GET', undefined, 404],
      ],
    );
  });

  it('a request in absolute form (GET http://host/path, which a server must accept): its route under koa-mount is its path, and /health stays untraced', async () => {
    const users = new Router();
    users.get('/users/:id', (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    const admin = new Koa();
    admin.use(users.routes());
    const app = new Koa();
    app.use(koaTracingMiddleware());
    app.use(mount('/admin', admin));
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const server = await listen(listenerOf(app));
    const sendRaw = (target: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1', () =>
          socket.end(`GET ${target} HTTP/1.1\r\nHost: svc.internal\r\nConnection: close\r\n\r\n`),
        );
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        socket.on('end', () => resolve(answer.split('\r\n', 1)[0]));
        socket.on('error', reject);
      });
    try {
      assert.equal(await sendRaw('http://svc.internal/admin/users/4?full=1'), 'HTTP/1.1 200 OK');
      assert.equal(await sendRaw('http://svc.internal/health'), 'HTTP/1.1 200 OK');
      await spansOf(recording, 1);
      await delay(20);
    } finally {
      await server.close();
    }
    assert.deepEqual(
      recording.spans().map((span) => [span.name, span.tags['http.route'], span.tags['http.url']]),
      [['GET /admin/users/:id', '/admin/users/:id', 'http://svc.internal/admin/users/4?full=1']],
    );
  });

  it('a response cut off after its head (a body stream destroyed mid-way): aborted, with the status it went out with', async () => {
    const app = new Koa();
    app.on('error', () => {});
    app.use(koaTracingMiddleware());
    app.use((ctx) => {
      const body = new PassThrough();
      body.write('first part\n');
      setTimeout(() => body.destroy(), 20);
      ctx.body = body;
      if (ctx.path === '/failed') ctx.status = 500;
    });
    const server = await listen(listenerOf(app));
    try {
      for (const path of ['/export', '/failed']) {
        await new Promise<void>((resolve) => {
          http.get(`${server.url}${path}`, (res) => res.on('data', () => {}).on('close', () => resolve())).on('error', () => resolve());
        });
      }
      await spansOf(recording, 2);
    } finally {
      await server.close();
    }
    // A 5xx head that went out is a failure, cut off or not.
    assert.deepEqual(
      recording.spans().map((span) => [span.tags['http.aborted'], span.tags['http.status_code'], span.tags.error]),
      [
        [true, 200, undefined],
        [true, 500, true],
      ],
    );
  });

  for (const madeSampled of [false, true]) {
    it(`an error carrying a status Koa does not read (koa-body's httpCode: 413) is recorded by the 500 Koa answers, once${madeSampled ? ', in a trace the handler makes sampled (sampling.priority)' : ''}`, async () => {
      if (madeSampled) {
        await closeTracer();
        recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
      }
      const app = new Koa();
      app.on('error', () => {});
      app.use(koaTracingMiddleware());
      app.use(() => {
        if (madeSampled) getActiveSpan()!.setTag('sampling.priority', 1);
        throw Object.assign(new Error('options.maxTotalFileSize (10 bytes) exceeded'), { httpCode: 413 });
      });
      const server = await listen(listenerOf(app));
      try {
        assert.equal((await httpRequest(`${server.url}/upload`)).status, 500);
        await spansOf(recording, 1);
      } finally {
        await server.close();
      }
      const [upload] = recording.spans();
      assert.equal(upload.tags.error, true);
      assert.equal(upload.tags['http.status_code'], 500);
      assert.deepEqual(
        upload.logs.map((log) => [log.event, log.message]),
        [['error', 'options.maxTotalFileSize (10 bytes) exceeded']],
      );
    });
  }
});
