import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { httpRequest, listen, type HttpResult, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordedSpan, type RecordingTracer } from '../support/recording-tracer';

/** The shop app on one routing-controllers driver; `withMiddleware` adds the framework's request middleware. */
export interface ShopVariant {
  driver: 'Express' | 'Koa';
  app: () => http.RequestListener;
  /** The app a body that fails to parse can be traced in (Koa: with koaTracingMiddleware on the app). */
  appForBodyErrors: () => http.RequestListener;
}

function serverSpans(recording: RecordingTracer): RecordedSpan[] {
  return recording.spans().filter((span) => span.tags['span.kind'] === 'server');
}

/** The one server span of the request just made, once it has finished. */
async function onlyServerSpan(recording: RecordingTracer): Promise<RecordedSpan> {
  for (let i = 0; i < 100 && serverSpans(recording).length === 0; i += 1) await delay(5);
  await delay(5);
  const spans = serverSpans(recording);
  assert.equal(spans.length, 1, JSON.stringify(spans.map((span) => span.name)));
  return spans[0];
}

function onlyLog(span: RecordedSpan, event: string): Record<string, unknown> {
  const logs = span.logs.filter((log) => log.event === event);
  assert.equal(logs.length, 1, JSON.stringify(span.logs));
  return logs[0];
}

const json = { 'content-type': 'application/json' };

/** Which action a request was routed to, and what is recorded when routing-controllers turns it away before the action runs. */
export function routingControllersRouting(variant: ShopVariant): void {
  describe(`routing-controllers + ${variant.driver}, @TracedController: routing and requests rejected before the action`, () => {
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

    async function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpResult> {
      return httpRequest(`${server.url}${path}`, init);
    }

    it('tags http.route with the route that answered when a later route matches the path too', async () => {
      const response = await request('/items/latest');
      assert.deepEqual(response.json(), { latest: true });
      const span = await onlyServerSpan(recording);
      assert.equal(span.name, 'ItemController.latest');
      assert.equal(span.tags['http.route'], '/items/latest');
    });

    it('names a request that fails class-validator after the handler it was routed to', async () => {
      const response = await request('/items', { method: 'POST', headers: json, body: JSON.stringify({ sku: 'A-1', quantity: 0 }) });
      assert.equal(response.status, 400);
      const span = await onlyServerSpan(recording);
      assert.equal(span.name, 'ItemController.create');
      assert.equal(span.tags['http.status_code'], 400);
      assert.equal(span.tags.error, undefined);
    });

    it('logs a class-validator rejection with its kind, message and constraints', async () => {
      await request('/items', { method: 'POST', headers: json, body: JSON.stringify({ sku: '', quantity: 0 }) });
      const log = onlyLog(await onlyServerSpan(recording), 'client_error');
      assert.equal(log['error.kind'], 'BadRequestError');
      assert.equal(log.message, "Invalid body, check 'errors' property for more info.");
      assert.equal(log['http.status_code'], 400);
      assert.deepEqual(JSON.parse(String(log['validation.errors'])), [
        { property: 'sku', constraints: { minLength: 'sku must be longer than or equal to 1 characters' } },
        { property: 'quantity', constraints: { min: 'quantity must not be less than 1' } },
      ]);
    });

    it('keeps secret values out of a validation log, even in messages that repeat them', async () => {
      await request('/items', { method: 'POST', headers: json, body: JSON.stringify({ sku: 'A-1', quantity: 2, password: 'hunter2-s3cret' }) });
      const span = await onlyServerSpan(recording);
      const log = onlyLog(span, 'client_error');
      assert.deepEqual(JSON.parse(String(log['validation.errors'])), [
        { property: 'password', constraints: { minLength: 'password [REDACTED] is too short' } },
      ]);
      assert.ok(!JSON.stringify(span).includes('hunter2-s3cret'));
    });

    it('caps each constraint message of a validation log', async () => {
      await request('/items', { method: 'POST', headers: json, body: JSON.stringify({ sku: 'x'.repeat(2000), quantity: 2 }) });
      const log = onlyLog(await onlyServerSpan(recording), 'client_error');
      const [entry] = JSON.parse(String(log['validation.errors'])) as Array<{ constraints: Record<string, string> }>;
      assert.match(entry.constraints.maxLength, /^sku x{252}… \[1777 more characters\]$/);
    });

    it('names a request whose JSON body does not parse after its handler, and logs the parse error', async () => {
      const bodyServer = await listen(variant.appForBodyErrors());
      try {
        const response = await httpRequest(`${bodyServer.url}/items`, { method: 'POST', headers: json, body: '{"sku": "A-1",' });
        assert.equal(response.status, 400);
      } finally {
        await delay(10);
        await bodyServer.close();
      }
      const span = await onlyServerSpan(recording);
      assert.equal(span.name, 'ItemController.create');
      assert.equal(span.tags['http.route'], variant.driver === 'Koa' ? '/items' : '/items/');
      const log = onlyLog(span, 'client_error');
      assert.equal(log['error.kind'], 'SyntaxError');
      assert.match(String(log.message), /JSON/);
    });

    it("keeps the body's text out of the log of a JSON body that does not parse", async () => {
      const bodyServer = await listen(variant.appForBodyErrors());
      try {
        await httpRequest(`${bodyServer.url}/items`, { method: 'POST', headers: json, body: '{"pin": nope-k3y9}' });
      } finally {
        await delay(10);
        await bodyServer.close();
      }
      const span = await onlyServerSpan(recording);
      assert.match(String(onlyLog(span, 'client_error').message), /\[REDACTED\] is not valid JSON/);
      assert.ok(!JSON.stringify(span).includes('k3y9'));
    });

    it('names a request whose route parameter does not convert after its handler, and logs the conversion error', async () => {
      const response = await request('/items/abc');
      assert.equal(response.status, 400);
      const span = await onlyServerSpan(recording);
      assert.equal(span.name, 'ItemController.getOne');
      assert.equal(span.tags['http.route'], '/items/:id');
      const log = onlyLog(span, 'client_error');
      assert.equal(log['error.kind'], 'ParamNormalizationError');
      assert.equal(log.message, 'Given parameter id is invalid. Value ("abc") cannot be parsed into number.');
    });

    it("names a request a controller's @UseBefore middleware forbids after its handler, and logs the refusal", async () => {
      const response = await request('/admin/stats');
      assert.equal(response.status, 403);
      const span = await onlyServerSpan(recording);
      assert.equal(span.name, 'AdminController.stats');
      assert.equal(span.tags['http.route'], '/admin/stats');
      const log = onlyLog(span, 'client_error');
      assert.equal(log.message, 'admins only');
      assert.equal(log['http.status_code'], 403);
      assert.equal(log['error.kind'], 'ForbiddenError');
    });

    it('with errorOn4xx, marks a rejected request error=true with the rejection as its one error log', async () => {
      await request('/strict-items', { method: 'POST', headers: json, body: JSON.stringify({ sku: 'A-1', quantity: 0 }) });
      const span = await onlyServerSpan(recording);
      assert.equal(span.name, 'StrictItemController.create');
      assert.equal(span.tags.error, true);
      const log = onlyLog(span, 'error');
      assert.equal(log['error.kind'], 'BadRequestError');
      assert.deepEqual(JSON.parse(String(log['validation.errors'])), [{ property: 'quantity', constraints: { min: 'quantity must not be less than 1' } }]);
      assert.equal(typeof log['request.headers'], 'string');
    });
  });
}
