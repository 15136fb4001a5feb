import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { closeTracer, initTracer, type TracerConfig } from 'jaeger-decorators';
import { childOf, followsFrom, type Tracer } from 'opentracing';
import { describeWithJaeger, requireJaeger, uniqueService, waitForTrace, type JaegerKeyValue, type JaegerTrace } from '../support/jaeger-api';

// One moment in the past, so that both sends carry exactly the same times.
const T0 = Date.now() - 60_000 + 0.4567;
const PROCESS_TAGS = { region: 'eu-west', shard: 3, canary: true, ratio: 0.25 };

/**
 * The same spans whichever protocol carries them: every span kind, tags of every type, an error, OpenTelemetry
 * status tags, logs with and without an `event`, child-of, follows-from and an extra reference, a tag set twice,
 * fixed times. Returns the trace id as Jaeger prints it.
 */
function makeSpans(tracer: Tracer): string {
  const root = tracer.startSpan('checkout', {
    startTime: T0,
    tags: {
      'span.kind': 'server',
      'http.method': 'POST',
      'http.status_code': 200,
      text: 'plain ascii',
      unicode: 'ünïcødé ✓ 名前 🚀',
      double: 1.5,
      integer: 42,
      negative: -7,
      big: 2 ** 40 + 1,
      yes: true,
      no: false,
      object: { nested: [1, 'two', { three: 3 }] },
      binary: Buffer.from([0, 1, 2, 254, 255]),
      empty: '',
      long: 'long '.repeat(800),
    },
  });
  root.setTag('text', 'set twice, the last one counts');
  const charge = tracer.startSpan('charge card', { childOf: root, startTime: T0 + 1.25, tags: { 'span.kind': 'client', 'peer.service': 'payments' } });
  charge.log({ event: 'retry', attempt: 2, backoff: 0.5, final: false, detail: { code: 'E42' } }, T0 + 2.5);
  charge.log(
    { event: 'error', 'error.kind': 'TypeError', message: 'card declined ✗', stack: 'TypeError: card declined\n    at charge (pay.ts:1:1)' },
    T0 + 3.75,
  );
  charge.log({ note: 'a log without an event field' }, T0 + 3.8);
  charge.setTag('error', true);
  charge.setTag('otel.status_description', 'card declined');
  charge.finish(T0 + 4.125);
  const publish = tracer.startSpan('publish receipt', {
    references: [followsFrom(charge.context())],
    startTime: T0 + 5,
    tags: { 'span.kind': 'producer', 'otel.status_code': 'OK' },
  });
  publish.finish(T0 + 6.5);
  const consume = tracer.startSpan('consume receipt', {
    references: [childOf(publish.context()), followsFrom(charge.context())],
    startTime: T0 + 6.75,
    tags: { 'span.kind': 'consumer', error: false, 'http.status_code': '503' },
  });
  consume.finish(T0 + 7);
  const internal = tracer.startSpan('render', { childOf: root, startTime: T0 + 7.125, tags: { 'span.kind': 'internal' } });
  internal.finish(T0 + 7.25);
  root.finish(T0 + 7.875);
  return (root.context() as unknown as { traceIdStr: string }).traceIdStr.padStart(32, '0');
}

const SPANS = 5;
const sortedTags = (tags: JaegerKeyValue[]) => [...tags].sort((a, b) => a.key.localeCompare(b.key));

/** A trace as Jaeger's API returns it, with ids turned into operation names and the service's suffix cut. */
function comparable(trace: JaegerTrace) {
  const names = new Map(trace.spans.map((span) => [span.spanID, span.operationName]));
  const spans = trace.spans
    .map((span) => {
      const process = trace.processes[span.processID];
      return {
        operationName: span.operationName,
        references: span.references.map((ref) => [ref.refType, names.get(ref.spanID), ref.traceID === span.traceID]),
        startTime: span.startTime,
        duration: span.duration,
        tags: sortedTags(span.tags),
        logs: span.logs.map((log) => ({ timestamp: log.timestamp, fields: sortedTags(log.fields) })),
        warnings: span.warnings ?? null,
        process: {
          serviceName: process.serviceName.replace(/-(thrift|otlp)$/, ''),
          tags: sortedTags(process.tags.filter((tag) => tag.key !== 'client-uuid')),
        },
      };
    })
    .sort((a, b) => a.operationName.localeCompare(b.operationName));
  return { traceIdDigits: trace.traceID.length, spans };
}

