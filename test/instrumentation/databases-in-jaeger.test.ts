// installAllPatches() in a routing-controllers app in front of real PostgreSQL (pg, pg-pool, TypeORM, knex),
// MariaDB (mysql2, mysql, knex), Redis (ioredis, node-redis) and RabbitMQ (amqplib, consumed in another process), read back from the
// real Jaeger: one trace per request, each call a child of the span active at the call.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { installAllPatches, type InstalledPatches } from 'jaeger-decorators/patches';
import {
  fetchTrace,
  findTraces,
  jaeger,
  logsOf,
  parentIdOf,
  requireJaeger,
  serviceOf,
  spanNamed,
  tagsOf,
  uniqueService,
  waitForTraceWhere,
  type JaegerSpan,
  type JaegerTrace,
} from '../support/jaeger-api';
import { describeWithServers, servers } from './apps/server-urls';

const service = uniqueService('data-app');
const consumerService = uniqueService('order-consumer');
const ready = jaeger !== undefined && Object.values(servers).every((url) => url !== undefined);

// As the README says for CommonJS: the tracer and the patches first, the clients after.
let installed: InstalledPatches | undefined;
if (ready) {
  initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 100 } });
  installed = installAllPatches({ log: false });
}

type DataApp = typeof import('./apps/data-app');

function dbSystemOf(span: JaegerSpan): unknown {
  const tags = tagsOf(span);
  return tags['db.system'] ?? tags['db.system.name'];
}

function statementOf(span: JaegerSpan): string {
  const tags = tagsOf(span);
  return String(tags['db.statement'] ?? tags['db.query.text'] ?? '');
}

function childrenOf(trace: JaegerTrace, parent: JaegerSpan): JaegerSpan[] {
  return trace.spans.filter((span) => parentIdOf(span) === parent.spanID);
}

/** Everything Jaeger holds of a trace, as text: where a secret must not appear. */
function allText(trace: JaegerTrace): string {
  return JSON.stringify(trace.spans.map((span) => ({ name: span.operationName, tags: span.tags, logs: span.logs })));
}

async function request(url: string, init?: RequestInit): Promise<{ status: number; traceId: string; body: unknown }> {
  const response = await fetch(url, init);
  const body: unknown = await response.json().catch(() => undefined);
  return { status: response.status, traceId: response.headers.get('x-trace-id') ?? '', body };
}

