import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Router from '@koa/router';
import Koa from 'koa';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import { listen } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';
import { appFrames, packageFrames } from '../support/stack-frames';

async function loadUser(): Promise<never> {
  await delay(1);
  throw new Error('the user store is down');
}

/**
 * A Koa app as users write one: an error-handling middleware first, which catches what the chain throws and
 * keeps it, then (when traced) the tracing middleware, then the router.
 */
function koaApp(traced: boolean, caught: Error[]): RequestListener {
  const app = new Koa();
  app.use(async function handleErrors(ctx, next) {
    try {
      await next();
    } catch (error) {
      caught.push(error as Error);
      ctx.status = 500;
      ctx.body = { error: 'internal' };
    }
  });
  if (traced) app.use(koaTracingMiddleware());
  const router = new Router();
  router.get('/users/:id', async function getUser(ctx) {
    ctx.body = await loadUser();
  });
  app.use(router.routes());
  const handle = app.callback();
  return (req, res) => void handle(req, res);
}

async function caughtError(traced: boolean): Promise<Error> {
  const caught: Error[] = [];
  const server = await listen(koaApp(traced, caught));
  try {
    const response = await fetch(`${server.url}/users/7`);
    assert.equal(response.status, 500);
  } finally {
    await server.close();
  }
  assert.equal(caught.length, 1);
  return caught[0];
}

describe('Koa: an error thrown in the chain', () => {
  let recording: RecordingTracer;
  const defaultStackTraceLimit = Error.stackTraceLimit;
  beforeEach(() => {
    Error.stackTraceLimit = 50;
    recording = recordingTracer();
  });
  afterEach(() => {
    Error.stackTraceLimit = defaultStackTraceLimit;
    return closeTracer();
  });

  it('reaches the app with the same stack as without the middleware, and no frame of ours', async () => {
    const untraced = await caughtError(false);
    const traced = await caughtError(true);
    assert.deepEqual(appFrames(traced.stack), appFrames(untraced.stack));
    assert.deepEqual(packageFrames(traced.stack), []);
    // The stack reaches the app's error handler above the middleware, through V8's async stack trace.
    assert.ok(appFrames(traced.stack).includes('at async handleErrors'), String(traced.stack));
  });

  it('is recorded on the server span, and the error the app catches is the one thrown', async () => {
    const traced = await caughtError(true);
    assert.equal(traced.message, 'the user store is down');
    const span = recording.span('GET /users/:id');
    assert.equal(span.tags.error, true);
    assert.ok(
      span.logs.some((log) => String(log['error.object'] ?? log.message ?? '').includes('the user store is down')),
      JSON.stringify(span.logs),
    );
  });

  it('thrown synchronously by a middleware below it is recorded and reaches the app unchanged', async () => {
    const caught: Error[] = [];
    const app = new Koa();
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        caught.push(error as Error);
        ctx.status = 500;
      }
    });
    app.use(koaTracingMiddleware());
    const thrown = new Error('refused at once');
    app.use(() => {
      throw thrown;
    });
    const handle = app.callback();
    const server = await listen((req, res) => void handle(req, res));
    try {
      assert.equal((await fetch(`${server.url}/anything`)).status, 500);
    } finally {
      await server.close();
    }
    assert.deepEqual(caught, [thrown]);
    assert.equal(recording.span('HTTP GET').tags.error, true);
  });
});
