// createServerTracing(): the public server span, for a framework this library does not integrate, here plain
// node:http. The same span the integrations make: tags, µs timing, redaction, the 4xx rule, one error log.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createServerTracing, getActiveSpan, LogErrorsToSpan, Span } from 'jaeger-decorators';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import express from 'express';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

class NotFound extends Error {
  override name = 'NotFound';
  readonly status = 404;
}

class Orders {
  @Span()
  async load(id: string): Promise<{ id: string; traced: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { id, traced: getActiveSpan() !== undefined };
  }

  @LogErrorsToSpan()
  async fail(id: string): Promise<never> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    throw id === 'missing' ? new NotFound(`order ${id} not found`) : new Error(`order ${id} is broken`);
  }
}

// A tiny router of its own, as a framework that is not Express, Koa, Fastify or Nest would have.
function nodeHttpApp(): http.RequestListener {
  const tracing = createServerTracing('node-http', { traceResponseHeader: 'x-trace-id', ignorePaths: ['/probe'] });
  const orders = new Orders();
  return (req, res) => {
    const request = tracing.start(req, res);
    const match = /^\/orders\/([^/?]+)(\/fail)?/.exec(req.url ?? '');
    const handle = async (): Promise<void> => {
      if (req.url === '/probe') {
        res.end(JSON.stringify(await orders.load('probe')));
        return;
      }
      if (match === null) {
        res.statusCode = 404;
        res.end();
        return;
      }
      request?.setRoute(match[2] === undefined ? '/orders/:id' : '/orders/:id/fail');
      request?.setHandler('node-http', match[2] === undefined ? 'Orders.load' : 'Orders.fail', { id: match[1] });
      try {
        const body = match[2] === undefined ? await orders.load(match[1]) : await orders.fail(match[1]);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      } catch (error) {
        request?.recordError(error);
        res.statusCode = (error as { status?: number }).status ?? 500;
        res.end();
      }
    };
    void (request === undefined ? tracing.runUntraced(req, handle) : request.run(handle));
  };
}

