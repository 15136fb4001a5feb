// initTracer()'s tracer starts the span of a decorated call itself when its parent is a sampled span of its own
// (src/tracer/jaeger-span-starters), past jaeger-client's startSpan(). What a user sees must be what startSpan()
// made: the same trace, the parent's id, baggage and flags, the decorator's tags, a new id every time, and the
// same counts in jaeger-client's metrics. Anything else still goes through startSpan().
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { SpanKind, trace } from '@opentelemetry/api';
import { initTracer as jaegerInitTracer, InMemoryReporter } from 'jaeger-client';
import { Span, withSpan } from 'jaeger-decorators';
import { registerOpenTelemetryApi, unregisterOpenTelemetryApi } from 'jaeger-decorators/opentelemetry';
import type { Span as OpenTracingSpan, SpanOptions, Tracer } from 'opentracing';
import { closeTracer, recordingTracer } from '../support/recording-tracer';

interface JaegerContextInternals {
  _traceId: Uint8Array;
  _spanId: Uint8Array;
  _parentId: Uint8Array | null;
  flags: number;
  baggage: Record<string, string>;
}

function contextOf(span: OpenTracingSpan): JaegerContextInternals {
  return span.context() as unknown as JaegerContextInternals;
}

const hex = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('hex'));

/** Counts the calls of `tracer.startSpan`, for the duration of `fn`. */
function countingStartSpan<T>(tracer: Tracer, fn: () => T): { result: T; calls: number } {
  const original = tracer.startSpan;
  let calls = 0;
  tracer.startSpan = function counted(this: Tracer, name: string, options?: SpanOptions) {
    calls += 1;
    return Reflect.apply(original, this, [name, options]) as OpenTracingSpan;
  };
  try {
    return { result: fn(), calls };
  } finally {
    tracer.startSpan = original;
  }
}

class Inventory {
  seen: OpenTracingSpan[] = [];

  @Span({ tags: { 'db.type': 'memory' } })
  lookup(getActive: () => OpenTracingSpan | undefined): string | undefined {
    const active = getActive()!;
    this.seen.push(active);
    return active.getBaggageItem('tenant');
  }
}

