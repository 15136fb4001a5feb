// Plain Fastify 5 with `app.register(fastifyTracing)`, read through the test kit: an error is judged by the status
// the app's error handler answers it with, `inject()` is traced as a request over a socket is, a streamed reply
// that fails is an error, and the hooks after a handler that answered from a context-losing callback see the span.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { LogErrorsToSpan, getActiveSpan } from 'jaeger-decorators';
import { fastifyTracing } from 'jaeger-decorators/fastify';
import { installTestTracer, type FinishedSpan, type TestTracer } from 'jaeger-decorators/testing';
import { httpRequest } from '../support/http-client';

class OrderNotFound extends Error {}
/** An error the app's error handler answers with a success. */
class AlreadyCancelled extends Error {}

/** A controller whose handlers log their errors on the request's span, as a user decorates one. */
class OrdersController {
  @LogErrorsToSpan()
  async find(id: string): Promise<never> {
    throw new OrderNotFound(`order ${id} not found`);
  }

  @LogErrorsToSpan()
  async cancel(id: string): Promise<never> {
    throw new AlreadyCancelled(`order ${id} was cancelled already`);
  }
}

/** The events and messages a span logged, as a user reads them in Jaeger. */
function logsOf(span: FinishedSpan): Array<{ event: unknown; message: unknown; stack: boolean }> {
  return span.logs.map(({ fields }) => ({ event: fields.event, message: fields.message, stack: typeof fields.stack === 'string' }));
}

function spanNamed(tracer: TestTracer, name: string): FinishedSpan {
  const spans = tracer.finishedSpans().filter((span) => span.operationName === name);
  assert.equal(
    spans.length,
    1,
    `one span named ${name}, got ${tracer
      .finishedSpans()
      .map((span) => span.operationName)
      .join(', ')}`,
  );
  return spans[0];
}