/** The spans made twice by our tracer, sent once over Thrift/HTTP and once over OTLP/HTTP, as Jaeger returns them. */
async function sentBothWays(traceId128bit: boolean): Promise<{ thrift: JaegerTrace; otlp: JaegerTrace }> {
  const jaeger = requireJaeger();
  const service = uniqueService('otlp');
  const send = async (suffix: string, reporter: TracerConfig['reporter']) => {
    const tracer = initTracer(
      `${service}-${suffix}`,
      { reporter, sampler: { type: 'const', param: 1 }, generate_128bit_trace_id: traceId128bit },
      { tags: PROCESS_TAGS },
    );
    const traceId = makeSpans(tracer);
    await closeTracer();
    return waitForTrace(traceId, { spans: SPANS });
  };
  const thrift = await send('thrift', { collectorEndpoint: jaeger.collectorUrl });
  const otlp = await send('otlp', { otlpEndpoint: `${jaeger.otlpHttpUrl}/v1/traces` });
  return { thrift, otlp };
}

describeWithJaeger('OTLP/HTTP export, read back from the real Jaeger', () => {
  afterEach(() => closeTracer());

  it('Jaeger returns the same spans sent over OTLP as over Thrift: names, parents, references, tags, logs, times (128-bit ids)', async () => {
    const { thrift, otlp } = await sentBothWays(true);
    assert.equal(otlp.spans.length, SPANS);
    assert.equal(otlp.traceID.length, 32);
    assert.deepEqual(comparable(otlp), comparable(thrift));
  });

  it('the same with 64-bit trace ids', async () => {
    const { thrift, otlp } = await sentBothWays(false);
    assert.equal(otlp.spans.length, SPANS);
    assert.deepEqual(comparable(otlp), comparable(thrift));
  });

  it('shows what a user looks for: kinds, the error, the events, parents and durations', async () => {
    const { otlp } = await sentBothWays(true);
    const view = comparable(otlp);
    const span = (name: string) => view.spans.find((s) => s.operationName === name)!;
    const tag = (name: string, key: string) => span(name).tags.find((t) => t.key === key)?.value;
    assert.equal(tag('checkout', 'span.kind'), 'server');
    assert.equal(tag('charge card', 'span.kind'), 'client');
    assert.equal(tag('publish receipt', 'span.kind'), 'producer');
    assert.equal(tag('consume receipt', 'span.kind'), 'consumer');
    assert.equal(tag('render', 'span.kind'), 'internal');
    assert.equal(tag('checkout', 'text'), 'set twice, the last one counts');
    assert.equal(tag('checkout', 'integer'), 42);
    assert.equal(tag('checkout', 'unicode'), 'ünïcødé ✓ 名前 🚀');
    assert.equal(tag('charge card', 'error'), true);
    assert.equal(tag('charge card', 'otel.status_description'), 'card declined');
    assert.deepEqual(span('charge card').references, [['CHILD_OF', 'checkout', true]]);
    assert.deepEqual(
      span('charge card').logs.map((log) => log.fields.find((f) => f.key === 'event')?.value),
      ['retry', 'error', undefined],
    );
    assert.deepEqual(span('publish receipt').references, [['FOLLOWS_FROM', 'charge card', true]]);
    assert.deepEqual(span('consume receipt').references, [
      ['CHILD_OF', 'publish receipt', true],
      ['FOLLOWS_FROM', 'charge card', true],
    ]);
    assert.equal(span('checkout').duration, 7875);
    assert.equal(span('charge card').duration, 2875);
    assert.deepEqual(
      span('checkout')
        .process.tags.filter((t) => ['region', 'shard', 'canary'].includes(t.key))
        .map((t) => [t.key, t.value]),
      [
        ['canary', true],
        ['region', 'eu-west'],
        ['shard', 3],
      ],
    );
  });
});
