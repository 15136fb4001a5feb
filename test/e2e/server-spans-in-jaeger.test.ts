import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, it } from 'node:test';
import { closeTracer, getActiveSpan, initTracer, traceHeaders } from 'jaeger-decorators';
import { plainExpressApp, plainKoaApp, plainUsers } from '../http/apps/plain-apps';
import { routingControllersExpressApp, routingControllersKoaApp, users } from '../http/apps/routing-controllers-app';
import { UserService } from '../http/apps/user-service';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import {
  describeWithJaeger,
  findTraces,
  logsOf,
  parentIdOf,
  randomHexId,
  requireJaeger,
  sameId,
  serviceOf,
  spanNamed,
  tagsOf,
  uniqueService,
  waitForTrace,
} from '../support/jaeger-api';

const VARIANTS = [
  {
    title: 'routing-controllers + Express',
    component: 'routing-controllers',
    app: routingControllersExpressApp,
    holder: users,
    getOne: 'UserController.getOne',
    fail: 'UserController.fail',
  },
  {
    title: 'routing-controllers + Koa',
    component: 'routing-controllers',
    app: routingControllersKoaApp,
    holder: users,
    getOne: 'UserController.getOne',
    fail: 'UserController.fail',
  },
  { title: 'plain Express', component: 'express', app: plainExpressApp, holder: plainUsers, getOne: 'GET /users/:id', fail: 'GET /users/:id/fail' },
  { title: 'plain Koa', component: 'koa', app: plainKoaApp, holder: plainUsers, getOne: 'GET /users/:id', fail: 'GET /users/:id/fail' },
];

