// Plain Fastify 5 with `app.register(fastifyTracing)`: one server span per request in the real Jaeger, active in
// every hook and the handler, body parsing included, with the error from onError and Fastify's own validation.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { closeTracer, getActiveSpan, initTracer, Span } from 'jaeger-decorators';
import { fastifyTracing } from 'jaeger-decorators/fastify';
import { httpRequest, type HttpResult } from '../support/http-client';
import {
  describeWithJaeger,
  findTraces,
  keysSetTwice,
  logsOf,
  parentIdOf,
  randomHexId,
  requireJaeger,
  serverSpanOf,
  tagsOf,
  uniqueService,
  waitForTrace,
  type JaegerSpan,
  type JaegerTrace,
} from '../support/jaeger-api';

class Accounts {
  @Span()
  async find(id: string): Promise<{ id: string }> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return { id };
  }
}

/** Which hooks saw the request's span active, per request path. */
const activeIn = new Map<string, string[]>();

function markActive(request: { url: string }, where: string): void {
  const active = getActiveSpan();
  if (active === undefined) return;
  const seen = activeIn.get(request.url) ?? [];
  seen.push((active.context() as unknown as { isSampled(): boolean }).isSampled() ? where : `${where} (unsampled)`);
  activeIn.set(request.url, seen);
}

