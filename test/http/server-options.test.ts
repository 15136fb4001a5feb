import 'reflect-metadata';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { getActiveSpan, withSpan } from 'jaeger-decorators';
import { fastifyTracing } from 'jaeger-decorators/fastify';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import { Get, JsonController, Param, useExpressServer } from 'routing-controllers';
import { tracingErrorHandler, tracingMiddleware, type ServerTracingOptions } from 'jaeger-decorators/express';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { httpRequest, listen } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

@TracedController({ operationName: 'route' })
@JsonController('/reports')
class ReportController {
  @Get('/:id')
  getOne(@Param('id') id: number) {
    return { id };
  }
}

/** A plain Express app with the middleware and `options`: /ok, /missing (404), POST /fail (500 after a body). */
function appWith(options: ServerTracingOptions) {
  const app = express();
  app.use(tracingMiddleware(options));
  app.use(express.json());
  app.get('/ok', (_req, res) => res.json({ ok: true }));
  app.get('/health', (_req, res) => res.json({ ok: true }));
  app.get('/missing', (_req, res) => res.status(404).json({}));
  app.post('/fail', (_req, _res, next) => next(new Error('failed')));
  app.use(tracingErrorHandler());
  app.use((_error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(500).json({}));
  return app;
}

async function requestOnce(options: ServerTracingOptions, path: string, init: { method?: string; body?: string } = {}) {
  const server = await listen(appWith(options));
  try {
    const headers: Record<string, string> = init.body === undefined ? {} : { 'content-type': 'application/json' };
    return await httpRequest(`${server.url}${path}`, { ...init, headers });
  } finally {
    await delay(10);
    await server.close();
  }
}

describe('server tracing options', () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('errorOn4xx marks a 4xx response as an error', async () => {
    await requestOnce({}, '/missing');
    await requestOnce({ errorOn4xx: true }, '/missing');
    assert.deepEqual(
      recording.spans().map((span) => span.tags.error),
      [undefined, true],
    );
  });

  it('a request on an ignored path runs under an unsampled span of its own, in a server started inside one (a @Span bootstrap)', async () => {
    // Node carries the context a server was started in into its connections: a health check's handler saw the
    // startup's span, and its spans and calls joined the startup's trace.
    const boot = recording.tracer.startSpan('boot');
    const seen: string[] = [];
    const look = (where: string): void => {
      const active = getActiveSpan();
      const sampled = active !== undefined && (active.context() as unknown as { isSampled(): boolean }).isSampled();
      seen.push(`${where}: ${active === undefined ? 'none' : active === boot ? 'boot' : sampled ? 'request' : 'unsampled'}`);
    };
    const expressApp = express();
    expressApp.use(tracingMiddleware());
    expressApp.get('/health', (_req, res) => {
      look('express /health');
      res.end();
    });
    expressApp.get('/ok', (_req, res) => {
      look('express /ok');
      res.end();
    });
    const koaApp = new Koa();
    koaApp.use(koaTracingMiddleware());
    koaApp.use(async (ctx) => {
      look(`koa ${ctx.path}`);
      ctx.body = 'ok';
    });
    const fastifyApp = Fastify();
    await fastifyApp.register(fastifyTracing);
    fastifyApp.get('/health', async () => {
      look('fastify /health');
      return 'ok';
    });
    fastifyApp.post('/health', async () => {
      look('fastify POST /health');
      return 'ok';
    });
    @TracedController()
    @JsonController()
    class HealthController {
      @Get('/health')
      health() {
        look('@TracedController /health');
        return { ok: true };
      }
    }
    const controllers = express();
    useExpressServer(controllers, { controllers: [HealthController] });
    const koaHandler = koaApp.callback();
    const servers = await withSpan(boot, () =>
      Promise.all([
        listen(expressApp),
        listen((req, res) => void koaHandler(req, res)),
        listen((req, res) => void fastifyApp.routing(req, res)),
        listen(controllers),
      ]),
    );
    await fastifyApp.ready();
    try {
      const [expressServer, koaServer, fastifyServer, controllersServer] = servers;
      await httpRequest(`${expressServer.url}/health`);
      await httpRequest(`${expressServer.url}/ok`);
      await httpRequest(`${koaServer.url}/health`);
      await httpRequest(`${fastifyServer.url}/health`);
      await httpRequest(`${fastifyServer.url}/health`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      await httpRequest(`${controllersServer.url}/health`);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      boot.finish();
    }
    assert.deepEqual(seen, [
      'express /health: unsampled',
      'express /ok: request',
      'koa /health: unsampled',
      'fastify /health: unsampled',
      'fastify POST /health: unsampled',
      '@TracedController /health: unsampled',
    ]);
    assert.deepEqual(
      recording.spans().map((span) => span.name),
      ['GET /ok', 'boot'],
    );
  });

  it('ignorePaths adds to the defaults instead of replacing them', async () => {
    await requestOnce({ ignorePaths: ['/ok'] }, '/ok');
    await requestOnce({ ignorePaths: ['/ok'] }, '/health');
    await requestOnce({ ignorePaths: [/^\/miss/] }, '/missing');
    // With a trailing slash too, which Express serves from the same route.
    await requestOnce({}, '/health/');
    await requestOnce({ ignorePaths: ['/ok'] }, '/ok/');
    assert.equal(recording.spans().length, 0);
  });

  it("what the client chooses is capped (the URL, a debug id); an IPv4 client of a server on '::' is peer.ipv4", async () => {
    const app = appWith({});
    app.get('/echo/:text', (_req, res) => res.end('ok'));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '::', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const response = await httpRequest(`http://127.0.0.1:${port}/echo/${'a'.repeat(3000)}?q=1`, { headers: { 'jaeger-debug-id': 'd'.repeat(1000) } });
      assert.equal(response.status, 200);
    } finally {
      await delay(10);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    const [span] = recording.spans();
    assert.equal(span.tags['peer.ipv4'], '127.0.0.1');
    assert.equal(span.tags['peer.ipv6'], undefined);
    const url = String(span.tags['http.url']);
    assert.ok(url.startsWith('/echo/aaaa') && url.length < 2100, `http.url of ${url.length} characters`);
    const debugId = String(span.tags['jaeger-debug-id']);
    assert.ok(debugId.startsWith('dddd') && debugId.length < 300, `jaeger-debug-id of ${debugId.length} characters`);
  });

  it('ignorePaths ignores every request a global or sticky pattern matches, and no other, given as a frozen list', async () => {
    // A sticky pattern matches where it starts, the start of the path: /missing, not /ok?next=/missing.
    const ignorePaths = Object.freeze([/^\/ok$/g, /\/missing/y] as const);
    for (let i = 0; i < 3; i += 1) {
      await requestOnce({ ignorePaths }, '/ok');
      await requestOnce({ ignorePaths }, '/missing');
    }
    assert.equal(recording.spans().length, 0);
    await requestOnce({ ignorePaths }, '/health/missing');
    assert.deepEqual(
      recording.spans().map((span) => span.tags['http.url']),
      ['/health/missing'],
    );
  });

  it('ignorePaths compares the path without its query, whatever its length, and nothing else', async () => {
    const long = '/internal/metrics/prometheus/scrape'; // longer than 31 characters
    await requestOnce({}, '/health?probe=1');
    await requestOnce({ ignorePaths: [long] }, `${long}?format=text`);
    assert.equal(recording.spans().length, 0);
    // Paths as long as an ignored one, or starting with one, or with an ignored path in their query.
    await requestOnce({}, '/healthy');
    await requestOnce({ ignorePaths: [long] }, `${long}/more`);
    await requestOnce({}, '/ok?next=/health');
    assert.deepEqual(
      recording.spans().map((span) => span.tags['http.url']),
      ['/healthy', `${long}/more`, '/ok?next=/health'],
    );
  });

  it('records the request body only when asked, capped at maxBodyLength, secrets redacted', async () => {
    const body = JSON.stringify({ note: 'n'.repeat(500), password: 'pw-1234-secret' });
    await requestOnce({}, '/fail', { method: 'POST', body });
    await requestOnce({ recordBody: true, maxBodyLength: 100 }, '/fail', { method: 'POST', body });
    const [without, withBody] = recording.spans().map((span) => span.logs.find((log) => log.event === 'error')!);
    assert.equal(without['request.data'], undefined);
    const recorded = String(withBody['request.data']);
    assert.ok(recorded.length < 150, recorded);
    assert.ok(!recorded.includes('pw-1234-secret'));
  });

  it("operationName: 'route' names routing-controllers spans by route", async () => {
    const app = express();
    useExpressServer(app, { controllers: [ReportController] });
    const server = await listen(app);
    try {
      await httpRequest(`${server.url}/reports/3`);
      await delay(10);
    } finally {
      await server.close();
    }
    assert.deepEqual(
      recording.spans().map((span) => span.name),
      ['GET /reports/:id'],
    );
  });

  it('returns each request its own trace id on Koa error responses, even when the error object is shared or frozen', async () => {
    const shared = Object.assign(new Error('forbidden'), { status: 403, expose: true });
    const frozen = Object.assign(new Error('forbidden'), { status: 403, expose: true, headers: Object.freeze({ 'x-reason': 'policy' }) });
    const app = new Koa();
    app.silent = true;
    app.use(koaTracingMiddleware({ traceResponseHeader: 'x-trace-id' }));
    app.use((ctx) => {
      throw ctx.path === '/frozen' ? frozen : shared;
    });
    const handle = app.callback();
    const server = await listen((req, res) => void handle(req, res));
    try {
      const responses = [await httpRequest(`${server.url}/a`), await httpRequest(`${server.url}/b`), await httpRequest(`${server.url}/frozen`)];
      await delay(10);
      assert.deepEqual(
        responses.map((response) => response.status),
        [403, 403, 403],
      );
      assert.deepEqual(
        responses.map((response) => response.headers['x-trace-id']),
        recording.spans().map((span) => span.traceId.padStart(16, '0')),
      );
      assert.equal(responses[2].headers['x-reason'], 'policy');
      assert.equal((shared as { headers?: unknown }).headers, undefined, 'the error object is left alone');
    } finally {
      await server.close();
    }
  });

  it('prints the trace id as Jaeger does, zero-padded, in the trace_id tag and the response header', async () => {
    const server = await listen(appWith({ traceResponseHeader: 'x-trace-id' }));
    try {
      const response = await httpRequest(`${server.url}/ok`, { headers: { 'uber-trace-id': '8055883b285a8c1:2:0:1' } });
      await delay(10);
      assert.equal(response.headers['x-trace-id'], '08055883b285a8c1');
      assert.equal(recording.spans()[0].tags.trace_id, '08055883b285a8c1');
    } finally {
      await server.close();
    }
  });

  it('before initTracer, runs a request untraced: no active span in the handler', async () => {
    await closeTracer();
    const app = express();
    app.use(tracingMiddleware());
    app.get('/active', (_req, res) => res.json({ active: getActiveSpan() !== undefined }));
    const server = await listen(app);
    try {
      assert.deepEqual((await httpRequest(`${server.url}/active`)).json(), { active: false });
    } finally {
      await server.close();
    }
  });

  it('sends no trace id header and no trace_id tag while the tracer is a no-op', async () => {
    await closeTracer();
    const response = await requestOnce({ traceResponseHeader: 'x-trace-id' }, '/ok');
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-trace-id'], undefined);
  });
});
