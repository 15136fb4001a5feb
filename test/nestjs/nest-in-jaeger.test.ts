// Nest 12 (ESM only) on Express and on Fastify, with TracingModule.forRoot(): every request one server span in
// the real Jaeger, named after its handler, with the error Nest's filter handled, and Nest's own features
// (pipes, guards, @HttpCode, constructor injection, handler metadata) still working under the decorators.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { httpRequest, httpRequestToTheEnd, type HttpResult } from '../support/http-client';
import {
  describeWithJaeger,
  findTraces,
  keysSetTwice,
  logsOf,
  parentIdOf,
  randomHexId,
  requireJaeger,
  serverSpanOf,
  spanNamed,
  tagsOf,
  uniqueService,
  waitForTrace,
  type JaegerSpan,
  type JaegerTrace,
} from '../support/jaeger-api';

interface Exchange {
  response: HttpResult;
  trace: JaegerTrace;
  server: JaegerSpan;
}

const CALLER = { spanId: randomHexId(8) };

const REQUESTS = {
  // The caller's trace id is new for each app (see before()), its span the same.
  getOne: { path: '/users/1', headers: { 'uber-trace-id': `{traceId}:${CALLER.spanId}:0:1` } },
  notFound: { path: '/users/7' },
  fail: { path: '/users/1/fail?password=n3st-pa55-w0rd', headers: { authorization: 'Bearer n3st-t0ken' } },
  failLogged: { path: '/users/1/fail-logged' },
  missingLogged: { path: '/users/1/missing' },
  invalid: { path: '/users', method: 'POST', body: '{"name":"A","email":"nope","password":"hunter2-x9"}' },
  created: { path: '/users', method: 'POST', body: '{"name":"Alan","email":"alan@example.com","password":"correct-horse-battery"}' },
  malformed: { path: '/users', method: 'POST', body: '{"name": nope' },
  // Long enough that V8 quotes it cut, with `...` on either side of the quote.
  malformedLong: { path: '/users', method: 'POST', body: '{"name": "Ada", "email": "ada@example.com", "password": l0ng-s3cret-pw-value}' },
  domain: { path: '/users/1/domain' },
  domainLogged: { path: '/users/1/domain-logged' },
  softLogged: { path: '/users/1/soft-logged' },
  caughtByHandler: { path: '/users/1/charge' },
  outage: { path: '/users/1/outage' },
  refuse: { path: '/users/1/refuse?password=f1rst-pa55&password=s3cond-pa55', headers: { authorization: 'Bearer qu0ted-t0ken' } },
  refused: { path: '/users/1/admin' },
  downstream: { path: '/users/1/downstream' },
  withMetadata: { path: '/users/1/open' },
  member: { path: '/users/1/members', headers: { 'x-member-key': 'k' } },
  nonMember: { path: '/users/1/members' },
  // Streamed files whose source fails (see exportFailing below): read to the end, cut off or not.
  exportCutOff: { path: '/users/1/export', streamed: true },
  exportMissing: { path: '/users/1/export-missing', streamed: true },
  exportClosing: { path: '/users/1/export-closing', streamed: true },
  feed: { path: '/users/1/feed', streamed: true },
} as const;

type Case = keyof typeof REQUESTS;

