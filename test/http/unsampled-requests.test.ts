// A request in a trace that is not sampled records nothing, and the middleware does the least work for it; what
// it still owes: the trace's ids go on (headers of downstream calls, the trace-id response header, log4js tokens),
// @Span makes no span, and a span made sampled during the request (sampling.priority) is recorded in full.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import { Get, JsonController, Param, QueryParam, useExpressServer, useKoaServer } from 'routing-controllers';
import { Span, getActiveSpan, traceHeaders } from 'jaeger-decorators';
import { tracingMiddleware } from 'jaeger-decorators/express';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import Router from '@koa/router';
import Koa from 'koa';
import { traceTokens } from 'jaeger-decorators/log4js';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

const PARENT_TRACE = 'a1b2c3d4e5f60718';
const PARENT_SPAN = '1122334455667788';
const UNSAMPLED_PARENT = `${PARENT_TRACE}:${PARENT_SPAN}:0:0`;

class Accounts {
  @Span()
  find(id: number) {
    return { id };
  }
}
const accounts = new Accounts();

/** What the handler saw of its trace: the headers a downstream call carries, the log4js tokens. */
function seen(id: number, sample: boolean, late = false) {
  // A user's way of keeping a trace the sampler dropped: jaeger-client's debug sampling.
  if (sample) getActiveSpan()?.setTag('sampling.priority', 1);
  // Or by work the request leaves running, once the response is sent.
  const span = getActiveSpan();
  if (late) void delay(30).then(() => span?.setTag('sampling.priority', 1));
  return { account: accounts.find(id), downstream: traceHeaders(getActiveSpan()!), log: { traceId: traceTokens.trace_id(), spanId: traceTokens.span_id() } };
}

function middlewareApp(): http.RequestListener {
  const app = express();
  app.use(tracingMiddleware({ traceResponseHeader: 'x-trace-id' }));
  app.get('/accounts/:id', (req, res) => {
    // Answered later, as most handlers do, so the context must last across the await.
    void delay(1).then(() => res.json(seen(Number(req.params.id), req.query.sample === '1', req.query.late === '1')));
  });
  return app;
}

// Koa: what an unsampled request is owed is the same, and an error reaches Koa as it was thrown.
const koaErrors: unknown[] = [];
function koaApp(): http.RequestListener {
  const app = new Koa();
  app.silent = true;
  app.on('error', (error) => koaErrors.push(error));
  app.use(koaTracingMiddleware({ traceResponseHeader: 'x-trace-id' }));
  const router = new Router();
  router.get('/accounts/:id', async (ctx) => {
    await delay(1);
    const body = seen(Number(ctx.params.id), ctx.query.sample === '1', ctx.query.late === '1');
    if (ctx.query.fail === '1') throw new Error(`account ${ctx.params.id} is locked`);
    ctx.body = body;
  });
  // Made sampled and failing before the chain has handed back its promise.
  router.get('/accounts/:id/sync', (ctx) => {
    const body = seen(Number(ctx.params.id), ctx.query.sample === '1');
    if (ctx.query.fail === '1') throw new Error(`account ${ctx.params.id} is locked`);
    ctx.body = body;
  });
  app.use(router.routes());
  const handle = app.callback();
  return (req, res) => void handle(req, res);
}

@TracedController({ traceResponseHeader: 'x-trace-id' })
@JsonController('/accounts')
class AccountController {
  @Get('/:id')
  async getOne(@Param('id') id: number, @QueryParam('sample') sample?: string, @QueryParam('fail') fail?: string, @QueryParam('late') late?: string) {
    await delay(1);
    const body = seen(id, sample === '1', late === '1');
    if (fail === '1') throw new Error(`account ${id} is locked`);
    return body;
  }

  // Fails at once, before any await: the action throws rather than returning a rejected promise.
  @Get('/:id/sync')
  getOneNow(@Param('id') id: number, @QueryParam('sample') sample?: string) {
    seen(id, sample === '1');
    throw new Error(`account ${id} is locked`);
  }
}

function controllerApp(): http.RequestListener {
  const app = express();
  useExpressServer(app, { controllers: [AccountController], development: false });
  return app;
}

function controllerKoaApp(): http.RequestListener {
  const app = new Koa();
  app.silent = true;
  useKoaServer(app, { controllers: [AccountController], development: false });
  const handle = app.callback();
  return (req, res) => void handle(req, res);
}

interface Seen {
  downstream: Record<string, string>;
  log: { traceId: string; spanId: string };
}

