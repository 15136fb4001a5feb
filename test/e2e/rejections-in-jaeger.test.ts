import assert from 'node:assert/strict';
import { after, afterEach, before, it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { shopExpressApp, shopKoaApp } from '../http/apps/shop-app';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { describeWithJaeger, findTraces, logsOf, requireJaeger, spanNamed, tagsOf, uniqueService, waitForTrace } from '../support/jaeger-api';

const VARIANTS = [
  { driver: 'Express', app: shopExpressApp, route: '/items/' },
  { driver: 'Koa', app: () => shopKoaApp(), route: '/items' },
];

for (const variant of VARIANTS) {
  describeWithJaeger(`routing-controllers + ${variant.driver}: a request turned away before the action, in the real Jaeger`, () => {
    let server: RunningServer;
    let service: string;
    before(async () => {
      server = await listen(variant.app());
    });
    after(() => server.close());
    afterEach(() => closeTracer());

    it('arrives named after its handler, with the validation constraints logged and no secret value stored', async () => {
      service = uniqueService('e2e-rejected');
      initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 200 } });
      const response = await httpRequest(`${server.url}/items?token=e2e-t0ken-value`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'A-1', quantity: 0, password: 'e2e-pa55-value' }),
      });
      assert.equal(response.status, 400);
      await closeTracer();
      const trace = await waitForTrace(String(response.headers['x-trace-id']), { spans: 1 });
      const span = spanNamed(trace, 'ItemController.create');
      assert.equal(tagsOf(span)['http.route'], variant.route);
      assert.equal(tagsOf(span)['http.status_code'], 400);
      const [log] = logsOf(span).filter((fields) => fields.event === 'client_error');
      assert.equal(log['error.kind'], 'BadRequestError');
      assert.deepEqual(JSON.parse(String(log['validation.errors'])), [
        { property: 'quantity', constraints: { min: 'quantity must not be less than 1' } },
        { property: 'password', constraints: { minLength: 'password [REDACTED] is too short' } },
      ]);
      const stored = JSON.stringify(await findTraces(service));
      for (const secret of ['e2e-t0ken-value', 'e2e-pa55-value']) assert.ok(!stored.includes(secret), `${secret} reached Jaeger`);
    });
  });
}