/** Waits until the spans of `count` requests have finished: a span finishes when its response closes. */
async function spansFinished(tracer: TestTracer, count: number): Promise<void> {
  for (let i = 0; i < 100 && tracer.finishedSpans().length < count; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('Fastify: what the app answers, as it answers it', () => {
  let tracer: TestTracer;
  let app: FastifyInstance;
  let url: string;
  /** A client whose callbacks fire from a timer made at startup, as a pooled driver's events do: no request context. */
  const pooledClient = new EventEmitter();
  const pending: string[] = [];
  const poll = setInterval(() => {
    while (pending.length > 0) pooledClient.emit('row', pending.shift());
  }, 2);
  const hooksSeeingSpan = new Map<string, boolean>();

  before(async () => {
    tracer = installTestTracer();
    app = Fastify();
    await app.register(fastifyTracing);
    app.setErrorHandler((error, request, reply) => {
      if (error instanceof OrderNotFound) return reply.code(404).send({ message: error.message });
      if (error instanceof AlreadyCancelled) return reply.code(200).send({ cancelled: true });
      // A report whose file is missing: the stream failed before the head, Fastify hands it here.
      if ((error as { code?: string }).code === 'ENOENT') return reply.code(404).type('text/plain').send('no such report');
      if (request.url === '/queue') return reply.code(503).send({ message: 'try later' });
      return reply.send(error);
    });
    for (const hook of ['preSerialization', 'onSend'] as const) {
      app.addHook(hook, async (request, _reply, payload) => {
        if (request.url === '/pooled') hooksSeeingSpan.set(hook, getActiveSpan() !== undefined);
        return payload;
      });
    }
    app.addHook('onResponse', async (request) => {
      if (request.url === '/pooled') hooksSeeingSpan.set('onResponse', getActiveSpan() !== undefined);
    });
    app.get<{ Params: { id: string } }>('/orders/:id', async (request) => {
      throw new OrderNotFound(`order ${request.params.id} not found`);
    });
    const orders = new OrdersController();
    app.get<{ Params: { id: string } }>('/decorated/orders/:id', (request) => orders.find(request.params.id));
    app.delete<{ Params: { id: string } }>('/decorated/orders/:id', (request) => orders.cancel(request.params.id));
    app.get('/quantity', async (_request, reply) => {
      reply.code(422);
      throw new Error('quantity must be positive');
    });
    app.get('/queue', async () => {
      throw Object.assign(new Error('queue full'), { statusCode: 400 });
    });
    app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => (request.params.id === 'gone' ? reply.callNotFound() : { id: 1 }));
    app.get('/down', async (_request, reply) => reply.code(503).send({ down: true }));
    app.get('/export', async (_request, reply) => {
      let rows = 0;
      const source = new Readable({
        read() {
          if (rows++ < 2) this.push('row\n');
          else setTimeout(() => this.destroy(new Error('export source failed')), 5);
        },
      });
      return reply.type('text/csv').send(source);
    });
    app.get('/reports/q3', async (_request, reply) => reply.type('text/csv').send(fs.createReadStream('/nonexistent/q3.csv')));
    app.get('/pooled', (_request, reply) => {
      pending.push('select');
      pooledClient.once('row', (row: string) => void reply.send({ row }));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  after(async () => {
    clearInterval(poll);
    await app.close();
    await tracer.close();
  });

  it("records a domain error the app's error handler answers with 404 as a client error, not a failure", async () => {
    tracer.reset();
    assert.equal((await httpRequest(`${url}/orders/7`)).status, 404);
    await spansFinished(tracer, 1);
    const span = spanNamed(tracer, 'GET /orders/:id');
    assert.equal(span.tags['http.status_code'], 404);
    assert.equal(span.tags.error, undefined);
    assert.deepEqual(logsOf(span), [{ event: 'client_error', message: 'order 7 not found', stack: false }]);
  });

  it("@LogErrorsToSpan on a handler: its error is recorded by the status the app's error handler answers with, once", async () => {
    tracer.reset();
    assert.equal((await httpRequest(`${url}/decorated/orders/7`)).status, 404);
    await spansFinished(tracer, 1);
    const notFound = spanNamed(tracer, 'GET /decorated/orders/:id');
    assert.equal(notFound.tags.error, undefined);
    assert.deepEqual(logsOf(notFound), [{ event: 'client_error', message: 'order 7 not found', stack: false }]);

    tracer.reset();
    assert.equal((await httpRequest(`${url}/decorated/orders/7`, { method: 'DELETE' })).status, 200);
    await spansFinished(tracer, 1);
    const answeredWithSuccess = spanNamed(tracer, 'DELETE /decorated/orders/:id');
    assert.equal(answeredWithSuccess.tags.error, undefined);
    assert.deepEqual(
      logsOf(answeredWithSuccess).map(({ event, message }) => ({ event, message })),
      [{ event: 'expected_error', message: 'order 7 was cancelled already' }],
    );
  });

  it('a handler that calls reply.callNotFound() keeps its route: the span is its route, answered 404, not an unrouted request', async () => {
    const before = tracer.finishedSpans().length;
    assert.equal((await httpRequest(`${url}/users/gone`)).status, 404);
    assert.equal((await httpRequest(`${url}/nowhere`)).status, 404);
    await spansFinished(tracer, before + 2);
    const [gone, nowhere] = tracer.finishedSpans().slice(before);
    assert.deepEqual(
      [gone, nowhere].map((span) => [span.operationName, span.tags['http.route'], span.tags['http.status_code'], span.tags.error]),
      [
        ['GET /users/:id', '/users/:id', 404, undefined],
        ['HTTP GET', undefined, 404, undefined],
      ],
    );
  });

  it('records an error answered with the 4xx the handler set as a client error', async () => {
    tracer.reset();
    assert.equal((await httpRequest(`${url}/quantity`)).status, 422);
    await spansFinished(tracer, 1);
    const span = spanNamed(tracer, 'GET /quantity');
    assert.equal(span.tags.error, undefined);
    assert.deepEqual(logsOf(span), [{ event: 'client_error', message: 'quantity must be positive', stack: false }]);
  });

  it('records an error carrying a 400 that the app answers with 503 as one failure, with its message and stack', async () => {
    tracer.reset();
    assert.equal((await httpRequest(`${url}/queue`)).status, 503);
    await spansFinished(tracer, 1);
    const span = spanNamed(tracer, 'GET /queue');
    assert.equal(span.tags.error, true);
    assert.equal(span.tags['http.status_code'], 503);
    assert.deepEqual(logsOf(span), [{ event: 'error', message: 'queue full', stack: true }]);
  });

  it('traces a request made with inject() as one made over a socket: its status, and a 5xx is a failure', async () => {
    tracer.reset();
    assert.equal((await app.inject({ method: 'GET', url: '/users/1' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/down' })).statusCode, 503);
    await spansFinished(tracer, 2);
    const ok = spanNamed(tracer, 'GET /users/:id');
    assert.equal(ok.tags['http.status_code'], 200);
    assert.equal(ok.tags['http.aborted'], undefined);
    const down = spanNamed(tracer, 'GET /down');
    assert.equal(down.tags['http.status_code'], 503);
    assert.equal(down.tags.error, true);
    assert.deepEqual(logsOf(down), [{ event: 'error', message: 'responded with status 503', stack: false }]);
  });

  it('records the error of a streamed reply whose source fails after the head went out', async () => {
    tracer.reset();
    await new Promise<void>((resolve) => {
      http
        .get(`${url}/export`, (response) => {
          assert.equal(response.statusCode, 200);
          response.on('data', () => {});
          response.on('error', () => {});
          response.on('close', resolve);
        })
        .on('error', () => resolve());
    });
    await spansFinished(tracer, 1);
    const span = spanNamed(tracer, 'GET /export');
    assert.equal(span.tags.error, true);
    assert.deepEqual(logsOf(span), [{ event: 'error', message: 'export source failed', stack: true }]);
  });

  it('records a streamed reply that fails before the head by the status the error handler answers it with', async () => {
    tracer.reset();
    assert.equal((await httpRequest(`${url}/reports/q3`)).status, 404);
    await spansFinished(tracer, 1);
    const span = spanNamed(tracer, 'GET /reports/q3');
    assert.equal(span.tags.error, undefined);
    assert.deepEqual(
      logsOf(span).map(({ event }) => event),
      ['client_error'],
    );
  });

  it('keeps the span active in the hooks after a handler that answered from a callback outside the request', async () => {
    tracer.reset();
    assert.equal((await httpRequest(`${url}/pooled`)).status, 200);
    await spansFinished(tracer, 1);
    assert.deepEqual(Object.fromEntries(hooksSeeingSpan), { preSerialization: true, onSend: true, onResponse: true });
  });
});