async function fastifyApp(): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyTracing, { traceResponseHeader: 'x-trace-id', redactParams: ['pin'] });
  const accounts = new Accounts();
  // A callback hook that resumes from a timer, and an async one: the span must be active in both, and after them.
  app.addHook('preValidation', (request, _reply, done) => {
    markActive(request, 'preValidation');
    setTimeout(done, 1);
  });
  app.addHook('preHandler', async (request) => {
    markActive(request, 'preHandler');
  });
  app.get<{ Params: { id: string } }>('/accounts/:id', async (request) => {
    markActive(request, 'handler');
    return accounts.find(request.params.id);
  });
  app.get('/health', async (request) => {
    markActive(request, 'health');
    return { ok: true };
  });
  app.get('/accounts/:id/fail', async () => {
    throw new Error('ledger unavailable');
  });
  app.get('/accounts/:id/missing', async (request) => {
    throw Object.assign(new Error(`account ${(request.params as { id: string }).id} not found`), { statusCode: 404 });
  });
  app.post(
    '/accounts',
    {
      schema: {
        body: {
          type: 'object',
          required: ['email', 'pin'],
          properties: { email: { type: 'string', format: 'email' }, pin: { type: 'string', minLength: 6 } },
        },
      },
    },
    async (request) => {
      markActive(request, 'handler');
      return { created: (request.body as { email: string }).email };
    },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

interface Exchange {
  response: HttpResult;
  trace: JaegerTrace;
  server: JaegerSpan;
}

describeWithJaeger('plain Fastify 5, app.register(fastifyTracing): server spans in the real Jaeger', () => {
  const seen: Record<string, Exchange> = {};
  let health: HttpResult | undefined;
  const caller = { traceId: randomHexId(8), spanId: randomHexId(8) };
  let service: string;

  before(async () => {
    service = uniqueService('fastify');
    initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 200 } });
    const app = await fastifyApp();
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const json = { 'content-type': 'application/json' };
    const requests: Record<string, Parameters<typeof httpRequest>[1] & { path: string }> = {
      found: { path: '/accounts/17?pin=9876-54', headers: { 'uber-trace-id': `${caller.traceId}:${caller.spanId}:0:1` } },
      failed: { path: '/accounts/17/fail' },
      missing: { path: '/accounts/99/missing' },
      invalid: { path: '/accounts', method: 'POST', headers: json, body: '{"email":"not-an-email","pin":"123456"}' },
      malformed: { path: '/accounts', method: 'POST', headers: json, body: '{"email": nope' },
      health: { path: '/health' },
      created: { path: '/accounts?new=1', method: 'POST', headers: json, body: '{"email":"ada@example.com","pin":"246810"}' },
    };
    const responses: Record<string, HttpResult> = {};
    try {
      for (const [name, { path, ...options }] of Object.entries(requests)) responses[name] = await httpRequest(`${url}${path}`, options);
    } finally {
      await app.close();
      await closeTracer();
    }
    for (const [name, response] of Object.entries(responses)) {
      if (name === 'health') {
        health = response; // an ignored path: no trace to wait for
        continue;
      }
      const trace = await waitForTrace(String(response.headers['x-trace-id']), { spans: 1 });
      seen[name] = { response, trace, server: serverSpanOf(trace) };
    }
  });
  after(() => closeTracer());

  it('names the span after the route, joins the caller, tags http.route, and times it in µs', () => {
    const { response, trace, server } = seen.found;
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { id: '17' });
    assert.equal(server.operationName, 'GET /accounts/:id');
    assert.equal(parentIdOf(server), caller.spanId);
    const tags = tagsOf(server);
    assert.equal(tags.component, 'fastify');
    assert.deepEqual(keysSetTwice(server), []);
    assert.equal(tags['http.route'], '/accounts/:id');
    assert.equal(tags['http.status_code'], 200);
    assert.equal(tags['http.url'], '/accounts/17?pin=[REDACTED]');
    const [child] = trace.spans.filter((span) => span !== server);
    assert.equal(child.operationName, 'Accounts.find');
    assert.equal(parentIdOf(child), server.spanID);
    assert.ok(
      trace.spans.some((span) => span.duration % 1000 !== 0),
      'µs timing, not whole milliseconds',
    );
  });

  it('keeps the span active in every hook and the handler, after a hook that resumed from a timer', () => {
    assert.deepEqual(activeIn.get('/accounts/17?pin=9876-54'), ['preValidation', 'preHandler', 'handler']);
    assert.deepEqual(activeIn.get('/accounts?new=1'), ['preValidation', 'preHandler', 'handler']);
  });

  it('an ignored path (/health, a default) is not traced: no span, no trace header, its handler under an unsampled span', () => {
    assert.equal(health?.status, 200);
    assert.equal(health?.headers['x-trace-id'], undefined);
    assert.deepEqual(activeIn.get('/health'), ['preValidation (unsampled)', 'preHandler (unsampled)', 'health (unsampled)']);
  });

  it("a handler's Error: error=true, one log with its message and stack, from onError", () => {
    const { response, server } = seen.failed;
    assert.equal(response.status, 500);
    assert.equal(server.operationName, 'GET /accounts/:id/fail');
    assert.equal(tagsOf(server).error, true);
    const logs = logsOf(server);
    assert.deepEqual(
      logs.map((log) => [log.event, log['error.kind'], log.message]),
      [['error', 'Error', 'ledger unavailable']],
    );
    assert.match(String(logs[0].stack), /Error: ledger unavailable\n/);
  });

  it('a 404 error: client_error, not error=true', () => {
    const { response, server } = seen.missing;
    assert.equal(response.status, 404);
    assert.equal(tagsOf(server).error, undefined);
    assert.deepEqual(logsOf(server), [{ event: 'client_error', 'error.kind': 'Error', message: 'account 99 not found', 'http.status_code': 404 }]);
  });

  it("Fastify's schema validation: a 400 with each failed property and its constraint; a malformed body too", () => {
    const invalid = seen.invalid;
    assert.equal(invalid.response.status, 400);
    assert.equal(invalid.server.operationName, 'POST /accounts');
    const [log] = logsOf(invalid.server);
    assert.equal(log.event, 'client_error');
    assert.equal(log['http.status_code'], 400);
    assert.deepEqual(JSON.parse(String(log['validation.errors'])), [{ property: 'email', constraints: { format: 'must match format "email"' } }]);
    const malformed = seen.malformed;
    assert.equal(malformed.response.status, 400);
    assert.equal(malformed.server.operationName, 'POST /accounts');
    assert.deepEqual(
      logsOf(malformed.server).map((log) => [log.event, log['http.status_code']]),
      [['client_error', 400]],
    );
  });

  it('no secret reaches Jaeger', async () => {
    assert.equal(seen.created.response.status, 200);
    const stored = JSON.stringify(await findTraces(service, { minSpans: 7 }));
    for (const secret of ['9876-54', '246810']) assert.ok(!stored.includes(secret), `${secret} reached Jaeger`);
  });

  it('refuses a wrong option at registration, naming it', async () => {
    const app = Fastify();
    await assert.rejects(async () => {
      await app.register(fastifyTracing, { recordBodies: true } as never);
      await app.ready();
    }, /recordBodies/);
    await app.close();
  });
});
