// An Express app's own error handler, after tracingErrorHandler(), answers a domain error with a status of its
// choosing: the error is recorded by that answer, once, whether a decorator (@LogErrorsToSpan on a service) saw it
// first or not, as under Koa, Fastify and Nest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express4 from 'express';
import { LogErrorsToSpan } from 'jaeger-decorators';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { httpRequest, listen } from '../support/http-client';
import { closeTracer, delay, recordingTracer } from '../support/recording-tracer';

class NotFound extends Error {}
class AlreadyCancelled extends Error {}

class Orders {
  @LogErrorsToSpan()
  async find(id: string): Promise<{ id: string }> {
    await delay(1);
    if (id === 'missing') throw new NotFound(`order ${id} not found`);
    if (id === 'cancelled') throw new AlreadyCancelled(`order ${id} was cancelled already`);
    throw new Error('database is down');
  }
}

for (const { name, express } of [
  { name: 'Express 4', express: express4 },
  { name: 'Express 5', express: require('express-5') as typeof express4 },
]) {
  describe(`${name}: an error the app's own error handler answers`, () => {
    it('is recorded by the status the handler answers with: 404 a client_error, 200 expected, 500 a failure; one log each', async () => {
      const recording = recordingTracer();
      const orders = new Orders();
      const app = express();
      app.use(tracingMiddleware());
      app.get('/orders/:id', (req, res, next) => {
        orders.find(req.params.id).then((order) => res.json(order), next);
      });
      app.use(tracingErrorHandler());
      app.use((error: Error, _req: express4.Request, res: express4.Response, _next: express4.NextFunction) => {
        if (error instanceof NotFound) res.status(404).json({ message: error.message });
        else if (error instanceof AlreadyCancelled) res.json({ cancelled: true });
        else res.status(500).json({ message: 'internal' });
      });
      const server = await listen(app);
      try {
        for (const [id, status] of [
          ['missing', 404],
          ['cancelled', 200],
          ['broken', 500],
        ] as const) {
          assert.equal((await httpRequest(`${server.url}/orders/${id}`)).status, status);
        }
        for (let i = 0; i < 100 && recording.spans().length < 3; i += 1) await delay(5);
      } finally {
        await server.close();
        await closeTracer();
      }
      assert.deepEqual(
        recording.spans().map((span) => [span.tags['http.status_code'], span.tags.error, span.logs.map((log) => [log.event, log.message])]),
        [
          [404, undefined, [['client_error', 'order missing not found']]],
          [200, undefined, [['expected_error', 'order cancelled was cancelled already']]],
          [500, true, [['error', 'database is down']]],
        ],
      );
    });
  });
}
