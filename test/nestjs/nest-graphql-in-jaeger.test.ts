// A Nest 12 GraphQL API (Mercurius on Fastify) with TracingModule.forRoot(), read back from the real Jaeger: each
// operation one server span named after its resolver, and a resolver's error on it, though GraphQL answers 200.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import {
  describeWithJaeger,
  logsOf,
  parentIdOf,
  randomHexId,
  requireJaeger,
  serverSpanOf,
  spanNamed,
  tagsOf,
  uniqueService,
  waitForTrace,
} from '../support/jaeger-api';
import type { JaegerSpan, JaegerTrace } from '../support/jaeger-api';

const CALLER = { traceId: randomHexId(8), spanId: randomHexId(8) };

const OPERATIONS = {
  user: '{ user(id: 1) { id name } }',
  missing: '{ user(id: 9) { id } }',
  failing: '{ directory }',
  logged: '{ audit }',
  rename: 'mutation { rename(name: "Grace") { id name } }',
  avatar: '{ user(id: 1) { id avatar } }',
} as const;

type Operation = keyof typeof OPERATIONS;

interface Exchange {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string }> };
  trace: JaegerTrace;
  server: JaegerSpan;
}

describeWithJaeger('Nest 12 GraphQL (Mercurius), TracingModule.forRoot(): operations in the real Jaeger', () => {
  const seen = {} as Record<Operation, Exchange>;

  before(async () => {
    initTracer(uniqueService('nest-graphql'), {
      sampler: { type: 'const', param: 1 },
      reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 200 },
    });
    const { startGraphqlApp } = await import('./apps/nest-graphql-app.mjs');
    const app = await startGraphqlApp();
    const answers: Array<[Operation, Response, Exchange['body']]> = [];
    try {
      for (const [name, query] of Object.entries(OPERATIONS) as Array<[Operation, string]>) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (name === 'user') headers['uber-trace-id'] = `${CALLER.traceId}:${CALLER.spanId}:0:1`;
        const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
        answers.push([name, response, (await response.json()) as Exchange['body']]);
      }
    } finally {
      await app.close();
      await closeTracer();
    }
    for (const [name, response, body] of answers) {
      const trace = await waitForTrace(String(response.headers.get('x-trace-id')), { spans: 1 });
      seen[name] = { status: response.status, body, trace, server: serverSpanOf(trace) };
    }
  });
  after(() => closeTracer());

  it("a query: one span named after its resolver, joined to the caller, over the resolver's @Span and the service's", () => {
    const { status, body, trace, server } = seen.user;
    assert.equal(status, 200);
    assert.deepEqual(body, { data: { user: { id: 1, name: 'Ada' } } });
    assert.equal(server.operationName, 'UsersResolver.user');
    assert.equal(parentIdOf(server), CALLER.spanId);
    const tags = tagsOf(server);
    assert.equal(tags.component, 'nestjs');
    assert.equal(tags['http.route'], '/graphql');
    assert.equal(tags.error, undefined);
    // @Span on the resolver: its own span, named as the request's is, below it.
    const resolver = trace.spans.find((span) => span !== server && span.operationName === 'UsersResolver.user');
    assert.ok(resolver, 'the resolver has a span of its own');
    assert.equal(parentIdOf(resolver), server.spanID);
    assert.equal(parentIdOf(spanNamed(trace, 'UsersService.find')), resolver.spanID);
    assert.equal(seen.rename.server.operationName, 'UsersResolver.rename');
  });

  it("a resolver's HttpException 4xx, answered in the 200's errors: a client_error on the request's span", () => {
    const { status, body, server } = seen.missing;
    assert.equal(status, 200);
    assert.equal(body.errors?.[0]?.message, 'user 9 not found');
    assert.equal(tagsOf(server).error, undefined);
    assert.deepEqual(
      logsOf(server).map((log) => [log.event, log['error.kind'], log.message]),
      [['client_error', 'NotFoundException', 'user 9 not found']],
    );
  });

  it("a resolver's failure, answered in the 200's errors: error=true and the error logged once on the request's span", () => {
    for (const [name, message] of [
      ['failing', 'the directory is down'],
      ['logged', 'the audit log is full'],
      // A field resolver's, logged by @LogErrorsToSpan (Nest's exception handling does not see it by default).
      ['avatar', 'the avatar store is down for user 1'],
    ] as const) {
      const { status, body, server } = seen[name];
      assert.equal(status, 200);
      assert.equal(body.errors?.[0]?.message, message);
      assert.equal(tagsOf(server).error, true, name);
      assert.equal(tagsOf(server)['http.status_code'], 200);
      assert.deepEqual(
        logsOf(server).map((log) => [log.event, log['error.kind'], log.message]),
        [['error', 'Error', message]],
        name,
      );
      assert.match(String(logsOf(server)[0].stack), /at /);
    }
  });
});