for (const variant of VARIANTS) {
  describeWithJaeger(`${variant.title}: server spans in the real Jaeger`, () => {
    let server: RunningServer;
    let service: string;
    before(async () => {
      server = await listen(variant.app());
    });
    after(() => server.close());
    afterEach(async () => {
      variant.holder.service = new UserService();
      await closeTracer();
    });

    function startTracer(name: string): void {
      service = uniqueService(name);
      initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 200 } });
    }

    it("joins the caller's trace: the server span and its service spans arrive as one tree, tagged", async () => {
      startTracer('e2e-join');
      const traceId = randomHexId(8);
      const callerSpan = randomHexId(8);
      const response = await httpRequest(`${server.url}/users/21?page=1`, {
        headers: { 'uber-trace-id': `${traceId}:${callerSpan}:0:1`, 'x-request-id': 'rq-1' },
      });
      assert.equal(response.status, 200);
      await closeTracer();
      const trace = await waitForTrace(traceId, { spans: 3 });
      assert.equal(trace.spans.length, 3);
      const serverSpan = spanNamed(trace, variant.getOne);
      assert.equal(parentIdOf(serverSpan), callerSpan);
      assert.equal(serviceOf(trace, serverSpan), service);
      assert.equal(parentIdOf(spanNamed(trace, 'UserService.find')), serverSpan.spanID);
      assert.equal(parentIdOf(spanNamed(trace, 'users.profile')), spanNamed(trace, 'UserService.find').spanID);
      const tags = tagsOf(serverSpan);
      assert.equal(tags.component, variant.component);
      assert.equal(tags['span.kind'], 'server');
      assert.equal(tags['http.method'], 'GET');
      assert.equal(tags['http.url'], '/users/21?page=1');
      assert.equal(tags['http.route'], '/users/:id');
      assert.equal(tags['http.status_code'], 200);
      assert.ok(sameId(String(tags.trace_id), traceId));
      assert.equal(tags.request_id, 'rq-1');
    });

    it('without a parent header, starts a root span of a new trace', async () => {
      startTracer('e2e-root');
      const response = await httpRequest(`${server.url}/users/22`);
      await closeTracer();
      const trace = await waitForTrace(String(response.headers['x-trace-id']), { spans: 3 });
      const root = spanNamed(trace, variant.getOne);
      assert.equal(parentIdOf(root), undefined);
      // The sampler's decision, asked once by our start of the span, is tagged as jaeger-client tags it.
      assert.equal(tagsOf(root)['sampler.type'], 'const');
      assert.equal(tagsOf(root)['sampler.param'], true);
    });

    it('records in full a request of an unsampled trace made sampled during the request, with the ids it had passed on', async () => {
      service = uniqueService('e2e-promoted');
      initTracer(service, { sampler: { type: 'const', param: 0 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 200 } });
      let passedOn: string | undefined;
      variant.holder.service = new (class extends UserService {
        override find(id: number) {
          // What went downstream while the trace was not sampled, then a user's way to keep it: sampling.priority.
          passedOn = traceHeaders(getActiveSpan()!)['uber-trace-id'];
          getActiveSpan()!.setTag('sampling.priority', 1);
          return super.find(id);
        }
      })();
      const traceId = randomHexId(8);
      const callerSpan = randomHexId(8);
      const response = await httpRequest(`${server.url}/users/25`, { headers: { 'uber-trace-id': `${traceId}:${callerSpan}:0:0` } });
      assert.equal(response.status, 200);
      await closeTracer();
      const trace = await waitForTrace(traceId, { spans: 3 });
      const serverSpan = spanNamed(trace, variant.getOne);
      assert.equal(parentIdOf(serverSpan), callerSpan);
      assert.ok(passedOn !== undefined && sameId(passedOn.split(':')[1], serverSpan.spanID), `${passedOn} names the server span ${serverSpan.spanID}`);
      assert.equal(parentIdOf(spanNamed(trace, 'UserService.find')), serverSpan.spanID);
      const tags = tagsOf(serverSpan);
      assert.equal(tags['http.status_code'], 200);
      assert.equal(tags['http.route'], '/users/:id');
      assert.equal(tags['span.kind'], 'server');
      assert.equal(tags['sampling.priority'], 1);
    });

    it('records a request sent with only jaeger-debug-id, though the sampler samples nothing, tagged with that id', async () => {
      service = uniqueService('e2e-debug');
      initTracer(service, { sampler: { type: 'const', param: 0 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 200 } });
      const debugId = `curl-${randomHexId(4)}`;
      const response = await httpRequest(`${server.url}/users/23`, { headers: { 'jaeger-debug-id': debugId } });
      assert.equal(response.status, 200);
      await httpRequest(`${server.url}/users/24`); // not sampled: never reaches Jaeger
      await closeTracer();
      const [trace, ...others] = await findTraces(service, { minSpans: 3 });
      assert.equal(others.length, 0);
      const serverSpan = spanNamed(trace, variant.getOne);
      assert.equal(tagsOf(serverSpan)['jaeger-debug-id'], debugId);
      assert.equal(parentIdOf(serverSpan), undefined);
      assert.equal(trace.spans.length, 3, 'the spans below it are recorded too');
    });

    it('records a failing handler as error=true with the seed error log, and no secret anywhere in Jaeger', async () => {
      startTracer('e2e-error');
      const response = await httpRequest(`${server.url}/users/23/fail?password=pa55-w0rd-x&page=3`, {
        headers: { authorization: 'Bearer e2e-t0ken-value', cookie: 'sid=e2e-c00kie-value', 'proxy-authorization': 'Basic e2e-pr0xy-value' },
      });
      assert.equal(response.status, 500);
      await closeTracer();
      const trace = await waitForTrace(String(response.headers['x-trace-id']), { spans: 1 });
      const serverSpan = spanNamed(trace, variant.fail);
      assert.equal(tagsOf(serverSpan).error, true);
      assert.equal(tagsOf(serverSpan)['http.status_code'], 500);
      const errors = logsOf(serverSpan).filter((log) => log.event === 'error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0]['error.kind'], 'Error');
      assert.equal(errors[0].message, 'cannot load user 23');
      assert.match(String(errors[0].stack), /cannot load user 23/);
      assert.match(String(errors[0]['request.headers']), /"authorization":"\[REDACTED\]"/);
      assert.match(String(errors[0]['request.args']), /"page":"3"/);
      const stored = JSON.stringify(await findTraces(service));
      for (const secret of ['pa55-w0rd-x', 'e2e-t0ken-value', 'e2e-c00kie-value', 'e2e-pr0xy-value']) {
        assert.ok(!stored.includes(secret), `${secret} reached Jaeger`);
      }
    });

    it('1,000 concurrent requests with nested @Span calls and random delays: every trace holds exactly its own spans', async () => {
      startTracer('e2e-concurrent');
      variant.holder.service = new UserService(20);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
      const callers = Array.from({ length: 1000 }, (_, i) => ({ id: i, traceId: randomHexId(8), spanId: randomHexId(8) }));
      try {
        const bodies = await Promise.all(
          callers.map((caller) =>
            httpRequest(`${server.url}/users/${caller.id}`, { agent, headers: { 'uber-trace-id': `${caller.traceId}:${caller.spanId}:0:1` } }),
          ),
        );
        assert.deepEqual(
          bodies.map((body) => body.json<{ id: number }>().id),
          callers.map((caller) => caller.id),
        );
      } finally {
        agent.destroy();
      }
      await closeTracer();
      const traces = await findTraces(service, { minSpans: 3000, timeoutMs: 30000 });
      const byTrace = new Map(traces.map((trace) => [trace.traceID.replace(/^0+/, ''), trace]));
      let wrongParents = 0;
      let wrongCounts = 0;
      for (const caller of callers) {
        const trace = byTrace.get(caller.traceId.replace(/^0+/, ''));
        if (trace === undefined || trace.spans.length !== 3) {
          wrongCounts += 1;
          continue;
        }
        const serverSpan = spanNamed(trace, variant.getOne);
        const find = spanNamed(trace, 'UserService.find');
        const profile = spanNamed(trace, 'users.profile');
        if (parentIdOf(serverSpan) !== caller.spanId || tagsOf(serverSpan)['http.url'] !== `/users/${caller.id}`) wrongParents += 1;
        if (parentIdOf(find) !== serverSpan.spanID || parentIdOf(profile) !== find.spanID) wrongParents += 1;
      }
      assert.deepEqual({ traces: traces.length, wrongCounts, wrongParents }, { traces: 1000, wrongCounts: 0, wrongParents: 0 });
    });

    it('200 requests with malformed trace headers: no failure, each a root of its own trace in Jaeger', async () => {
      startTracer('e2e-malformed');
      let failures = 0;
      for (let i = 0; i < 200; i += 1) {
        const junk = `z${randomBytes(1 + (i % 20)).toString(i % 2 === 0 ? 'base64' : 'hex')}`;
        const response = await httpRequest(`${server.url}/users/${i}`, { headers: { 'uber-trace-id': `${junk}:1:0:1`, trace_id: junk, 'uberctx-k': junk } });
        if (response.status !== 200) failures += 1;
      }
      await closeTracer();
      const traces = await findTraces(service, { minSpans: 600 });
      assert.equal(failures, 0);
      assert.equal(traces.length, 200);
      assert.equal(traces.filter((trace) => parentIdOf(spanNamed(trace, variant.getOne)) !== undefined).length, 0);
    });
  });
}