for (const adapter of ['express', 'fastify'] as const) {
  describeWithJaeger(`Nest 12 on ${adapter}, TracingModule.forRoot(): server spans in the real Jaeger`, () => {
    const seen = {} as Record<Case, Exchange>;
    let service: string;

    before(async () => {
      service = uniqueService(`nest-${adapter}`);
      initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 200 } });
      // Nest 12 is ESM only: the app is an ES module (apps/nest-app.mts), imported as an ESM app would be.
      const { startNestApp } = await import('./apps/nest-app.mjs');
      const app = await startNestApp(adapter);
      const responses = {} as Record<Case, HttpResult>;
      try {
        for (const [name, request] of Object.entries(REQUESTS) as Array<[Case, (typeof REQUESTS)[Case]]>) {
          const body = 'body' in request ? request.body : undefined;
          const headers: Record<string, string> = {
            ...('headers' in request ? request.headers : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          };
          if (headers['uber-trace-id'] !== undefined) headers['uber-trace-id'] = headers['uber-trace-id'].replace('{traceId}', randomHexId(8));
          responses[name] =
            'streamed' in request
              ? await httpRequestToTheEnd(`${app.url}${request.path}`)
              : await httpRequest(`${app.url}${request.path}`, { method: 'method' in request ? request.method : 'GET', headers, body });
        }
      } finally {
        await app.close();
        await closeTracer();
      }
      for (const [name, response] of Object.entries(responses) as Array<[Case, HttpResult]>) {
        const traceId = String(response.headers['x-trace-id']);
        const trace = await waitForTrace(traceId, { spans: 1 });
        seen[name] = { response, trace, server: serverSpanOf(trace) };
      }
    });
    after(() => closeTracer());

    it("the app's middleware runs inside the request's span, and a request it answers itself has its span", () => {
      assert.equal(seen.member.response.status, 200);
      assert.equal(seen.member.response.headers['x-middleware-traced'], 'yes');
      assert.equal(seen.member.server.operationName, 'UsersController.members');
      const { response, server } = seen.nonMember;
      assert.equal(response.status, 401);
      assert.equal(response.headers['x-middleware-traced'], 'yes');
      assert.equal(tagsOf(server)['http.status_code'], 401);
    });

    it("the happy path: one span named after the handler, joined to the caller, over the handler's @Span and the injected service", async () => {
      const { response, trace, server } = seen.getOne;
      assert.equal(response.status, 200);
      // ParseIntPipe still converts the parameter under @Span and @SpanTag; the span is active in the handler.
      assert.deepEqual(response.json(), { id: 1, name: 'Ada', idType: 'number', active: true });
      assert.equal(server.operationName, 'UsersController.getOne');
      assert.equal(parentIdOf(server), CALLER.spanId);
      const tags = tagsOf(server);
      assert.equal(tags.component, 'nestjs');
      assert.deepEqual(keysSetTwice(server), []);
      assert.equal(tags['http.route'], '/users/:id');
      assert.equal(tags['http.method'], 'GET');
      assert.equal(tags['http.status_code'], 200);
      assert.equal(tags.error, undefined);
      const lookup = spanNamed(trace, 'UsersController.lookup');
      assert.equal(parentIdOf(lookup), server.spanID);
      assert.equal(tagsOf(lookup)['user.id'], 1);
      assert.equal(parentIdOf(spanNamed(trace, 'UsersService.find')), lookup.spanID);
      assert.ok(
        trace.spans.some((span) => span.duration % 1000 !== 0),
        'timed in µs, not whole milliseconds',
      );
    });

    it("a thrown Error: a 500 span with the error's own kind, message and stack, logged once; no secret in Jaeger", async () => {
      const { response, server } = seen.fail;
      assert.equal(response.status, 500);
      assert.equal(server.operationName, 'UsersController.fail');
      assert.equal(tagsOf(server).error, true);
      assert.equal(tagsOf(server)['http.status_code'], 500);
      const logs = logsOf(server);
      assert.deepEqual(
        logs.map((log) => [log.event, log['error.kind'], log.message]),
        [['error', 'Error', 'cannot load user 1']],
      );
      assert.match(String(logs[0].stack), /Error: cannot load user 1\n\s+at UsersController\.fail/);
      assert.match(String(logs[0]['request.headers']), /"authorization":"\[REDACTED\]"/);
      const stored = JSON.stringify(await findTraces(service));
      for (const secret of ['n3st-pa55-w0rd', 'n3st-t0ken', 'hunter2-x9']) assert.ok(!stored.includes(secret), `${secret} reached Jaeger`);
    });

    it('@LogErrorsToSpan on the handler and Nest both see the error: still one error log', () => {
      const { response, server } = seen.failLogged;
      assert.equal(response.status, 500);
      assert.equal(server.operationName, 'UsersController.failLogged');
      assert.deepEqual(
        logsOf(server).map((log) => [log.event, log.message]),
        [['error', 'cannot save user 1']],
      );
    });

    it('an HttpException 404, with or without @LogErrorsToSpan: one client_error, not error=true', () => {
      for (const [exchange, handler, message] of [
        [seen.notFound, 'UsersController.getOne', 'user 7 not found'],
        [seen.missingLogged, 'UsersController.missing', 'user 1 is gone'],
      ] as const) {
        assert.equal(exchange.response.status, 404);
        assert.equal(exchange.server.operationName, handler);
        assert.equal(tagsOf(exchange.server).error, undefined);
        assert.equal(tagsOf(exchange.server)['http.status_code'], 404);
        assert.deepEqual(logsOf(exchange.server), [{ event: 'client_error', 'error.kind': 'NotFoundException', message, 'http.status_code': 404 }]);
      }
    });

    it("a ValidationPipe 400: client_error with the validation messages, a secret field's value redacted", () => {
      const { response, server } = seen.invalid;
      assert.equal(response.status, 400);
      assert.equal(server.operationName, 'UsersController.create');
      assert.equal(tagsOf(server).error, undefined);
      const [log] = logsOf(server);
      assert.equal(log.event, 'client_error');
      assert.equal(log['error.kind'], 'BadRequestException');
      assert.equal(log['http.status_code'], 400);
      assert.deepEqual(JSON.parse(String(log['validation.errors'])), [
        'name must be longer than or equal to 2 characters',
        'email must be an email',
        'password [REDACTED] is too short',
      ]);
    });

    it('a valid body: @HttpCode(201) holds, the DTO is transformed, the handler is traced', () => {
      const { response, server } = seen.created;
      assert.equal(response.status, 201);
      assert.deepEqual(response.json(), { created: 'Alan', dtoClass: 'CreateUserDto' });
      assert.equal(server.operationName, 'UsersController.create');
      assert.equal(tagsOf(server)['http.status_code'], 201);
    });

    it('a malformed body: traced, named after the handler it was routed to, with the parse error as client_error', () => {
      const { response, server } = seen.malformed;
      assert.equal(response.status, 400);
      assert.equal(server.operationName, 'UsersController.create');
      assert.equal(tagsOf(server)['http.route'], '/users');
      assert.equal(tagsOf(server).error, undefined);
      const logs = logsOf(server);
      assert.equal(logs.length, 1);
      assert.equal(logs[0].event, 'client_error');
      assert.match(String(logs[0].message), /JSON/);
      assert.ok(!String(logs[0].message).includes('nope'), 'the body quoted by the parse error is redacted');
    });

    it("an app's own filter decides: a domain error it answers 404 is a client_error, a 400 it answers 503 one error log", () => {
      const { response: missing, server: missingSpan } = seen.domain;
      assert.equal(missing.status, 404);
      assert.equal(tagsOf(missingSpan).error, undefined);
      assert.deepEqual(logsOf(missingSpan), [
        { event: 'client_error', 'error.kind': 'UserMissing', message: 'user 1 is not in the directory', 'http.status_code': 404 },
      ]);
      const { response: outage, server: outageSpan } = seen.outage;
      assert.equal(outage.status, 503);
      assert.equal(tagsOf(outageSpan).error, true);
      assert.deepEqual(
        logsOf(outageSpan).map((log) => [log.event, log['error.kind'], log.message]),
        [['error', 'BadRequestException', 'the directory is read-only']],
      );
    });

    it('@LogErrorsToSpan on the handler changes nothing: the status the filter answers with decides (404 a client_error, 200 expected)', () => {
      const { response: missing, server: missingSpan } = seen.domainLogged;
      assert.equal(missing.status, 404);
      assert.equal(tagsOf(missingSpan).error, undefined);
      assert.deepEqual(logsOf(missingSpan), [
        { event: 'client_error', 'error.kind': 'UserMissing', message: 'user 1 is not in the directory', 'http.status_code': 404 },
      ]);
      const { response: soft, server: softSpan } = seen.softLogged;
      assert.equal(soft.status, 200);
      assert.equal(tagsOf(softSpan).error, undefined);
      assert.deepEqual(
        logsOf(softSpan).map((log) => [log.event, log['error.kind'], log.message]),
        [['expected_error', 'SoftFailure', 'the cache is cold']],
      );
      // An error @LogErrorsToSpan logged that the handler caught itself, which no filter saw: a failure, as anywhere.
      const { response: caught, server: caughtSpan } = seen.caughtByHandler;
      assert.equal(caught.status, 200);
      assert.deepEqual(caught.json(), { charged: false, queued: true });
      assert.equal(tagsOf(caughtSpan).error, true);
      assert.deepEqual(
        logsOf(caughtSpan).map((log) => [log.event, log['error.kind'], log.message, typeof log.stack]),
        [['error', 'Error', 'payment gateway timed out', 'string']],
      );
    });

    it('secret values an error quotes are redacted: every value of a repeated query parameter, the Authorization token, a long malformed body', async () => {
      assert.equal(seen.refuse.response.status, 401);
      assert.equal(logsOf(seen.refuse.server)[0].message, 'wrong password [REDACTED],[REDACTED] for [REDACTED]');
      assert.equal(seen.malformedLong.response.status, 400);
      const stored = JSON.stringify(await findTraces(service));
      for (const secret of ['f1rst-pa55', 's3cond-pa55', 'qu0ted-t0ken', 's3cret-pw']) assert.ok(!stored.includes(secret), `${secret} reached Jaeger`);
    });

    it("an Error carrying a downstream call's 404, which Nest answers with 500: one error log with its stack", () => {
      const { response, server } = seen.downstream;
      assert.equal(response.status, 500);
      assert.equal(server.operationName, 'UsersController.downstream');
      assert.equal(tagsOf(server).error, true);
      const logs = logsOf(server);
      assert.deepEqual(
        logs.map((log) => [log.event, log.message]),
        [['error', 'GET /profiles/1 answered 404']],
      );
      assert.match(String(logs[0].stack), /at UsersController\.downstream/);
    });

    it("a guard's refusal: a 403 named after the handler, ForbiddenException as client_error", () => {
      const { response, server } = seen.refused;
      assert.equal(response.status, 403);
      assert.equal(server.operationName, 'UsersController.admin');
      assert.equal(tagsOf(server).error, undefined);
      assert.deepEqual(logsOf(server), [{ event: 'client_error', 'error.kind': 'ForbiddenException', message: 'Forbidden resource', 'http.status_code': 403 }]);
    });

    it('a StreamableFile whose source fails after its first bytes: the error on the span, not just a client gone', () => {
      const { response, server } = seen.exportCutOff;
      assert.equal(response.status, 200);
      assert.equal((response as HttpResult & { complete: boolean }).complete, false, 'Nest cuts the response off');
      assert.equal(response.body, 'id,name\n1,Ada\n');
      assert.equal(server.operationName, 'UsersController.export');
      assert.equal(tagsOf(server).error, true);
      assert.deepEqual(
        logsOf(server).map((log) => [log.event, log['error.kind'], log.message]),
        [['error', 'Error', 'the export lost its database connection']],
      );
    });

    it('a StreamableFile sent whole whose source fails as it closes, after its end: a 200 without error, as the client saw it', () => {
      const { response, server } = seen.exportClosing;
      assert.equal(response.status, 200);
      assert.equal((response as HttpResult & { complete: boolean }).complete, true);
      assert.equal(response.body, 'id,name\n1,Ada\n');
      assert.equal(tagsOf(server).error, undefined);
      assert.equal(tagsOf(server)['http.status_code'], 200);
      assert.deepEqual(logsOf(server), []);
    });

    it('a StreamableFile of a missing file: the error Nest answers, on the span as it answers it', () => {
      const { response, server } = seen.exportMissing;
      assert.equal(server.operationName, 'UsersController.exportMissing');
      const logs = logsOf(server).map((log) => [log.event, log['error.kind'], log.message]);
      const message = "ENOENT: no such file or directory, open '/nonexistent/users-export.csv'";
      // Nest on Express answers 400; on Fastify the stream goes through Fastify, whose error handler answers 500.
      if (adapter === 'express') {
        assert.equal(response.status, 400);
        assert.deepEqual(logs, [['client_error', 'Error', message]]);
      } else {
        assert.equal(response.status, 500);
        assert.deepEqual(logs, [['error', 'Error', message]]);
      }
    });

    it("an @Sse() Observable that fails after its first event: the 200 Nest answers; under @Span, the error on the Observable's span", async () => {
      const { response, server } = seen.feed;
      assert.equal(response.status, 200);
      assert.match(response.body, /data: first\n\n[\s\S]*event: error\n/);
      assert.equal(server.operationName, 'UsersController.feed');
      assert.equal(tagsOf(server).error, undefined);
      const trace = await waitForTrace(String(response.headers['x-trace-id']), { spans: 2 });
      const feed = trace.spans.find((span) => span.spanID !== server.spanID && span.operationName === 'UsersController.feed');
      assert.ok(feed, 'the span of the Observable');
      assert.equal(parentIdOf(feed), server.spanID);
      assert.equal(tagsOf(feed).error, true);
      assert.deepEqual(
        logsOf(feed).map((log) => [log.event, log['error.kind'], log.message]),
        [['error', 'Error', 'the feed lost its source']],
      );
    });

    it('a guard reading SetMetadata from a handler under @Span still finds it', () => {
      const { response, trace, server } = seen.withMetadata;
      assert.equal(response.status, 200);
      assert.deepEqual(response.json(), { open: true });
      assert.equal(server.operationName, 'UsersController.open');
      const handlerSpans = trace.spans.filter((span) => span !== server);
      assert.deepEqual(
        handlerSpans.map((span) => [span.operationName, parentIdOf(span)]),
        [['UsersController.open', server.spanID]],
      );
    });
  });
}