for (const { title, app, name, syncName } of [
  { title: 'tracingMiddleware()', app: middlewareApp, name: 'GET /accounts/:id' },
  { title: '@TracedController', app: controllerApp, name: 'AccountController.getOne', syncName: 'AccountController.getOneNow' },
  { title: '@TracedController on Koa', app: controllerKoaApp, name: 'AccountController.getOne', syncName: 'AccountController.getOneNow' },
  { title: 'koaTracingMiddleware()', app: koaApp, name: 'GET /accounts/:id', syncName: 'GET /accounts/:id/sync' },
]) {
  describe(`${title}, a trace that is not sampled`, () => {
    let server: RunningServer;
    let recording: RecordingTracer;
    before(async () => {
      server = await listen(app());
    });
    after(() => server.close());
    beforeEach(() => {
      recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
    });
    afterEach(() => closeTracer());

    it("passes the caller's unsampled trace on, records nothing, and @Span makes no span", async () => {
      const response = await httpRequest(`${server.url}/accounts/3`, { headers: { 'uber-trace-id': UNSAMPLED_PARENT } });
      assert.equal(response.status, 200);
      const body = response.json<Seen>();
      const [traceId, spanId, parentId, flags] = body.downstream['uber-trace-id'].split(':');
      assert.equal(traceId, PARENT_TRACE);
      assert.equal(parentId, PARENT_SPAN, 'the server span is the parent of downstream calls');
      assert.equal(flags, '0', 'downstream calls are told not to sample');
      assert.equal(response.headers['x-trace-id'], PARENT_TRACE);
      assert.deepEqual(body.log, { traceId: PARENT_TRACE, spanId: spanId.padStart(16, '0') });
      await delay(20);
      assert.deepEqual(recording.spans(), []);
    });

    it('starts an unsampled trace of its own, with its id in the response header and the log tokens', async () => {
      const response = await httpRequest(`${server.url}/accounts/4`);
      const body = response.json<Seen>();
      const [traceId, , , flags] = body.downstream['uber-trace-id'].split(':');
      assert.equal(flags, '0');
      assert.equal(response.headers['x-trace-id'], traceId.padStart(16, '0'));
      assert.equal(body.log.traceId, traceId.padStart(16, '0'));
      await delay(20);
      assert.deepEqual(recording.spans(), []);
    });

    it('records in full a server span made sampled during the request (sampling.priority)', async () => {
      const response = await httpRequest(`${server.url}/accounts/5?sample=1`, { headers: { 'uber-trace-id': UNSAMPLED_PARENT } });
      assert.equal(response.status, 200);
      for (let i = 0; i < 100 && recording.spans().length === 0; i += 1) await delay(5);
      const span = recording.span(name);
      assert.equal(span.traceId, PARENT_TRACE);
      assert.equal(span.parentId, PARENT_SPAN);
      assert.equal(span.tags['http.route'], '/accounts/:id');
      assert.equal(span.tags['http.status_code'], 200);
      assert.equal(span.tags['sampling.priority'], 1);
      // The tags it was started with, which the span dropped while it was not sampled, are given at the end.
      assert.equal(span.tags['span.kind'], 'server');
      assert.equal(span.tags['http.method'], 'GET');
      assert.equal(span.tags['http.url'], '/accounts/5?sample=1');
      assert.equal(span.tags.trace_id, PARENT_TRACE);
      assert.equal(span.tags.component, title.startsWith('koa') ? 'koa' : title.startsWith('@Traced') ? 'routing-controllers' : 'express');
    });

    it('records a server span made sampled after its response was sent, ended then, once', async () => {
      const response = await httpRequest(`${server.url}/accounts/8?late=1`, { headers: { 'uber-trace-id': UNSAMPLED_PARENT } });
      assert.equal(response.status, 200);
      await delay(10);
      assert.deepEqual(recording.spans(), [], 'not sampled yet');
      for (let i = 0; i < 100 && recording.spans().length === 0; i += 1) await delay(5);
      await delay(20);
      assert.deepEqual(
        recording.spans().map((span) => span.name),
        [name],
      );
      const span = recording.span(name);
      assert.equal(span.traceId, PARENT_TRACE);
      assert.equal(span.tags['http.status_code'], 200);
      assert.equal(span.tags['http.aborted'], undefined);
      assert.equal(span.tags['http.url'], '/accounts/8?late=1');
    });

    if (syncName !== undefined) {
      // In an unsampled trace, a traced controller's action and Koa's chain are not observed (it would record
      // nothing): the error of a request made sampled meanwhile, before or after the chain hands back its promise,
      // reaches the span through the driver, or through the trace that was told it was made sampled.
      const paths = ['/accounts/7', '/accounts/7/sync'];
      for (const path of paths) {
        it(`records the error of a request made sampled during the request, as a sampled one (${path})`, async () => {
          // Not kept alive: after routing-controllers has answered an error, Express's final handler closes the
          // connection, and a request sent on it meanwhile would be cut off.
          const headers = { 'uber-trace-id': UNSAMPLED_PARENT, connection: 'close' };
          const response = await httpRequest(`${server.url}${path}?sample=1&fail=1`, { headers });
          assert.equal(response.status, 500);
          for (let i = 0; i < 100 && recording.spans().length === 0; i += 1) await delay(5);
          const span = recording.span(path.endsWith('sync') ? syncName : name);
          assert.equal(span.tags.error, true);
          assert.equal(span.tags['http.status_code'], 500);
          const errorLogs = span.logs.filter((log) => log.event === 'error');
          assert.equal(errorLogs.length, 1, 'the error is logged once');
          assert.equal(errorLogs[0].message, 'account 7 is locked');
          assert.equal(errorLogs[0]['error.kind'], 'Error');
          assert.match(String(errorLogs[0].stack), /account 7 is locked\n\s+at /);
        });
      }
    }

    if (title.startsWith('koa')) {
      it('lets an error thrown downstream reach Koa unchanged, and records nothing of it', async () => {
        koaErrors.length = 0;
        const response = await httpRequest(`${server.url}/accounts/6?fail=1`, { headers: { 'uber-trace-id': UNSAMPLED_PARENT } });
        assert.equal(response.status, 500);
        assert.equal(koaErrors.length, 1);
        assert.equal((koaErrors[0] as Error).message, 'account 6 is locked');
        await delay(20);
        assert.deepEqual(recording.spans(), []);
      });
    }
  });
}