function postJson(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

describeWithServers('databases, caches and queues in the request trace (installAllPatches, real servers, real Jaeger)', () => {
  let app: Awaited<ReturnType<DataApp['startDataApp']>>;
  let consumer: ChildProcess;
  let consumerExit: Promise<number | null>;

  before(async () => {
    const { startDataApp, ORDERS_QUEUE } = require('./apps/data-app') as DataApp;
    app = await startDataApp();
    consumer = spawn(process.execPath, [path.join(__dirname, 'apps', 'order-consumer.js')], {
      env: { ...process.env, SERVICE_NAME: consumerService, ORDERS_QUEUE, ORDERS_EXPECTED: '1', E2E_JAEGER_COLLECTOR_URL: requireJaeger().collectorUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    consumerExit = new Promise((resolve) => consumer.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      consumer.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      consumer.once('exit', (code) => reject(new Error(`the consumer exited early (${code})`)));
    });
  });

  after(async () => {
    consumer?.kill();
    await app?.stop();
    await closeTracer();
  });

  it('enables every installed instrumentation and says which', () => {
    const names = installed!.enabled.map((entry) => entry.split(' ')[0]);
    assert.deepEqual(names, ['http', 'the', 'pg', 'mysql2', 'mysql', 'ioredis', 'redis', 'amqplib', 'typeorm', 'knex']);
    assert.deepEqual(installed!.skipped, []);
  });

  it('PostgreSQL and ioredis: each query and command is a child of the @Span method that made it, in the request trace', async () => {
    const { status, traceId, body } = await request(`${app.url}/users/1`);
    assert.equal(status, 200);
    assert.deepEqual(body, { user: { id: 1, name: 'Ada', email: 'ada.secret@example.com' } });
    const trace = await waitForTraceWhere(
      traceId,
      (t) => t.spans.filter((span) => dbSystemOf(span) === 'redis').length >= 2 && t.spans.some((span) => dbSystemOf(span) === 'postgresql'),
    );
    const server = spanNamed(trace, 'DataController.user');
    const repository = spanNamed(trace, 'UserRepository.findById');
    const cache = spanNamed(trace, 'UserCache.remember');
    assert.equal(parentIdOf(repository), server.spanID);
    assert.equal(parentIdOf(cache), server.spanID);

    const queries = childrenOf(trace, repository);
    const select = queries.find((span) => statementOf(span).startsWith('SELECT'));
    assert.ok(select, `a SELECT under UserRepository.findById, found ${queries.map((span) => span.operationName).join(', ')}`);
    assert.equal(dbSystemOf(select), 'postgresql');
    assert.equal(statementOf(select), 'SELECT id, name, email FROM users WHERE id = $1');
    assert.equal(tagsOf(select)['span.kind'], 'client');
    assert.equal(serviceOf(trace, select), service);

    const commands = childrenOf(trace, cache).filter((span) => dbSystemOf(span) === 'redis');
    assert.deepEqual(commands.map((span) => statementOf(span).split(' ')[0]).sort(), ['get', 'set']);
    // The cached value (the user's record, with the e-mail address) is nowhere in the trace.
    assert.doesNotMatch(allText(trace), /ada\.secret/);
    // One trace for the whole request: every span has this trace's id.
    assert.ok(trace.spans.every((span) => span.traceID === trace.traceID));
  });

  it('a failing query: error=true and the error logged on its span, and the app gets the client error unchanged', async () => {
    const { status, traceId, body } = await request(`${app.url}/broken`);
    assert.equal(status, 200);
    assert.deepEqual(body, { caught: 'DatabaseError', message: 'relation "no_such_table" does not exist', code: '42P01' });
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.some((span) => dbSystemOf(span) === 'postgresql' && tagsOf(span).error === true));
    const repository = spanNamed(trace, 'UserRepository.broken');
    const failed = childrenOf(trace, repository).find((span) => statementOf(span).startsWith('SELECT'))!;
    assert.equal(tagsOf(failed).error, true);
    assert.equal(statementOf(failed), 'SELECT * FROM no_such_table WHERE id = $1');
    const messages = [...logsOf(failed).map((log) => log.message), tagsOf(failed)['otel.status_description']];
    assert.ok(messages.includes('relation "no_such_table" does not exist'), JSON.stringify(messages));
  });

  it('MySQL (mysql2): the statement is recorded with its placeholder, the bound e-mail address is not', async () => {
    const { status, traceId } = await request(`${app.url}/accounts/${encodeURIComponent('carol.secret@example.com')}`);
    assert.equal(status, 200);
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.some((span) => dbSystemOf(span) === 'mysql'));
    const repository = spanNamed(trace, 'AccountRepository.findByEmail');
    const query = childrenOf(trace, repository).find((span) => dbSystemOf(span) === 'mysql');
    assert.ok(query, 'a mysql span under AccountRepository.findByEmail');
    assert.equal(statementOf(query), 'SELECT email, plan FROM accounts WHERE email = ?');
    // The address is in the request's own route, so look at the database span alone.
    assert.doesNotMatch(JSON.stringify({ tags: query.tags, logs: query.logs }), /carol\.secret/);
  });

  it("MySQL (mysql2): a refused statement is error=true with the client's message logged on its span", async () => {
    const { status, traceId, body } = await request(`${app.url}/accounts`, postJson({ email: 'taken@example.com' }));
    assert.equal(status, 200);
    const { message, code } = body as { message: string; code: string };
    assert.equal(code, 'ER_DUP_ENTRY');
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.some((span) => dbSystemOf(span) === 'mysql' && tagsOf(span).error === true));
    const failed = childrenOf(trace, spanNamed(trace, 'AccountRepository.add')).find((span) => dbSystemOf(span) === 'mysql')!;
    assert.equal(statementOf(failed), 'INSERT INTO accounts VALUES (?, ?)');
    assert.equal(tagsOf(failed).error, true);
    // instrumentation-mysql2 sets the span's status with the message and records no exception: the bridge logs it.
    assert.deepEqual(
      logsOf(failed).map((log) => [log.event, log.message]),
      [['error', message]],
    );
  });

  it("knex over PostgreSQL: the query as knex built it under the @Span method, pg's below it, no bound value in either", async () => {
    const { status, traceId, body } = await request(`${app.url}/users-by-email/${encodeURIComponent('ada.secret@example.com')}`);
    assert.equal(status, 200);
    assert.deepEqual(body, [{ id: 1, name: 'Ada' }]);
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.filter((span) => dbSystemOf(span) === 'postgresql').length >= 2);
    const repository = spanNamed(trace, 'UserRepository.findByEmail');
    // knex's span, and pg's for the connection its pool opened, if it did.
    const built = childrenOf(trace, repository).find((span) => span.operationName === 'select app.users');
    assert.ok(built, `a "select app.users" under UserRepository.findByEmail, found ${childrenOf(trace, repository).map((span) => span.operationName)}`);
    assert.equal(dbSystemOf(built), 'postgresql');
    assert.equal(statementOf(built), 'select "id", "name" from "users" where "email" = ?');
    const query = childrenOf(trace, built).find((span) => span.operationName.startsWith('pg.query'))!;
    assert.equal(statementOf(query), 'select "id", "name" from "users" where "email" = $1');
    assert.doesNotMatch(allText({ ...trace, spans: [built, query] }), /ada\.secret/);
  });

  it("knex over MariaDB: a refused insert is error=true with the server's words; the address knex put in its message is not recorded", async () => {
    const { status, traceId, body } = await request(`${app.url}/members`, postJson({ id: 1, email: 'dora.secret@example.com' }));
    assert.equal(status, 200);
    assert.deepEqual(body, { code: 'ER_DUP_ENTRY' });
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.some((span) => dbSystemOf(span) === 'mysql'));
    const built = childrenOf(trace, spanNamed(trace, 'MemberRepository.add')).find((span) => span.operationName === 'insert app.members')!;
    assert.equal(statementOf(built), 'insert into `members` (`email`, `id`) values (?, ?)');
    assert.equal(tagsOf(built).error, true);
    // knex's own message starts with the insert, the address formatted in: the log and its stack's first line
    // say the server's words only.
    const [log] = logsOf(built);
    assert.equal(log.message, "Duplicate entry '1' for key 'PRIMARY'");
    assert.equal(String(log.stack).split('\n')[0], "Error: Duplicate entry '1' for key 'PRIMARY'");
    const driver = childrenOf(trace, built).find((span) => dbSystemOf(span) === 'mysql')!;
    assert.equal(statementOf(driver), 'insert into `members` (`email`, `id`) values (?, ?)');
    assert.doesNotMatch(allText({ ...trace, spans: [built, driver] }), /dora\.secret/);
  });

  it('mysql (mysqljs): the statement is recorded with its placeholder, the bound address is not', async () => {
    const { status, traceId, body } = await request(`${app.url}/legacy-accounts/${encodeURIComponent('carol.secret@example.com')}`);
    assert.equal(status, 200);
    assert.deepEqual(body, { email: 'carol.secret@example.com', plan: 'gold' });
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.some((span) => dbSystemOf(span) === 'mysql'));
    const repository = spanNamed(trace, 'LegacyAccountRepository.findByEmail');
    const [query] = childrenOf(trace, repository);
    assert.equal(dbSystemOf(query), 'mysql');
    assert.equal(tagsOf(query)['otel.scope.name'], '@opentelemetry/instrumentation-mysql');
    assert.equal(statementOf(query), 'SELECT email, plan FROM accounts WHERE email = ?');
    const below = trace.spans.filter((span) => isBelow(trace, span, repository));
    assert.doesNotMatch(allText({ ...trace, spans: below }), /carol\.secret/);
  });

  it('node-redis: SET and GET under the @Span method, and the session token never recorded', async () => {
    const { status, traceId } = await request(`${app.url}/sessions/s1`, postJson({ token: 'tok-3f9a-secret' }));
    assert.equal(status, 200);
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.filter((span) => dbSystemOf(span) === 'redis').length >= 2);
    const store = spanNamed(trace, 'SessionStore.save');
    const commands = childrenOf(trace, store).filter((span) => dbSystemOf(span) === 'redis');
    assert.deepEqual(commands.map((span) => span.operationName.toUpperCase().replace(/^REDIS-/, '')).sort(), ['GET', 'SET']);
    assert.doesNotMatch(allText({ ...trace, spans: commands }), /tok-3f9a-secret/);
  });

  it('node-redis: a command made outside any span starts no trace of its own, as an ioredis command does not', async () => {
    const { data } = require('./apps/data-app') as DataApp;
    const key = `outside-any-span-${process.pid}`;
    await data.redis.get(key);
    await data.ioredis.get(key);
    // A request after them: once its trace is in Jaeger, what the reporter sent before it is too.
    const { traceId } = await request(`${app.url}/sessions/s2`, postJson({ token: 'tok-later' }));
    await waitForTraceWhere(traceId, (t) => t.spans.filter((span) => dbSystemOf(span) === 'redis').length >= 2);
    const outside = (await findTraces(service)).flatMap((trace) => trace.spans).filter((span) => statementOf(span).includes(key));
    assert.deepEqual(
      outside.map((span) => span.operationName),
      [],
    );
  });

  it('TypeORM over PostgreSQL: the ORM call and its SQL under the @Span method', async () => {
    const { status, traceId, body } = await request(`${app.url}/products/7`);
    assert.equal(status, 200);
    assert.deepEqual(body, { id: 7, title: 'Teapot' });
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.some((span) => dbSystemOf(span) === 'postgresql'));
    const repository = spanNamed(trace, 'ProductRepository.findOne');
    const below = trace.spans.filter((span) => span !== repository && isBelow(trace, span, repository));
    assert.ok(
      below.some((span) => dbSystemOf(span) === 'postgresql' && /SELECT/.test(statementOf(span))),
      below.map((s) => s.operationName).join(', '),
    );
    assert.ok(below.every((span) => span.traceID === repository.traceID));
  });

  it("TypeORM's save: the ORM call is recorded with its entity's shape, not its values", async () => {
    const { status, traceId } = await request(`${app.url}/products`, postJson({ id: 8, title: 'kettle-s3cret-title' }));
    assert.equal(status, 200);
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.some((span) => span.operationName === 'save products'));
    const save = spanNamed(trace, 'save products');
    assert.equal(statementOf(save), JSON.stringify({ targetOrEntity: 'Product', maybeEntityOrOptions: { id: '?', title: '?' } }));
    const repository = spanNamed(trace, 'ProductRepository.save');
    const below = trace.spans.filter((span) => span !== repository && isBelow(trace, span, repository));
    assert.doesNotMatch(allText({ ...trace, spans: below }), /kettle-s3cret-title/);
  });

  it('RabbitMQ: the message published in the request is consumed in another process, in the same trace', async () => {
    const { status, traceId } = await request(`${app.url}/orders`, postJson({ id: 42 }));
    assert.equal(status, 200);
    // Both services report on their own schedule: wait for the publisher's side and the consumer's.
    const trace = await waitForTraceWhere(
      traceId,
      (t) => ['OrderPublisher.publish', 'OrderHandler.handle'].every((name) => t.spans.some((span) => span.operationName === name)),
      {
        timeoutMs: 20000,
      },
    );
    const publisher = spanNamed(trace, 'OrderPublisher.publish');
    const publish = childrenOf(trace, publisher).find((span) => tagsOf(span)['span.kind'] === 'producer');
    assert.ok(
      publish,
      `a producer span under OrderPublisher.publish; found ${childrenOf(trace, publisher)
        .map((s) => s.operationName)
        .join(', ')}`,
    );
    const handler = spanNamed(trace, 'OrderHandler.handle');
    assert.equal(serviceOf(trace, handler), consumerService);
    const consume = trace.spans.find((span) => span.spanID === parentIdOf(handler))!;
    assert.equal(tagsOf(consume)['span.kind'], 'consumer');
    assert.equal(serviceOf(trace, consume), consumerService);
    assert.ok(isBelow(trace, consume, publish), 'the consumer span descends from the producer span');
    assert.equal(await consumerExit, 0);
  });

  it('an unsampled request makes no span at all, not even for its database calls', async () => {
    const traceId = 'feedc0de12345678';
    const { status } = await request(`${app.url}/users/1`, { headers: { 'uber-trace-id': `${traceId}:${traceId}:0:0` } });
    assert.equal(status, 200);
    // A sampled request after it, so the reporter has flushed what the first would have sent by then.
    const { traceId: later } = await request(`${app.url}/products/7`);
    await waitForTraceWhere(later, (t) => t.spans.some((span) => dbSystemOf(span) === 'postgresql'));
    assert.equal(await fetchTrace(traceId), undefined);
  });
});

function isBelow(trace: JaegerTrace, span: JaegerSpan, ancestor: JaegerSpan): boolean {
  const byId = new Map(trace.spans.map((each) => [each.spanID, each]));
  for (let parent = byId.get(parentIdOf(span) ?? ''); parent !== undefined; parent = byId.get(parentIdOf(parent) ?? '')) {
    if (parent.spanID === ancestor.spanID) return true;
  }
  return false;
}
