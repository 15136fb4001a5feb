// The OpenTelemetry API served by our tracer: spans made through @opentelemetry/api are jaeger-client spans, in
// one context with the decorators' spans, both ways, mapped as the README's table says.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { context, createContextKey, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span as OtelSpan } from '@opentelemetry/api';
import { LogErrorsToSpan, Span, getActiveSpan, getBaggage, setBaggage, withSpan } from 'jaeger-decorators';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { suppressTracing } from '@opentelemetry/core';
import { registerOpenTelemetryApi, unregisterOpenTelemetryApi } from 'jaeger-decorators/opentelemetry';
import { closeTracer, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

const otel = () => trace.getTracer('orders-instrumentation', '1.2.3');

class OrderService {
  @Span()
  async load(): Promise<string | undefined> {
    // What an instrumentation does inside a decorated method.
    return otel().startActiveSpan(
      'SELECT orders',
      { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM orders WHERE id = $1' } },
      async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        span.end();
        return trace.getActiveSpan()?.spanContext().spanId;
      },
    );
  }

  @Span()
  inner(): string {
    return 'inner';
  }
}

/** App code whose decorator logs its failure on the active span, an instrumentation's span among them. */
class Checkout {
  @LogErrorsToSpan()
  pay(): never {
    throw new Error('card declined');
  }
}

describe('OpenTelemetry API served by the jaeger-client tracer', () => {
  let recording: RecordingTracer;

  before(() => {
    assert.equal(registerOpenTelemetryApi(), true);
  });

  after(() => unregisterOpenTelemetryApi());

  afterEach(async () => {
    await closeTracer();
  });

  it('a span an instrumentation starts inside @Span is its child, tagged by the mapping', async () => {
    recording = recordingTracer();
    const activeInside = await new OrderService().load();
    const parent = recording.span('OrderService.load');
    const query = recording.span('SELECT orders');
    assert.equal(query.parentId, parent.spanId);
    assert.equal(query.traceId, parent.traceId);
    assert.equal(activeInside, query.spanId.padStart(16, '0'));
    assert.deepEqual(query.tags, {
      'span.kind': 'client',
      'otel.scope.name': 'orders-instrumentation',
      'otel.scope.version': '1.2.3',
      'db.system': 'postgresql',
      'db.statement': 'SELECT * FROM orders WHERE id = $1',
    });
    assert.ok(query.durationMs >= 0.5, `duration ${query.durationMs} ms`);
  });

  it('a @Span method called inside startActiveSpan is a child of that span, and getActiveSpan() is it', () => {
    recording = recordingTracer();
    otel().startActiveSpan('consume orders', { kind: SpanKind.CONSUMER }, (span) => {
      assert.equal(getActiveSpan(), (span as unknown as { jaegerSpan: unknown }).jaegerSpan);
      new OrderService().inner();
      span.end();
    });
    const consume = recording.span('consume orders');
    assert.equal(consume.tags['span.kind'], 'consumer');
    assert.equal(recording.span('OrderService.inner').parentId, consume.spanId);
  });

  it('startActiveSpan nests: each span is active inside its callback and the parent again after, `root` starts a trace, a context key stays in view', () => {
    recording = recordingTracer();
    const key = createContextKey('tenant');
    const request = recording.tracer.startSpan('request');
    withSpan(request, () => {
      otel().startActiveSpan('outer', (outer) => {
        otel().startActiveSpan('inner', (inner) => {
          assert.equal(trace.getActiveSpan(), inner);
          otel().startSpan('query').end();
          inner.end();
        });
        assert.equal(trace.getActiveSpan(), outer);
        otel().startActiveSpan('detached', { root: true }, (detached) => detached.end());
        // A context given as undefined is the active one, as the SDK takes it.
        otel().startActiveSpan('given no context', {}, undefined as unknown as Context, (span) => span.end());
        context.with(context.active().setValue(key, 'tenant-7'), () =>
          otel().startActiveSpan('keyed', (keyed) => {
            assert.equal(context.active().getValue(key), 'tenant-7');
            assert.equal(trace.getActiveSpan(), keyed);
            keyed.end();
          }),
        );
        outer.end();
      });
      assert.equal(getActiveSpan(), request);
    });
    request.finish();
    const [req, outer, inner, query, detached, keyed] = ['request', 'outer', 'inner', 'query', 'detached', 'keyed'].map((name) => recording.span(name));
    assert.equal(outer.parentId, req.spanId);
    assert.equal(inner.parentId, outer.spanId);
    assert.equal(query.parentId, inner.spanId);
    assert.equal(keyed.parentId, outer.spanId);
    assert.equal(recording.span('given no context').parentId, outer.spanId);
    assert.equal(keyed.traceId, req.traceId);
    assert.notEqual(detached.traceId, req.traceId);
    assert.equal(detached.parentId, null);
  });

  it("an instrumentation's context.with(trace.setSpan(context.active(), span)): the span is active for both APIs; keys set on that context keep it", () => {
    recording = recordingTracer();
    const key = createContextKey('statement');
    const request = recording.tracer.startSpan('request');
    withSpan(request, () => {
      const query = otel().startSpan('SELECT 1', { kind: SpanKind.CLIENT });
      const withQuery = trace.setSpan(context.active(), query);
      context.with(withQuery, () => {
        assert.equal(trace.getActiveSpan(), query);
        assert.equal(getActiveSpan(), (query as unknown as { jaegerSpan: unknown }).jaegerSpan);
        new OrderService().inner();
      });
      const keyed = withQuery.setValue(key, 'SELECT 1');
      assert.equal(keyed.getValue(key), 'SELECT 1');
      assert.equal(trace.getSpan(keyed), query);
      assert.equal(withQuery.getValue(key), undefined, 'a context is never changed by setValue');
      context.with(keyed, () => {
        assert.equal(context.active().getValue(key), 'SELECT 1');
        assert.equal(getActiveSpan(), (query as unknown as { jaegerSpan: unknown }).jaegerSpan);
      });
      assert.equal(trace.getSpan(trace.deleteSpan(withQuery)), undefined);
      query.end();
    });
    request.finish();
    assert.equal(recording.span('OrderService.inner').parentId, recording.span('SELECT 1').spanId);
    assert.equal(recording.span('SELECT 1').parentId, recording.span('request').spanId);
  });

  it('context.bind(context, fn) runs fn in that context with its this, its arguments (as many as given) and its length', () => {
    recording = recordingTracer();
    const request = recording.tracer.startSpan('request');
    const key = createContextKey('tenant');
    const bindings = [withSpan(request, () => context.active()), withSpan(request, () => context.active().setValue(key, 'tenant-7')), ROOT_CONTEXT];
    const targets = [
      function (this: unknown) {
        return [this, arguments.length, getActiveSpan(), context.active().getValue(key)];
      },
      function (this: unknown, _a: unknown) {
        return [this, arguments.length, getActiveSpan(), context.active().getValue(key)];
      },
      function (this: unknown, _a: unknown, _b: unknown, _c: unknown, _d: unknown) {
        return [this, arguments.length, getActiveSpan(), context.active().getValue(key)];
      },
      function (this: unknown, _a: unknown, _b: unknown, _c: unknown, _d: unknown, _e: unknown, _f: unknown) {
        return [this, arguments.length, getActiveSpan(), context.active().getValue(key)];
      },
    ];
    const receiver = { name: 'receiver' };
    for (const [i, bindTo] of bindings.entries()) {
      for (const target of targets) {
        const bound = context.bind(bindTo, target as (this: unknown, ...args: unknown[]) => unknown[]);
        assert.equal(bound.length, target.length);
        assert.deepEqual(bound.call(receiver, 1, 2), [receiver, 2, i < 2 ? request : undefined, i === 1 ? 'tenant-7' : undefined]);
        assert.deepEqual(bound.call(receiver), [receiver, 0, i < 2 ? request : undefined, i === 1 ? 'tenant-7' : undefined]);
        assert.equal(bound(1)[0], undefined, 'called without a receiver, a strict function sees this undefined');
      }
    }
    request.finish();
  });

  it('a caller context read from headers inside a span of ours, entered with context.with: spans there are its children', () => {
    recording = recordingTracer();
    const request = recording.tracer.startSpan('request');
    withSpan(request, () => {
      const extracted = propagation.extract(context.active(), { 'uber-trace-id': 'abcdef0123456789:1111111111111111:0:1' });
      context.with(extracted, () => otel().startSpan('process message').end());
    });
    request.finish();
    const processed = recording.span('process message');
    assert.equal(processed.traceId, 'abcdef0123456789');
    assert.equal(processed.parentId, '1111111111111111');
  });

  it('startActiveSpan inside an unsampled trace hands out a non-recording span, keeps the trace active and reports nothing', () => {
    recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
    const request = recording.tracer.startSpan('unsampled request');
    const result = withSpan(request, () =>
      otel().startActiveSpan('SELECT 1', (span) => {
        assert.equal(span.isRecording(), false);
        assert.equal(getActiveSpan(), request);
        assert.equal(span.spanContext().traceId.slice(16), (request.context() as unknown as { traceIdStr: string }).traceIdStr.padStart(16, '0'));
        span.end();
        return 'answered';
      }),
    );
    request.finish();
    assert.equal(result, 'answered');
    assert.deepEqual(recording.spans(), []);
  });

  it("where tracing is suppressed (@opentelemetry/core's suppressTracing), spans started there record nothing, nested ones and roots too", () => {
    recording = recordingTracer();
    const request = recording.tracer.startSpan('request');
    const service = new OrderService();
    let bound: () => string = () => '';
    withSpan(request, () => {
      setBaggage('tenant', 'acme');
      // What an exporter does around its own request, and TypeORM's instrumentation around its driver's queries.
      context.with(suppressTracing(context.active()), () => {
        const query = otel().startSpan('SELECT 1', { kind: SpanKind.CLIENT });
        assert.equal(query.isRecording(), false);
        assert.equal(trace.isSpanContextValid(query.spanContext()), false);
        query.end();
        otel().startSpan('a root', { root: true }).end();
        // Headers written here carry no trace, as OpenTelemetry's W3C propagators write none.
        const headers: Record<string, string> = {};
        propagation.inject(context.active(), headers);
        assert.deepEqual(headers, {});
        otel().startActiveSpan('export', (span) => {
          assert.equal(span.isRecording(), false);
          assert.equal(trace.getActiveSpan(), span);
          otel().startSpan('POST /v1/traces').end();
          propagation.inject(context.active(), headers);
          assert.deepEqual(headers, {});
          // Our side keeps the request: a decorated method called here stays in its trace, with its baggage.
          assert.equal(getActiveSpan(), request);
          assert.equal(getBaggage('tenant'), 'acme');
          service.inner();
          bound = context.bind(context.active(), () => service.inner());
          span.end();
        });
      });
      // Outside the suppressed context, spans are recorded again.
      otel().startSpan('SELECT 2').end();
    });
    // A callback an instrumentation bound to that context, run later where no span is active.
    assert.equal(getActiveSpan(), undefined);
    assert.equal(bound(), 'inner');
    request.finish();
    assert.deepEqual(
      recording.spans().map((span) => span.name),
      ['OrderService.inner', 'SELECT 2', 'OrderService.inner', 'request'],
    );
    for (const inner of recording.spans().filter((span) => span.name === 'OrderService.inner')) {
      assert.equal(inner.parentId, recording.span('request').spanId);
      assert.equal(inner.traceId, recording.span('request').traceId);
    }
  });

  it('trace.getActiveSpan() inside a decorated call is a view of our span: its attributes tag our span, its end stays ours', () => {
    recording = recordingTracer();
    const root = recording.tracer.startSpan('request');
    withSpan(root, () => {
      const view = trace.getActiveSpan()!;
      assert.equal(view.isRecording(), true);
      view.setAttribute('user.id', 42).setAttributes({ 'user.roles': ['admin', 'ops'], 'user.active': true });
      view.end(); // not ours to end: the span is finished by whoever started it
    });
    assert.equal(recording.spans().length, 0);
    root.finish();
    assert.deepEqual(recording.span('request').tags, {
      'sampler.type': 'const',
      'sampler.param': true,
      'user.id': 42,
      'user.roles': '["admin","ops"]',
      'user.active': true,
    });
  });

  it('keeps one tag per attribute key, with the last value set, as OpenTelemetry keeps attributes', () => {
    recording = recordingTracer();
    const span = otel().startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'url.full': 'http://orders/7', 'error.type': 'pending' } });
    span.setAttribute('http.response.status_code', 404);
    span.setAttribute('error.type', '404');
    span.setAttributes({ 'error.type': 'UND_ERR_SOCKET', 'network.peer.port': 8080 });
    span.setAttribute('http.response.status_code', 503);
    span.end();
    const { tags, tagKeys } = recording.span('GET');
    assert.deepEqual(tagKeys, [
      'sampler.type',
      'sampler.param',
      'span.kind',
      'otel.scope.name',
      'otel.scope.version',
      'url.full',
      'error.type',
      'http.response.status_code',
      'network.peer.port',
    ]);
    assert.equal(tags['error.type'], 'UND_ERR_SOCKET');
    assert.equal(tags['http.response.status_code'], 503);
    assert.equal(tags['network.peer.port'], 8080);
  });

  it('tags error once on a span a decorator marked failed and an ERROR status marks again', () => {
    recording = recordingTracer();
    // An instrumentation's span, active around app code whose decorator logs the failure on it.
    otel().startActiveSpan('POST /payments', (span) => {
      assert.throws(() => new Checkout().pay(), /card declined/);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
      span.end();
    });
    const recorded = recording.span('POST /payments');
    assert.equal(recorded.logs[0].message, 'card declined');
    assert.deepEqual(
      recorded.tagKeys.filter((key) => key === 'error'),
      ['error'],
    );
  });

  it('maps events, recordException, status, links, updateName and explicit times', () => {
    recording = recordingTracer();
    const linked = recording.tracer.startSpan('earlier');
    linked.finish();
    const linkedContext = {
      traceId: (linked.context() as unknown as { traceIdStr: string }).traceIdStr.padStart(32, '0'),
      spanId: (linked.context() as unknown as { spanIdStr: string }).spanIdStr.padStart(16, '0'),
      traceFlags: 1,
    };
    const start = new Date('2026-01-02T03:04:05.000Z');
    const span = otel().startSpan('work', { startTime: start, links: [{ context: linkedContext }] });
    span.addEvent('cache miss', { key: 'orders:7' }, [start.getTime() / 1000 + 0.5, 0]);
    const error = new TypeError('order 7 has no lines');
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'order 7 has no lines' });
    span.addLink({ context: linkedContext, attributes: { 'opentracing.ref_type': 'child_of' } });
    span.updateName('work renamed');
    span.end([start.getTime() / 1000 + 2, 500_000]);
    const recorded = recording.span('work renamed');
    assert.equal(recorded.startMs, start.getTime());
    assert.equal(recorded.durationMs, 2000.5);
    assert.equal(recorded.tags.error, true);
    assert.equal(recorded.tags['otel.status_description'], 'order 7 has no lines');
    assert.deepEqual(recorded.logs[0], { event: 'cache miss', key: 'orders:7' });
    assert.equal(recorded.logTimesMs[0], start.getTime() + 500);
    assert.deepEqual(recorded.logs[1], { event: 'error', 'error.kind': 'TypeError', message: 'order 7 has no lines', stack: error.stack });
    // jaeger-client writes ids without their leading zeros in some places and with them in others.
    const linkedId = (linked.context() as unknown as { spanIdStr: string }).spanIdStr.padStart(16, '0');
    assert.deepEqual(
      recorded.references.map((reference) => ({ ...reference, spanId: reference.spanId.padStart(16, '0') })),
      [
        { type: 'follows_from', spanId: linkedId },
        { type: 'child_of', spanId: linkedId },
      ],
    );
    // A span is ended once; what comes after its end is dropped.
    span.setAttribute('late', true);
    span.end();
    assert.equal(recording.spans().filter((each) => each.name === 'work renamed').length, 1);
  });

  it("recordException of a message of the instrumentation's own: the stack's first line says that message, not the error's", () => {
    recording = recordingTracer();
    // As instrumentation-knex records a failed query: knex put the SQL, MySQL's bound values formatted in, into the
    // error's message; the instrumentation records the server's words only, and the error's stack.
    const error = new Error("insert into `people` (`email`) values ('bob.secret@example.com') - Duplicate entry '1' for key 'PRIMARY'");
    const span = otel().startSpan('insert app.people');
    span.recordException({ message: "Duplicate entry '1' for key 'PRIMARY'", name: error.name, stack: error.stack });
    span.recordException({ name: 'Error', message: 'no frames', stack: 'Error: bob.secret@example.com' });
    span.end();
    const [withFrames, withoutFrames] = recording.span('insert app.people').logs;
    const stack = String(withFrames.stack);
    assert.equal(stack.split('\n')[0], "Error: Duplicate entry '1' for key 'PRIMARY'");
    assert.equal(stack.split('\n').slice(1).join('\n'), error.stack!.split('\n').slice(1).join('\n'));
    assert.deepEqual(withoutFrames, { event: 'error', 'error.kind': 'Error', message: 'no frames' });
  });

  it("setStatus follows OpenTelemetry's rules: UNSET ignored, OK final, a later ERROR's description replaces the earlier", () => {
    recording = recordingTracer();
    const statuses: Record<string, Array<{ code: SpanStatusCode; message?: string }>> = {
      'ok then error': [{ code: SpanStatusCode.OK }, { code: SpanStatusCode.ERROR, message: 'late' }],
      'error then ok': [{ code: SpanStatusCode.ERROR, message: 'timed out' }, { code: SpanStatusCode.OK }],
      'error twice': [
        { code: SpanStatusCode.ERROR, message: 'first' },
        { code: SpanStatusCode.ERROR, message: 'second' },
      ],
      'error then unset': [{ code: SpanStatusCode.ERROR, message: 'kept' }, { code: SpanStatusCode.UNSET }],
    };
    for (const [name, sequence] of Object.entries(statuses)) {
      const span = otel().startSpan(name);
      for (const status of sequence) span.setStatus(status);
      span.end();
    }
    const tagsOf = (name: string) => {
      const recorded = recording.span(name);
      return recorded.tagKeys.filter((key) => key.startsWith('otel.status') || key === 'error').map((key) => `${key}=${String(recorded.tags[key])}`);
    };
    assert.deepEqual(tagsOf('ok then error'), ['otel.status_code=OK']);
    assert.deepEqual(tagsOf('error then ok'), ['otel.status_code=OK']);
    assert.deepEqual(tagsOf('error twice'), ['error=true', 'otel.status_description=second']);
    assert.deepEqual(tagsOf('error then unset'), ['error=true', 'otel.status_description=kept']);
  });

  it('an ERROR status without recordException (as instrumentation-mysql2 fails a query) logs the error by its description, once', () => {
    recording = recordingTracer();
    const statusOnly = otel().startSpan('INSERT shop');
    statusOnly.setStatus({ code: SpanStatusCode.ERROR, message: "Duplicate entry '1' for key 'PRIMARY'" });
    statusOnly.end();
    const withException = otel().startSpan('SELECT shop');
    withException.recordException(new Error('relation "shop" does not exist'));
    withException.setStatus({ code: SpanStatusCode.ERROR, message: 'relation "shop" does not exist' });
    withException.end();
    const noDescription = otel().startSpan('DELETE shop');
    noDescription.setStatus({ code: SpanStatusCode.ERROR });
    noDescription.end();
    const takenBack = otel().startSpan('UPDATE shop');
    takenBack.setStatus({ code: SpanStatusCode.ERROR, message: 'lock wait timeout' });
    takenBack.setStatus({ code: SpanStatusCode.OK });
    takenBack.end();
    const inserted = recording.span('INSERT shop');
    assert.deepEqual(inserted.logs, [{ event: 'error', message: "Duplicate entry '1' for key 'PRIMARY'" }]);
    assert.equal(inserted.logTimesMs[0], inserted.startMs + inserted.durationMs);
    assert.deepEqual(
      recording.span('SELECT shop').logs.map((log) => [log.event, log['error.kind'], log.message]),
      [['error', 'Error', 'relation "shop" does not exist']],
    );
    assert.deepEqual(recording.span('DELETE shop').logs, []);
    assert.deepEqual(recording.span('UPDATE shop').logs, []);
  });

  it('an OK status does not take back a failure a decorator logged on the span', () => {
    recording = recordingTracer();
    otel().startActiveSpan('POST /payments', (span) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
      assert.throws(() => new Checkout().pay(), /card declined/);
      span.setStatus({ code: SpanStatusCode.OK });
      span.end();
    });
    const recorded = recording.span('POST /payments');
    assert.equal(recorded.tags.error, true);
    assert.equal(recorded.logs[0].message, 'card declined');
  });

  it('odd input never throws at the caller: recordException(undefined or null), a message not a string, a link without a context', () => {
    recording = recordingTracer();
    const span = otel().startSpan('odd input');
    assert.doesNotThrow(() => span.recordException(undefined as unknown as Error));
    assert.doesNotThrow(() => span.recordException(null as unknown as Error));
    assert.doesNotThrow(() => span.recordException({ name: 'QueryError', message: { detail: 1 } as unknown as string }));
    assert.doesNotThrow(() => span.addLink({} as never));
    span.end();
    const recorded = recording.span('odd input');
    assert.deepEqual(recorded.logs, [{ event: 'error', 'error.kind': 'QueryError', message: '[object Object]' }]);
    assert.deepEqual(recorded.references, []);
  });

  it("an end at or before the start is taken as the start, 1 µs on: no negative duration, as OpenTelemetry's SDK clamps it", () => {
    recording = recordingTracer();
    const early = otel().startSpan('ended before it started');
    early.end(Date.now() - 1000);
    for (let i = 0; i < 50; i += 1) otel().startSpan('ended on Date.now()').end(Date.now());
    const durations = recording.spans().map((span) => span.durationMs);
    assert.equal(durations.length, 51);
    for (const duration of durations) assert.ok(duration > 0, `duration ${duration} ms`);
  });

  it("a root span with links starts a trace of its own, by its own sampler, the links kept as references (amqplib's useLinksForConsume)", () => {
    recording = recordingTracer();
    const producer = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 0 };
    const consumer = otel().startSpan('orders process', { kind: SpanKind.CONSUMER, root: true, links: [{ context: producer }] });
    assert.equal(consumer.isRecording(), true);
    assert.notEqual(consumer.spanContext().traceId, producer.traceId);
    consumer.end();
    const recorded = recording.span('orders process');
    assert.equal(recorded.parentId, null);
    assert.deepEqual(recorded.references, [{ type: 'follows_from', spanId: producer.spanId }]);
  });

  it("a statement recorded as JSON (TypeORM's EntityManager calls) keeps its names, not its values", () => {
    recording = recordingTracer();
    const statement = JSON.stringify({ target: 'User', criteria: { email: 'ada@example.com' }, partialEntity: { password: 'hunter2', age: 36, tags: ['a'] } });
    trace
      .getTracer('@opentelemetry/instrumentation-typeorm')
      .startSpan('update users', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgres', 'db.query.text': statement } })
      .end();
    assert.equal(
      recording.span('update users').tags['db.query.text'],
      JSON.stringify({ target: 'User', criteria: { email: '?' }, partialEntity: { password: '?', age: '?', tags: ['?'] } }),
    );
    // SQL, and text that only starts like JSON, are recorded as they are.
    const sql = otel().startSpan('select', { attributes: { 'db.query.text': 'SELECT 1', 'db.statement': '{not json' } });
    sql.end();
    assert.equal(recording.span('select').tags['db.query.text'], 'SELECT 1');
    assert.equal(recording.span('select').tags['db.statement'], '{not json');
  });

  it("a URL's whole password is taken out of an attribute, where an instrumentation's censoring stopped at its first ':' or '@'", () => {
    recording = recordingTracer();
    // What instrumentation-amqplib records for `amqp://svc1:pa:ss@...` and `amqp://svc2:p@ss-word@...`.
    const urls = ['amqp://svc1:pa:***@broker:5672', 'amqp://svc2:***@ss-word@broker:5672/orders?heartbeat=5', 'redis://:hunter2@cache:6379/0'];
    urls.forEach((url, i) =>
      otel()
        .startSpan(`publish ${i}`, { attributes: { 'messaging.url': url } })
        .end(),
    );
    assert.deepEqual(
      urls.map((_url, i) => recording.span(`publish ${i}`).tags['messaging.url']),
      ['amqp://svc1:[REDACTED]@broker:5672', 'amqp://svc2:[REDACTED]@broker:5672/orders?heartbeat=5', 'redis://:[REDACTED]@cache:6379/0'],
    );
    // A URL without a password, and an address in a path or query, are left as they are.
    otel()
      .startSpan('plain', { attributes: { 'messaging.url': 'amqp://guest@broker', 'url.full': 'http://api/users?email=a@b.c:1' } })
      .end();
    assert.equal(recording.span('plain').tags['messaging.url'], 'amqp://guest@broker');
    assert.equal(recording.span('plain').tags['url.full'], 'http://api/users?email=a@b.c:1');
  });

  it("a span started with no kind is INTERNAL, tagged span.kind=internal as Jaeger's OTLP translator tags OpenTelemetry's", () => {
    recording = recordingTracer();
    otel().startSpan('no kind').end();
    assert.equal(recording.span('no kind').tags['span.kind'], 'internal');
  });

  it('the view of a span of ours stops recording once that span finishes: nothing set through it after reaches the span', () => {
    recording = recordingTracer();
    const ours = recording.tracer.startSpan('request');
    const view = withSpan(ours, () => trace.getActiveSpan())!;
    assert.equal(view.isRecording(), true);
    ours.finish();
    assert.equal(view.isRecording(), false);
    view.setAttribute('late', 'x');
    view.addEvent('late event');
    assert.equal(
      (ours as unknown as { _tags: Array<{ key: string }> })._tags.some((tag) => tag.key === 'late'),
      false,
    );
  });

  it('ids as OpenTelemetry expects them: 32 and 16 hex digits, a 64-bit trace id padded, sampled flag', () => {
    recording = recordingTracer();
    const span = otel().startSpan('ids');
    const { traceId, spanId, traceFlags } = span.spanContext();
    assert.match(traceId, /^0{16}[0-9a-f]{16}$/);
    assert.match(spanId, /^[0-9a-f]{16}$/);
    assert.equal(traceFlags, 1);
    span.end();
    assert.equal(recording.span('ids').traceId, traceId.slice(16));
  });

  it('an unsampled trace gives non-recording spans that report nothing, and @Span stays on its fast path there', () => {
    recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
    const root = recording.tracer.startSpan('unsampled request');
    let inner: OtelSpan | undefined;
    withSpan(root, () => {
      inner = otel().startSpan('SELECT 1');
      assert.equal(inner.isRecording(), false);
      inner.setAttribute('db.statement', 'SELECT 1');
      context.with(trace.setSpan(context.active(), inner), () => {
        assert.equal(getActiveSpan(), root, 'the unsampled request span stays the active one');
        assert.equal(otel().startSpan('nested').isRecording(), false);
      });
      inner.end();
    });
    root.finish();
    assert.equal(inner!.spanContext().traceFlags, 0);
    assert.deepEqual(recording.spans(), []);
    // A root the sampler turns down records nothing either.
    assert.equal(otel().startSpan('root, not sampled').isRecording(), false);
  });

  it('before initTracer() (or after closeTracer()) spans record nothing and nothing throws', () => {
    const span = otel().startSpan('no tracer');
    assert.equal(span.isRecording(), false);
    span.setAttribute('a', 1);
    span.end();
  });

  it('context keys other than the span survive context.with, context.bind and our own withSpan', async () => {
    recording = recordingTracer();
    const key = createContextKey('rpc metadata');
    const root = recording.tracer.startSpan('request');
    await context.with(context.active().setValue(key, 'tenant-7'), async () => {
      const child = recording.tracer.startSpan('child', { childOf: root });
      withSpan(child, () => {
        assert.equal(context.active().getValue(key), 'tenant-7');
        assert.equal((trace.getActiveSpan() as unknown as { jaegerSpan: unknown }).jaegerSpan, child);
      });
      const bound = context.bind(context.active(), () => context.active().getValue(key));
      await new Promise((resolve) => setTimeout(resolve, 1));
      assert.equal(context.with(ROOT_CONTEXT, bound), 'tenant-7');
      child.finish();
    });
    assert.equal(context.active().getValue(key), undefined);
    root.finish();
  });

  it('after context.disable() and another context manager registered, spans follow that manager, not ours', () => {
    recording = recordingTracer();
    context.disable();
    try {
      assert.equal(context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()), true);
      const parent = otel().startSpan('parent');
      context.with(trace.setSpan(ROOT_CONTEXT, parent), () => {
        otel().startSpan('child').end();
        otel().startActiveSpan('active child', (span) => {
          assert.equal(trace.getActiveSpan(), span);
          span.end();
        });
      });
      parent.end();
      assert.equal(recording.span('child').parentId, recording.span('parent').spanId);
      assert.equal(recording.span('active child').parentId, recording.span('parent').spanId);
    } finally {
      unregisterOpenTelemetryApi();
      assert.equal(registerOpenTelemetryApi(), true);
    }
  });

  it('the propagator writes and reads the headers our HTTP patches write and read', () => {
    recording = recordingTracer({ inject_headers: ['uber-trace-id', 'traceparent'] });
    const span = otel().startSpan('publish', { kind: SpanKind.PRODUCER });
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
    const { traceId, spanId } = span.spanContext();
    const withoutLeadingZeros = (id: string) => id.replace(/^0+/, '');
    assert.deepEqual(headers['uber-trace-id'].split(':').map(withoutLeadingZeros), [withoutLeadingZeros(traceId), withoutLeadingZeros(spanId), '', '1']);
    assert.equal(headers.traceparent, `00-${traceId}-${spanId}-01`);
    const extracted = trace.getSpan(propagation.extract(ROOT_CONTEXT, headers))!.spanContext();
    assert.deepEqual(extracted, { traceId, spanId, traceFlags: 1, isRemote: true });
    // A consumer's span under the extracted context continues the trace.
    const consume = otel().startSpan('consume', { kind: SpanKind.CONSUMER }, propagation.extract(ROOT_CONTEXT, headers));
    consume.end();
    span.end();
    assert.equal(recording.span('consume').parentId, recording.span('publish').spanId);
  });

  it("OpenTelemetry's Baggage API travels with the trace: set with propagation.setBaggage, injected; extracted, read with getBaggage", () => {
    recording = recordingTracer({ inject_headers: ['uber-trace-id', 'traceparent'] });
    const span = otel().startSpan('publish', { kind: SpanKind.PRODUCER });
    const withBaggage = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, span), propagation.createBaggage({ tenant: { value: 'acme corp' } }));
    const headers: Record<string, string> = {};
    propagation.inject(withBaggage, headers);
    span.end();
    assert.equal(headers['uberctx-tenant'], 'acme%20corp');
    assert.equal(headers.baggage, 'tenant=acme%20corp');
    // Read back on the consuming side, by the Baggage API and by a span started under the extracted context.
    const extracted = propagation.extract(ROOT_CONTEXT, headers);
    assert.equal(propagation.getBaggage(extracted)?.getEntry('tenant')?.value, 'acme corp');
    assert.equal(trace.getSpan(extracted)?.spanContext().spanId, span.spanContext().spanId);
    // Baggage alone, outside any trace: the baggage is read, no span is made up.
    const alone = propagation.extract(ROOT_CONTEXT, { 'uberctx-region': 'eu' });
    assert.equal(propagation.getBaggage(alone)?.getEntry('region')?.value, 'eu');
    assert.equal(trace.getSpan(alone), undefined);
  });
});
