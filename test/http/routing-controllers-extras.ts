import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { JsonController } from 'routing-controllers';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';
import { countAnswered, countRequests, OrderController, UserController } from './apps/routing-controllers-app';
import type { ServerVariant } from './server-tracing-contract';

/** What only @TracedController owes: routing-controllers features keep working around it. */
export function routingControllersExtras(variant: ServerVariant): void {
  describe(`${variant.title}: routing-controllers features`, () => {
    let server: RunningServer;
    let recording: RecordingTracer;
    before(async () => {
      server = await listen(variant.app());
    });
    after(() => server.close());
    beforeEach(() => {
      recording = recordingTracer();
    });
    afterEach(() => closeTracer());

    it('keeps @UseBefore and @UseAfter middlewares, interceptors and parameter conversion working, decorators in the other order', async () => {
      const before = countRequests.calls;
      const answered = countAnswered.calls;
      const response = await httpRequest(`${server.url}/orders/12`);
      assert.deepEqual(response.json(), { intercepted: true, content: { order: 12, idType: 'number' } });
      assert.equal(countRequests.calls, before + 1);
      // Ours stand among the action's after-action middlewares too (the route's marker): the chain goes on through them.
      for (let i = 0; i < 50 && countAnswered.calls === answered; i += 1) await delay(5);
      assert.equal(countAnswered.calls, answered + 1);
      for (let i = 0; i < 50 && recording.spans().length === 0; i += 1) await delay(5);
      assert.equal(recording.span('OrderController.getOne').tags['http.route'], '/orders/:id');
    });

    it('modifies the controller class in place', () => {
      class Probe {}
      assert.equal(TracedController()(Probe), undefined);
      JsonController('/probe')(Probe);
      assert.equal(typeof UserController.prototype.getOne, 'function');
      assert.equal(UserController.prototype.getOne.name, 'getOne');
      assert.equal(OrderController.name, 'OrderController');
    });

    it('rejects unknown options, naming them', () => {
      assert.throws(() => TracedController({ ignore: ['/x'] } as never), /@TracedController\(\): unknown option 'ignore'/);
      assert.throws(() => TracedController({ operationName: 'path' as never }), /option operationName must be 'handler' or 'route', got "path"/);
    });
  });
}