describe('createServerTracing(), for any other framework', () => {
  let recording: RecordingTracer;
  let server: RunningServer;
  before(async () => {
    server = await listen(nodeHttpApp());
  });
  after(() => server.close());
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('starts a server span joined to the caller, active for the handler, finished with the response', async () => {
    const response = await httpRequest(`${server.url}/orders/42?token=s3cr3t-t0k`, { headers: { 'uber-trace-id': 'abc123:def456:0:1' } });
    assert.deepEqual(response.json(), { id: '42', traced: true });
    await new Promise((resolve) => setImmediate(resolve));
    const serverSpan = recording.spans().find((candidate) => candidate.tags['span.kind'] === 'server')!;
    const span = recording.spans().find((candidate) => candidate !== serverSpan)!;
    assert.equal(serverSpan.name, 'Orders.load');
    assert.equal(span.name, 'Orders.load');
    assert.equal(span.parentId, serverSpan.spanId);
    assert.equal(serverSpan.parentId, 'def456');
    assert.equal(serverSpan.tags.component, 'node-http');
    assert.equal(serverSpan.tags['http.route'], '/orders/:id');
    assert.equal(serverSpan.tags['http.status_code'], 200);
    assert.equal(serverSpan.tags['http.url'], '/orders/42?token=[REDACTED]');
    assert.equal(String(response.headers['x-trace-id']).replace(/^0+/, ''), serverSpan.traceId.replace(/^0+/, ''));
    // One time in a thousand a duration in microseconds is a whole millisecond: ask it of the four times together.
    const times = [serverSpan.startMs, serverSpan.durationMs, span.startMs, span.durationMs];
    assert.ok(
      times.some((ms) => ms % 1 !== 0),
      `timed in microseconds, not whole milliseconds: ${times.join(', ')}`,
    );
  });

  it('runs an ignored path untraced: a @Span service it reaches starts no trace of its own', async () => {
    const response = await httpRequest(`${server.url}/probe`);
    assert.equal(response.status, 200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      recording.spans().map((span) => span.name),
      [],
    );
  });

  it('a 5xx error is logged once with its stack, though @LogErrorsToSpan saw it first; a 4xx is a client_error', async () => {
    assert.equal((await httpRequest(`${server.url}/orders/7/fail`)).status, 500);
    assert.equal((await httpRequest(`${server.url}/orders/missing/fail`)).status, 404);
    await new Promise((resolve) => setImmediate(resolve));
    const [failed, missing] = recording.spans().filter((span) => span.name === 'Orders.fail');
    assert.equal(failed.tags.error, true);
    assert.deepEqual(
      failed.logs.map((log) => [log.event, log.message]),
      [['error', 'order 7 is broken']],
    );
    assert.match(String(failed.logs[0].stack), /order 7 is broken/);
    assert.match(String(failed.logs[0]['request.args']), /"id":"7"/);
    assert.equal(missing.tags.error, undefined);
    assert.deepEqual(missing.logs, [{ event: 'client_error', 'error.kind': 'NotFound', message: 'order missing not found', 'http.status_code': 404 }]);
  });

  it('finishes the span of every pipelined request once, when the client goes away before they are answered', async () => {
    // Fifteen requests on one connection, the client gone while the first is handled: the fourteen queued behind
    // it have no socket of their own yet (on Node 20 their responses never close). Waiting for the connection's
    // end, they must not pass Node's ten listeners a connection (MaxListenersExceededWarning).
    const warnings: Error[] = [];
    const onWarning = (warning: Error): number => warnings.push(warning);
    process.on('warning', onWarning);
    const tracing = createServerTracing('node-http');
    let received = 0;
    const pipelined = await listen((req, res) => {
      received += 1;
      tracing.start(req, res)?.run(() => setTimeout(() => res.end('ok'), 50));
    });
    const paths = Array.from({ length: 15 }, (_, i) => `/orders/${i + 1}`);
    const socket = net.connect(Number(new URL(pipelined.url).port), '127.0.0.1', () =>
      socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`).join('')),
    );
    socket.on('error', () => {});
    try {
      for (let i = 0; i < 100 && received < paths.length; i += 1) await delay(5);
      socket.destroy();
      for (let i = 0; i < 100 && recording.spans().length < paths.length; i += 1) await delay(10);
      await delay(100);
    } finally {
      process.off('warning', onWarning);
      await pipelined.close();
    }
    assert.deepEqual(
      recording
        .spans()
        .map((span) => span.tags['http.url'])
        .sort(),
      [...paths].sort(),
    );
    assert.ok(recording.spans().every((span) => span.tags['http.aborted'] === true || span.tags['http.status_code'] === 200));
    assert.deepEqual(
      warnings.map((warning) => warning.name),
      [],
    );
  });

  it('refuses a wrong option or component when created, naming it', () => {
    assert.throws(() => createServerTracing('hapi', { traceResponseHeadr: 'x' } as never), /createServerTracing\(\).*traceResponseHeadr/);
    assert.throws(() => createServerTracing(''), /createServerTracing\(\): the component must be the framework's name/);
    assert.throws(() => createServerTracing('hapi', { errorStatus: 404 as never }), /createServerTracing\(\): option errorStatus must be a function/);
  });
});

describe('Express: one error log per failure, whatever mix of layers sees it', () => {
  let recording: RecordingTracer;
  let server: RunningServer;
  before(async () => {
    const orders = new Orders();
    const app = express();
    app.use(tracingMiddleware());
    app.get('/orders/:id/fail', (req, res, next) => {
      orders.fail(req.params.id).then(() => res.end(), next);
    });
    app.get('/orders/:id/named', (_req, res) => {
      getActiveSpan()!.setOperationName('OrdersController.named');
      res.end();
    });
    app.use(tracingErrorHandler());
    app.use((error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(error.status ?? 500).end();
    });
    server = await listen(app);
  });
  after(() => server.close());
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('@LogErrorsToSpan, the error handler and the 500 status make one error log; a 404 one client_error and no error tag', async () => {
    assert.equal((await httpRequest(`${server.url}/orders/3/fail`)).status, 500);
    assert.equal((await httpRequest(`${server.url}/orders/missing/fail`)).status, 404);
    await new Promise((resolve) => setImmediate(resolve));
    const [failed, missing] = recording.spans();
    assert.equal(failed.name, 'GET /orders/:id/fail');
    assert.deepEqual(
      failed.logs.map((log) => [log.event, log['error.kind'], log.message]),
      [['error', 'Error', 'order 3 is broken']],
    );
    assert.equal(missing.tags.error, undefined);
    assert.deepEqual(
      missing.logs.map((log) => [log.event, log['http.status_code']]),
      [['client_error', 404]],
    );
  });

  it('a name the app gives the span inside the request is kept when the span finishes', async () => {
    assert.equal((await httpRequest(`${server.url}/orders/5/named`)).status, 200);
    await new Promise((resolve) => setImmediate(resolve));
    const [span] = recording.spans();
    assert.equal(span.name, 'OrdersController.named');
    assert.equal(span.tags['http.route'], '/orders/:id/named');
  });
});