it('Swagger still documents the decorated controller: routes, status codes, tags, response descriptions, the DTO', async () => {
  const { swaggerDocument } = await import('./apps/nest-app.mjs');
  const document = await swaggerDocument();
  const getOne = document.paths['/users/{id}'].get!;
  assert.equal(getOne.operationId, 'UsersController_getOne');
  assert.deepEqual(getOne.tags, ['users']);
  assert.equal((getOne.responses['200'] as { description: string }).description, 'the user');
  const create = document.paths['/users'].post!;
  assert.ok(create.responses['201'], '@HttpCode(201) under @Span is documented');
  assert.deepEqual((create.requestBody as { content: Record<string, { schema: unknown }> }).content['application/json'].schema, {
    $ref: '#/components/schemas/CreateUserDto',
  });
  assert.deepEqual(Object.keys((document.components!.schemas!.CreateUserDto as { properties: object }).properties), ['name', 'email', 'password']);
});

describeWithJaeger("Nest's testing module and an application context, with TracingModule imported", () => {
  it('Test.createTestingModule(...).createNestApplication() traces its requests; an application context starts', async () => {
    const service = uniqueService('nest-testing');
    initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 200 } });
    const { startTestingModuleApp, applicationContextStarts } = await import('./apps/nest-app.mjs');
    let response: HttpResult;
    let malformed: HttpResult;
    try {
      assert.equal(await applicationContextStarts(), true);
      const app = await startTestingModuleApp();
      try {
        response = await httpRequest(`${app.url}/users/1`);
        malformed = await httpRequest(`${app.url}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": nope' });
      } finally {
        await app.close();
      }
    } finally {
      await closeTracer();
    }
    assert.equal(response.status, 200);
    const server = serverSpanOf(await waitForTrace(String(response.headers['x-trace-id']), { spans: 3 }));
    assert.equal(server.operationName, 'UsersController.getOne');
    // Attached after Nest's body parser, yet in front of it: a malformed body is still traced.
    assert.equal(malformed.status, 400);
    const refused = serverSpanOf(await waitForTrace(String(malformed.headers['x-trace-id']), { spans: 1 }));
    assert.equal(refused.operationName, 'UsersController.create');
    assert.deepEqual(
      logsOf(refused).map((log) => log.event),
      ['client_error'],
    );
  });
});
