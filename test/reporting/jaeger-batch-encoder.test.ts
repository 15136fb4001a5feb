import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { followsFrom, type Span } from 'opentracing';
import { decodeAgentPacket, decodeCollectorBatch, i64, tagValue, type DecodedSpan, type DecodedTag } from './jaeger-idl';
import { JaegerBatchEncoder } from './reporting-modules';
import { recordRepeatingSpans, recordingJaegerTracer, type RecordingJaegerTracer } from './recording-jaeger-tracer';

interface JaegerThriftTag {
  key: string;
  vType: string;
  vStr: string;
  vDouble: number;
  vBool: boolean;
  vLong: Buffer;
  vBinary: Buffer;
}

// jaeger-client's own conversion of a span, the one its RemoteReporter hands to thriftrw.
const ThriftUtils = (
  require('jaeger-client/dist/src/thrift.js') as {
    default: { spanToThrift(span: unknown): Record<string, unknown>; getThriftTags(tags: unknown[]): JaegerThriftTag[] };
  }
).default;

const jaegerTracer = (options: Record<string, unknown> = {}) => recordingJaegerTracer('encoder-test', options);

/** Spans with every kind of content Jaeger's span struct carries. */
function richSpans({ tracer, spans }: RecordingJaegerTracer): Span[] {
  const root = tracer.startSpan('root', { tags: { 'span.kind': 'server', 'sampling.priority': 1 } });
  const child = tracer.startSpan('child é 名前', {
    childOf: root,
    tags: { str: 'text', double: 1.5, integer: 42, negative: -7, yes: true, no: false, object: { a: [1, 'b'] }, binary: Buffer.from([0, 1, 254, 255]) },
  });
  child.setTag('unicode', 'ünïcødé ✓ 🚀');
  child.setTag('long', 'x'.repeat(5000));
  child.setTag('undefined', undefined);
  child.setTag('null', null);
  child.log({ event: 'error', message: 'boom', code: 500, handled: false });
  child.log({});
  child.finish();
  const follower = tracer.startSpan('follower', { references: [followsFrom(child.context())] });
  follower.finish();
  root.finish();
  return [...spans];
}

const hex = (bytes: Buffer | null | undefined) => (bytes === null || bytes === undefined ? '0000000000000000' : bytes.toString('hex'));
const normalTags = (tags: Array<DecodedTag | JaegerThriftTag> | null | undefined) =>
  (tags ?? []).map((tag) => {
    const value = tagValue(tag as DecodedTag);
    return [tag.key, tag.vType, Buffer.isBuffer(value) ? `binary:${value.toString('hex')}` : value];
  });

/** A span as Jaeger reads it: only the fields the tag types name, ids as hex, times as numbers. */
function normalSpan(span: DecodedSpan | Record<string, any>) {
  return {
    traceIdLow: hex(span.traceIdLow),
    traceIdHigh: hex(span.traceIdHigh),
    spanId: hex(span.spanId),
    parentSpanId: hex(span.parentSpanId),
    operationName: span.operationName,
    references: (span.references ?? []).map((ref: any) => [ref.refType, hex(ref.traceIdLow), hex(ref.traceIdHigh), hex(ref.spanId)]),
    flags: span.flags,
    startTime: i64(span.startTime),
    duration: i64(span.duration),
    tags: normalTags(span.tags),
    logs: (span.logs ?? []).map((log: any) => [i64(log.timestamp), normalTags(log.fields)]),
  };
}

