// jaeger-decorators/testing: installTestTracer() is initTracer() with an in-memory reporter, and its records are
// plain data a test compares whole. Compiled in both decorator dialects (see test/tsconfig.tc39.json).
import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, describe, it, mock } from 'node:test';
import { Worker } from 'node:worker_threads';
import { trace } from '@opentelemetry/api';
import { LogErrorsToSpan, Span, getActiveSpan } from 'jaeger-decorators';
import { registerOpenTelemetryApi, unregisterOpenTelemetryApi } from 'jaeger-decorators/opentelemetry';
import { installTestTracer, type FinishedSpan, type TestTracer } from 'jaeger-decorators/testing';
import { globalTracer } from 'opentracing';
import { DIALECT } from '../support/dialect';
import { collectTracingWarnings } from '../support/tracing-warnings';

interface User {
  email?: string;
}

class Mailer {
  @Span({ followsFrom: true })
  async welcome(user: User): Promise<string> {
    return `sent to ${user.email}`;
  }
}

class UserService {
  readonly sent: Array<Promise<string>> = [];
  private readonly mailer = new Mailer();

  @Span('users.register', { tags: { 'db.type': 'sql' } })
  async register(user: User): Promise<User> {
    this.validate(user);
    this.sent.push(this.mailer.welcome(user));
    return user;
  }

  @LogErrorsToSpan()
  validate(user: User): void {
    if (!user.email) throw new Error('email is required');
  }

  @Span()
  count(): number {
    return 2;
  }
}

const HEX_16 = /^[0-9a-f]{16}$/;
const nowUs = () => Date.now() * 1000;

/** A record's ids have Jaeger's form, its times lie inside [fromUs, toUs]; then its times are left out. */
function withoutTimes(span: FinishedSpan, fromUs: number, toUs: number): Omit<FinishedSpan, 'startTime' | 'durationUs'> {
  const { startTime, durationUs, ...rest } = span;
  assert.match(span.traceId, HEX_16);
  assert.match(span.spanId, HEX_16);
  assert.ok(Number.isInteger(startTime) && Number.isInteger(durationUs), `${startTime} ${durationUs}`);
  // The core's clock is the wall clock to within a millisecond (src/core/clock.ts).
  assert.ok(startTime >= fromUs - 1000 && startTime + durationUs <= toUs + 1000, `${startTime} +${durationUs} outside ${fromUs}..${toUs}`);
  assert.ok(durationUs >= 1, `${durationUs} µs`);
  for (const log of span.logs) assert.ok(log.timestamp >= startTime && log.timestamp <= startTime + durationUs, `log at ${log.timestamp}`);
  return rest;
}

