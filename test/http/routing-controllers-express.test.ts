import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, recordingTracer } from '../support/recording-tracer';
import { errorsPassedOn, routingControllersExpressApp } from './apps/routing-controllers-app';
import { shopExpressApp } from './apps/shop-app';
import { routingControllersRouting } from './routing-controllers-routing';
import { routingControllersSuite } from './routing-controllers-suite';

routingControllersSuite('Express', routingControllersExpressApp);
routingControllersRouting({ driver: 'Express', app: shopExpressApp, appForBodyErrors: shopExpressApp });

describe('routing-controllers + Express, @TracedController: the error chain', () => {
  let server: RunningServer;
  before(async () => {
    server = await listen(routingControllersExpressApp());
  });
  after(() => server.close());
  beforeEach(() => recordingTracer());
  afterEach(() => closeTracer());

  // Our error middleware and the route's marker stand among the action's after-action middlewares: each passes
  // the error on, so the app's own error middleware gets the error the action threw, its class and message.
  it("passes a failed action's error on to the app's error middleware", async () => {
    errorsPassedOn.length = 0;
    const response = await httpRequest(`${server.url}/users/1/fail`);
    assert.equal(response.status, 500);
    assert.equal(errorsPassedOn.length, 1);
    assert.ok(errorsPassedOn[0] instanceof Error);
    assert.equal(errorsPassedOn[0].message, 'cannot load user 1');
  });
});