describe('the Jaeger batch encoder', () => {
  it("writes a collector batch that jaeger-client's own Thrift definitions decode to what jaeger-client would send", () => {
    const test = jaegerTracer({ traceId128bit: true, tags: { region: 'eu-west', shard: 3, canary: true } });
    const spans = richSpans(test);
    const encoder = new JaegerBatchEncoder('collector', 1 << 20);
    encoder.setProcess('encoder-test', test.processTags);

    const { batches, tooLarge } = encoder.encode(spans as never[]);
    assert.equal(tooLarge, 0);
    assert.equal(batches.length, 1);
    const batch = decodeCollectorBatch(batches[0].bytes);

    assert.ok(batch.spans.some((span) => (span.references ?? []).length > 0));
    assert.ok(
      batch.spans.some((span) => span.flags === 3),
      'the debug flag (sampling.priority) is kept',
    );
    assert.equal(batch.process.serviceName, 'encoder-test');
    assert.deepEqual(normalTags(batch.process.tags), normalTags(ThriftUtils.getThriftTags(test.processTags)));
    assert.deepEqual(
      batch.spans.map((span) => normalSpan(span)),
      spans.map((span) => normalSpan(ThriftUtils.spanToThrift(span))),
    );
  });

  it('writes tags and names that repeat from span to span as jaeger-client would, whatever their values and types', () => {
    // Tags seen before are written as the bytes they made the first time (src/reporting/repeated-tag-bytes), and
    // operation names too: one key with values of every kind, a key past the values kept for it, a -0.
    const test = jaegerTracer();
    recordRepeatingSpans(test);
    const encoder = new JaegerBatchEncoder('collector', 1 << 20);
    encoder.setProcess('encoder-test', test.processTags);
    // Encoded twice, so the second batch is written from what the first one kept.
    for (const pass of ['first', 'second']) {
      const { batches } = encoder.encode(test.spans as never[]);
      assert.equal(batches.length, 1);
      const decoded = decodeCollectorBatch(batches[0].bytes).spans.map((span) => normalSpan(span));
      assert.deepEqual(
        decoded,
        test.spans.map((span) => normalSpan(ThriftUtils.spanToThrift(span))),
        `${pass} pass`,
      );
      const zeros = decoded.flatMap((span) => span.tags.filter(([key]) => key === 'zero').map(([, , value]) => Object.is(value, -0)));
      assert.deepEqual(zeros.slice(0, 3), [false, true, false], '-0 is written as -0, 0 as 0');
    }
  });

  it('writes the tag lists that spans of one name begin alike as jaeger-client would, wherever the lists part', () => {
    // A name's spans' common first tags are copied as one run (src/reporting/repeated-tag-runs): lists that begin
    // with the whole run, part from it at its first tag or later, stop short of it, put a -0 where it has a 0 or
    // another key before the same value, hold a value kept nowhere (an object), and spans without the sampler's
    // tags under a root's name.
    const test = jaegerTracer();
    const { tracer } = test;
    const request = { 'span.kind': 'server', component: 'express', 'http.method': 'GET', zero: 0, ok: true };
    const shapes: Array<Record<string, unknown>> = [
      request,
      request,
      { ...request, ok: false },
      { ...request, zero: -0 },
      { 'span.kind': 'server', component: 'express' },
      { ...request, payload: { id: 1 }, after: 'x' },
      { ...request, 'peer.port': 40001 },
      { 'span.kind': 'server', framework: 'express', 'http.method': 'GET', zero: 0, ok: true },
      request,
    ];
    for (let round = 0; round < 2; round += 1) {
      for (const tags of shapes) {
        const root = tracer.startSpan('GET /runs', { tags });
        // Same name, without the sampler's tags: shares nothing of the root's run, then all of its own.
        for (let child = 0; child < 6; child += 1)
          tracer.startSpan('GET /runs', { childOf: root, tags: child % 3 === 2 ? { ...tags, zero: -0 } : tags }).finish();
        root.finish();
      }
    }
    const encoder = new JaegerBatchEncoder('collector', 1 << 20);
    encoder.setProcess('encoder-test', test.processTags);
    for (const pass of ['first', 'second']) {
      const decoded = decodeCollectorBatch(encoder.encode(test.spans as never[]).batches[0].bytes).spans.map((span) => normalSpan(span));
      assert.deepEqual(
        decoded,
        test.spans.map((span) => normalSpan(ThriftUtils.spanToThrift(span))),
        `${pass} pass`,
      );
      const zeros = decoded.flatMap((span) => span.tags.filter(([key]) => key === 'zero').map(([, , value]) => Object.is(value, -0)));
      const expected = test.spans.flatMap((span) =>
        (span as unknown as { _tags: Array<{ key: string; value: unknown }> })._tags
          .filter(({ key }) => key === 'zero')
          .map(({ value }) => Object.is(value, -0)),
      );
      assert.ok(expected.includes(true) && expected.includes(false));
      assert.deepEqual(zeros, expected, '-0 is written as -0, 0 as 0');
    }
  });

  it('keeps 128-bit trace ids in traceIdHigh and traceIdLow, and 64-bit ones with a zero traceIdHigh', () => {
    for (const traceId128bit of [true, false]) {
      const test = jaegerTracer({ traceId128bit });
      test.tracer.startSpan('one').finish();
      const encoder = new JaegerBatchEncoder('collector', 1 << 20);
      encoder.setProcess('encoder-test', test.processTags);
      const [span] = decodeCollectorBatch(encoder.encode(test.spans as never[]).batches[0].bytes).spans;
      const traceId = (test.spans[0].context() as unknown as { traceId: Buffer }).traceId.toString('hex');
      assert.equal(hex(span.traceIdHigh) + hex(span.traceIdLow), traceId.padStart(32, '0'));
    }
  });

  it('writes a UDP packet that decodes as the oneway Agent.emitBatch call jaeger-client sends', () => {
    const test = jaegerTracer();
    const spans = richSpans(test);
    const encoder = new JaegerBatchEncoder('agent', 65000);
    encoder.setProcess('encoder-test', test.processTags);
    const { batches } = encoder.encode(spans as never[]);
    assert.equal(batches.length, 1);
    const message = decodeAgentPacket(batches[0].bytes);
    assert.equal(message.name, 'emitBatch');
    assert.equal(message.type, 'ONEWAY');
    assert.deepEqual(
      message.body.batch.spans.map((span) => normalSpan(span)),
      spans.map((span) => normalSpan(ThriftUtils.spanToThrift(span))),
    );
  });

  it('splits spans that do not fit one packet into packets within the limit, losing none and keeping their order', () => {
    const test = jaegerTracer();
    for (let i = 0; i < 2000; i += 1) test.tracer.startSpan(`operation-${i}`, { tags: { index: i, note: 'n'.repeat(i % 300) } }).finish();
    const encoder = new JaegerBatchEncoder('agent', 8000);
    encoder.setProcess('encoder-test', test.processTags);
    const { batches, tooLarge } = encoder.encode(test.spans as never[]);
    assert.equal(tooLarge, 0);
    assert.ok(batches.length > 10, `${batches.length} packets`);
    for (const batch of batches) assert.ok(batch.bytes.length <= 8000, `a packet of ${batch.bytes.length} bytes`);
    const names = batches.flatMap((batch) => decodeAgentPacket(batch.bytes).body.batch.spans.map((span) => span.operationName));
    assert.deepEqual(
      names,
      test.spans.map((_, i) => `operation-${i}`),
    );
    assert.deepEqual(
      batches.map((batch) => batch.spanCount),
      batches.map((batch) => decodeAgentPacket(batch.bytes).body.batch.spans.length),
    );
  });

  it('drops a span larger than a packet on its own, counts it, and sends the others', () => {
    const test = jaegerTracer();
    test.tracer.startSpan('small-1').finish();
    test.tracer.startSpan('huge', { tags: { blob: 'x'.repeat(70000) } }).finish();
    test.tracer.startSpan('small-2').finish();
    const encoder = new JaegerBatchEncoder('agent', 65000);
    encoder.setProcess('encoder-test', test.processTags);
    const { batches, tooLarge } = encoder.encode(test.spans as never[]);
    assert.equal(tooLarge, 1);
    assert.deepEqual(
      batches.flatMap((batch) => decodeAgentPacket(batch.bytes).body.batch.spans.map((span) => span.operationName)),
      ['small-1', 'small-2'],
    );
  });

  it('leaves out a span whose encoding fails partway, counts it, and keeps this batch and the next whole', () => {
    const test = jaegerTracer();
    test.tracer.startSpan('before').finish();
    // No operation name: what a span made by hand could carry. Its ids and times are written before the name throws.
    test.tracer.startSpan(undefined as unknown as string).finish();
    test.tracer.startSpan('after').finish();
    const encoder = new JaegerBatchEncoder('agent', 65000);
    encoder.setProcess('encoder-test', test.processTags);
    const first = encoder.append(test.spans as never[]);
    assert.equal(first.failed, 1);
    assert.match(first.failure ?? '', /length/);
    assert.equal(encoder.openSpans, 2);
    const names = (bytes: Buffer) => decodeAgentPacket(bytes).body.batch.spans.map((span) => span.operationName);
    assert.deepEqual(names(encoder.finishOpen()!.bytes), ['before', 'after']);
    test.tracer.startSpan('next').finish();
    const next = encoder.encode(test.spans.slice(-1) as never[]);
    assert.deepEqual(
      next.batches.map((batch) => names(batch.bytes)),
      [['next']],
    );
  });

  it('keeps a batch open across appends until it is full, and builds an empty batch without touching it', () => {
    const test = jaegerTracer();
    for (let i = 0; i < 600; i += 1) test.tracer.startSpan(`operation-${i}`, { tags: { note: 'n'.repeat(100) } }).finish();
    const encoder = new JaegerBatchEncoder('agent', 65000);
    encoder.setProcess('encoder-test', test.processTags);
    const spans = test.spans as never[];
    const filled = [];
    for (let i = 0; i < spans.length; i += 32) {
      filled.push(...encoder.append(spans.slice(i, i + 32)).batches);
      assert.equal(decodeAgentPacket(encoder.emptyBatch()).body.batch.spans.length, 0);
    }
    const last = encoder.finishOpen()!;
    assert.equal(encoder.openSpans, 0);
    assert.equal(encoder.finishOpen(), undefined);
    const names = [...filled, last].flatMap((batch) => decodeAgentPacket(batch.bytes).body.batch.spans.map((span) => span.operationName));
    assert.deepEqual(
      names,
      Array.from({ length: 600 }, (_, i) => `operation-${i}`),
    );
    for (const batch of filled) assert.ok(batch.bytes.length > 64000 && batch.bytes.length <= 65000, `a full batch of ${batch.bytes.length} bytes`);
  });

  it('sends a tag value that JSON cannot write as a note, instead of failing the batch', () => {
    const test = jaegerTracer();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    test.tracer.startSpan('circular', { tags: { circular, big: 10n } }).finish();
    const encoder = new JaegerBatchEncoder('collector', 1 << 20);
    encoder.setProcess('encoder-test', test.processTags);
    const [span] = decodeCollectorBatch(encoder.encode(test.spans as never[]).batches[0].bytes).spans;
    const tags = Object.fromEntries(normalTags(span.tags).map(([key, , value]) => [key, value]));
    assert.match(String(tags.circular), /^\[unserializable: .*circular/i);
    assert.equal(tags.big, '10');
  });
});