describe(`installTestTracer (${DIALECT})`, () => {
  let testTracer: TestTracer | undefined;
  afterEach(() => testTracer?.close());

  it('records a decorated call as plain data: name, ids as Jaeger prints them, no parent, tags, times in µs', () => {
    testTracer = installTestTracer();
    const from = nowUs();
    assert.equal(new UserService().count(), 2);
    const to = nowUs();
    const [count] = testTracer.finishedSpans();
    assert.deepEqual(withoutTimes(count, from, to), {
      operationName: 'UserService.count',
      traceId: count.spanId,
      spanId: count.spanId,
      parentId: null,
      references: [],
      tags: {},
      logs: [],
    });
  });

  it("records a child's parent, @LogErrorsToSpan's error log with plain fields, and a FOLLOWS_FROM reference", async () => {
    testTracer = installTestTracer({ serviceName: 'users' });
    const users = new UserService();
    const request = testTracer.tracer.startSpan('POST /users');
    const from = nowUs();
    await assert.rejects(users.register({}), /email is required/);
    await users.register({ email: 'ada@example.com' });
    await Promise.all(users.sent);
    const to = nowUs();
    request.finish();

    const [failed, welcome, registered, root] = testTracer.finishedSpans();
    assert.equal(root.operationName, 'POST /users');
    // register() ran without an active span: each call is a root span of its own trace.
    const { stack, ...errorFields } = failed.logs[0].fields;
    assert.match(String(stack), /^Error: email is required\n\s+at /);
    assert.deepEqual(withoutTimes({ ...failed, logs: [{ ...failed.logs[0], fields: errorFields }] }, from, to), {
      operationName: 'users.register',
      traceId: failed.spanId,
      spanId: failed.spanId,
      parentId: null,
      references: [],
      tags: { 'db.type': 'sql', error: true },
      logs: [{ timestamp: failed.logs[0].timestamp, fields: { event: 'error', 'error.kind': 'Error', message: 'email is required' } }],
    });
    assert.deepEqual(withoutTimes(welcome, from, to), {
      operationName: 'Mailer.welcome',
      traceId: registered.traceId,
      spanId: welcome.spanId,
      parentId: registered.spanId,
      references: [{ refType: 'FOLLOWS_FROM', traceId: registered.traceId, spanId: registered.spanId }],
      tags: {},
      logs: [],
    });
    assert.equal(registered.operationName, 'users.register');
    assert.deepEqual(registered.tags, { 'db.type': 'sql' });
  });

  it('lists the parent of a child span as a CHILD_OF reference, as Jaeger does, with times in whole µs', () => {
    testTracer = installTestTracer();
    // jaeger-client keeps milliseconds with a fraction; Jaeger stores (and the record gives) whole microseconds.
    const t0 = 1_700_000_000_000.25;
    const request = testTracer.tracer.startSpan('GET /users/count', { startTime: t0 });
    const child = testTracer.tracer.startSpan('users.count', { childOf: request, tags: { 'span.kind': 'client' }, startTime: t0 + 0.5 });
    child.log({ event: 'cache miss', key: 'users' }, t0 + 1.0006);
    child.finish(t0 + 2.7509);
    request.finish(t0 + 3);
    const [count, root] = testTracer.finishedSpans();
    assert.deepEqual(count, {
      operationName: 'users.count',
      traceId: root.traceId,
      spanId: count.spanId,
      parentId: root.spanId,
      references: [{ refType: 'CHILD_OF', traceId: root.traceId, spanId: root.spanId }],
      tags: { 'span.kind': 'client' },
      logs: [{ timestamp: 1_700_000_000_001_250, fields: { event: 'cache miss', key: 'users' } }],
      startTime: 1_700_000_000_000_750,
      durationUs: 2250,
    });
    assert.equal(root.startTime, 1_700_000_000_000_250);
    assert.equal(root.durationUs, 3000);
  });

  it('is the tracer the OpenTelemetry API serves, so instrumentations land in the records', () => {
    testTracer = installTestTracer();
    assert.equal(registerOpenTelemetryApi(), true);
    try {
      trace.getTracer('orders-instrumentation').startActiveSpan('SELECT orders', (span) => span.end());
    } finally {
      unregisterOpenTelemetryApi();
    }
    assert.deepEqual(
      testTracer.finishedSpans().map((span) => [span.operationName, span.tags['otel.scope.name']]),
      [['SELECT orders', 'orders-instrumentation']],
    );
  });

  it('reset() forgets the records and keeps the tracer installed', () => {
    testTracer = installTestTracer();
    const users = new UserService();
    users.count();
    testTracer.reset();
    assert.deepEqual(testTracer.finishedSpans(), []);
    users.count();
    assert.deepEqual(
      testTracer.finishedSpans().map((span) => span.operationName),
      ['UserService.count'],
    );
  });

  it('hands out a new array each time, so a test changing one does not change the next', () => {
    testTracer = installTestTracer();
    new UserService().count();
    testTracer.finishedSpans().pop();
    assert.equal(testTracer.finishedSpans().length, 1);
  });

  it('close() puts the no-op tracer back and keeps the records readable', async () => {
    testTracer = installTestTracer();
    const users = new UserService();
    users.count();
    await testTracer.close();
    assert.equal(users.count(), 2);
    assert.equal(globalTracer().startSpan('after close').context().toSpanId(), '', 'the global tracer is the no-op one again');
    assert.deepEqual(
      testTracer.finishedSpans().map((span) => span.operationName),
      ['UserService.count'],
    );
    await testTracer.close();
  });

  it('close() resolves under fake timers, and records never wait on a timer', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'setImmediate'] });
    try {
      testTracer = installTestTracer();
      class Job {
        @Span()
        async run(): Promise<boolean> {
          return getActiveSpan() !== undefined;
        }
      }
      assert.equal(await new Job().run(), true);
      assert.deepEqual(
        testTracer.finishedSpans().map((span) => span.operationName),
        ['Job.run'],
      );
      await testTracer.close();
    } finally {
      mock.timers.reset();
    }
  });

  it('replaces a previous test tracer quietly, and close() of the old one leaves the new one alone', async () => {
    const warnings = collectTracingWarnings();
    try {
      const first = installTestTracer();
      testTracer = installTestTracer();
      await first.close();
      new UserService().count();
      assert.deepEqual(first.finishedSpans(), []);
      assert.equal(testTracer.finishedSpans().length, 1);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings.messages, []);
    } finally {
      warnings.stop();
    }
  });

  it('records even where JAEGER_DISABLED=true turns real tracers off, and leaves the variable as it was', () => {
    process.env.JAEGER_DISABLED = 'true';
    try {
      testTracer = installTestTracer();
      assert.equal(process.env.JAEGER_DISABLED, 'true');
    } finally {
      delete process.env.JAEGER_DISABLED;
    }
    new UserService().count();
    assert.equal(testTracer.finishedSpans().length, 1);
  });

  it('says what is wrong with its options', () => {
    assert.throws(() => installTestTracer({ service: 'orders' } as never), {
      name: 'TypeError',
      message: 'installTestTracer: unknown option service; the one option is serviceName.',
    });
    assert.throws(() => installTestTracer({ serviceName: '' }), {
      name: 'TypeError',
      message: "installTestTracer: serviceName must be a non-empty string, got ''.",
    });
    assert.throws(() => installTestTracer('orders' as never), /options must be an object such as \{ serviceName: 'orders' \}, got 'orders'/);
  });

  it('works inside a worker thread, where the worker has a tracer of its own', async () => {
    testTracer = installTestTracer();
    const worker = new Worker(path.join(__dirname, 'traced-in-worker.js'), { workerData: 640 });
    const [spans] = await Promise.all([
      new Promise<FinishedSpan[]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
      new Promise((resolve) => worker.once('exit', resolve)),
    ]);
    assert.deepEqual(
      spans.map((span) => [span.operationName, span.parentId, span.references]),
      [['ThumbnailService.resize', null, []]],
    );
    assert.deepEqual(testTracer.finishedSpans(), [], "the worker's spans are not the main thread's");
  });
});