describe('the span of a decorated call under a sampled span of initTracer()’s tracer', () => {
  afterEach(() => closeTracer());

  it('is the child startSpan() would make: same trace, parent, flags and baggage, the decorator’s tags, a new id', async () => {
    const recording = recordingTracer();
    const { getActiveSpan } = await import('jaeger-decorators');
    const parent = recording.tracer.startSpan('request');
    parent.setBaggageItem('tenant', 'acme');
    const inventory = new Inventory();
    // The span is started without the tracer's public startSpan() being asked.
    const { result, calls } = countingStartSpan(recording.tracer, () => withSpan(parent, () => inventory.lookup(getActiveSpan)));
    assert.equal(calls, 0, 'the child is started by initTracer()’s own starter');
    assert.equal(result, 'acme', 'the parent’s baggage is read inside the call');

    // The same child, made by hand through the public API, is the reference.
    const byHand = recording.tracer.startSpan('Inventory.lookup', { childOf: parent, tags: { 'db.type': 'memory' } });
    byHand.finish();
    parent.finish();

    const [child] = inventory.seen;
    const made = contextOf(child);
    const reference = contextOf(byHand);
    const parentContext = contextOf(parent);
    assert.equal(hex(made._traceId), hex(parentContext._traceId));
    assert.equal(hex(made._parentId), hex(parentContext._spanId));
    assert.equal(made._spanId.length, 8);
    assert.notEqual(hex(made._spanId), hex(parentContext._spanId));
    assert.equal(made.flags, reference.flags);
    assert.deepEqual(made.baggage, reference.baggage);

    // jaeger-client's id strings drop leading zeros.
    const recordedWithId = (bytes: Uint8Array) => recording.spans().find((span) => span.spanId === hex(bytes)!.replace(/^0+(?=.)/, ''));
    const recorded = recordedWithId(made._spanId);
    const recordedByHand = recordedWithId(reference._spanId);
    assert.ok(recorded && recordedByHand, 'both children are recorded');
    assert.deepEqual(recorded.tags, recordedByHand.tags);
    assert.deepEqual(recorded.references, recordedByHand.references);
    assert.equal(recorded.parentId, recording.span('request').spanId);
  });

  it('counts the span in jaeger-client’s metrics as startSpan() does', () => {
    const counts = new Map<string, number>();
    const counter = (name: string) => ({ increment: (delta: number) => counts.set(name, (counts.get(name) ?? 0) + delta) });
    const metrics = {
      createCounter: (name: string, tags: Record<string, string> = {}) => counter(`${name}${JSON.stringify(tags)}`),
      createGauge: () => ({ update() {} }),
      createTimer: () => ({ record() {} }),
    };
    const recording = recordingTracer({}, { metrics });
    const parent = recording.tracer.startSpan('request');
    const started = () => [...counts].filter(([name]) => name.includes('started')).map(([name, count]) => `${name}=${count}`);
    const before = started();
    withSpan(parent, () => new Inventory().lookup(() => parent));
    const afterDecorated = started();
    recording.tracer.startSpan('by hand', { childOf: parent }).finish();
    const afterByHand = started();
    assert.notDeepEqual(afterDecorated, before, 'the decorated call’s span is counted');
    // A child started by hand moves the same counters by the same amounts.
    const moved = (from: string[], to: string[]) => to.filter((entry) => !from.includes(entry)).map((entry) => entry.replace(/=\d+$/, ''));
    assert.deepEqual(moved(afterDecorated, afterByHand), moved(before, afterDecorated));
  });

  it('makes a new id for every span, and 128-bit trace ids with traceId128bit', () => {
    const recording = recordingTracer({}, { traceId128bit: true });
    const parent = recording.tracer.startSpan('request');
    const inventory = new Inventory();
    for (let i = 0; i < 5000; i += 1) withSpan(parent, () => inventory.lookup(() => parent));
    const ids = new Set(recording.spans().map((span) => span.spanId));
    assert.equal(ids.size, 5000, 'no span id was made twice');
    const traceId = hex(contextOf(parent)._traceId)!;
    assert.equal(traceId.length, 32);
    for (const span of recording.spans()) assert.equal(span.traceId.padStart(32, '0'), traceId.padStart(32, '0'));
  });

  it('leaves a parent it did not make to startSpan(): a span of another jaeger-client tracer', () => {
    const recording = recordingTracer();
    const other = jaegerInitTracer({ serviceName: 'other', sampler: { type: 'const', param: 1 } }, { reporter: new InMemoryReporter() });
    const foreign = other.startSpan('foreign');
    const { calls } = countingStartSpan(recording.tracer, () => withSpan(foreign, () => new Inventory().lookup(() => foreign)));
    assert.equal(calls, 1, 'startSpan() makes the child of a span it did not start');
    const child = recording.span('Inventory.lookup');
    assert.equal(child.parentId, (foreign.context() as unknown as { spanIdStr: string }).spanIdStr);
    (other as unknown as { close(): void }).close();
  });
});

describe('an OpenTelemetry span under a sampled span of initTracer()’s tracer', () => {
  before(() => assert.equal(registerOpenTelemetryApi(), true));
  after(() => unregisterOpenTelemetryApi());
  afterEach(() => closeTracer());

  it('is started by the same starter, with its links-free options mapped as before', () => {
    const recording = recordingTracer();
    const parent = recording.tracer.startSpan('request');
    const tracer = trace.getTracer('orders-instrumentation', '1.2.3');
    const { calls } = countingStartSpan(recording.tracer, () =>
      withSpan(parent, () =>
        tracer.startActiveSpan('SELECT orders', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } }, (span) => span.end()),
      ),
    );
    assert.equal(calls, 0, 'initTracer()’s starter made the span');
    parent.finish();
    const query = recording.span('SELECT orders');
    assert.equal(query.parentId, recording.span('request').spanId);
    assert.deepEqual(query.tags, {
      'span.kind': 'client',
      'otel.scope.name': 'orders-instrumentation',
      'otel.scope.version': '1.2.3',
      'db.system': 'postgresql',
    });
  });
});
