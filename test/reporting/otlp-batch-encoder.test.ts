import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childOf, followsFrom, type Span } from 'opentracing';
import { OtlpBatchEncoder } from './otlp-modules';
import { attributesOf, decodeOtlpRequest, type DecodedOtlpSpan } from './otlp-proto';
import { recordRepeatingSpans, recordingJaegerTracer, type RecordingJaegerTracer } from './recording-jaeger-tracer';

const jaegerTracer = (options: Record<string, unknown> = {}) => recordingJaegerTracer('otlp-test', options);

function encode(test: RecordingJaegerTracer, maxBatchBytes = 1 << 20) {
  const encoder = new OtlpBatchEncoder(maxBatchBytes);
  encoder.setProcess('otlp-test', test.processTags);
  return encoder.encode(test.spans as never[]);
}

/** Every span of a single-batch encoding, by name, with the request it came in. */
function decodedSpans(test: RecordingJaegerTracer) {
  const { batches, tooLarge } = encode(test);
  assert.equal(tooLarge, 0);
  assert.equal(batches.length, 1);
  const request = decodeOtlpRequest(batches[0].bytes);
  assert.equal(request.resourceSpans.length, 1);
  assert.equal(request.resourceSpans[0].scopeSpans?.length, 1);
  const spans = request.resourceSpans[0].scopeSpans![0].spans ?? [];
  const byName = (name: string): DecodedOtlpSpan => {
    const found = spans.filter((span) => span.name === name);
    assert.equal(found.length, 1, `one span ${name}`);
    return found[0];
  };
  return { request, spans, byName };
}

interface ContextIds {
  traceId: Buffer;
  spanId: Buffer;
  parentId: Buffer | null;
  flags: number;
}
const idsOf = (span: Span) => span.context() as unknown as ContextIds;
const hex = (bytes: Buffer | undefined) => bytes?.toString('hex');
/** Unix nanoseconds, as a decimal string, from jaeger-client's milliseconds: the microseconds Thrift carries, × 1000. */
const nanos = (ms: number) => (BigInt(Math.trunc(ms * 1000)) * 1000n).toString();
const timesOf = (span: Span) => span as unknown as { _startTime: number; _duration: number };

describe('the OTLP batch encoder', () => {
  it("writes an ExportTraceServiceRequest that OpenTelemetry's own protobuf code decodes: resource, ids, parents, times, flags", () => {
    const test = jaegerTracer({ traceId128bit: true, tags: { region: 'eu-west', shard: 3, canary: true } });
    const root = test.tracer.startSpan('root', { tags: { 'span.kind': 'server', 'sampling.priority': 1 } });
    const child = test.tracer.startSpan('child é 名前', { childOf: root });
    child.finish();
    root.finish();
    const { request, byName } = decodedSpans(test);

    const resource = attributesOf(request.resourceSpans[0].resource?.attributes);
    assert.deepEqual(resource['service.name'], { stringValue: 'otlp-test' });
    assert.deepEqual(resource.region, { stringValue: 'eu-west' });
    assert.deepEqual(resource.shard, { doubleValue: 3 });
    assert.deepEqual(resource.canary, { boolValue: true });
    // Renamed as Jaeger's translator renames them for a Thrift process (and renames back for its API).
    assert.ok(!('hostname' in resource) && !('jaeger.version' in resource));
    assert.ok('host.name' in resource);
    assert.match(String((resource['opencensus.exporterversion'] as { stringValue: string }).stringValue), /^Jaeger-Node-\d/);
    assert.equal(request.resourceSpans[0].scopeSpans![0].scope, undefined, 'no scope, as Jaeger leaves it for Thrift spans');

    const [rootSpan, childSpan] = [root, child];
    const decodedRoot = byName('root');
    const decodedChild = byName('child é 名前');
    assert.equal(hex(decodedRoot.traceId), idsOf(rootSpan).traceId.toString('hex'));
    assert.equal(decodedRoot.traceId.length, 16);
    assert.equal(hex(decodedRoot.spanId), idsOf(rootSpan).spanId.toString('hex'));
    assert.equal(decodedRoot.parentSpanId, undefined);
    assert.equal(hex(decodedChild.traceId), hex(decodedRoot.traceId));
    assert.equal(hex(decodedChild.spanId), idsOf(childSpan).spanId.toString('hex'));
    assert.equal(hex(decodedChild.parentSpanId), hex(decodedRoot.spanId));
    assert.equal(decodedChild.links, undefined, 'the parent is no link');
    assert.equal(decodedRoot.kind, 2); // SPAN_KIND_SERVER
    assert.equal(decodedChild.kind, undefined); // no span.kind: unspecified, as Jaeger translates it
    assert.equal(decodedRoot.startTimeUnixNano, nanos(timesOf(rootSpan)._startTime));
    assert.equal(decodedRoot.endTimeUnixNano, (BigInt(nanos(timesOf(rootSpan)._startTime)) + BigInt(nanos(timesOf(rootSpan)._duration))).toString());
    assert.equal(decodedRoot.flags, 1, 'sampled; the debug bit has no W3C meaning');
    assert.ok(!('span.kind' in attributesOf(decodedRoot.attributes)));
    assert.deepEqual(attributesOf(decodedRoot.attributes)['sampling.priority'], { doubleValue: 1 });
  });

  it('writes 64-bit trace ids as 16 bytes, left-padded with zeros', () => {
    const test = jaegerTracer({ traceId128bit: false });
    test.tracer.startSpan('one').finish();
    const { byName } = decodedSpans(test);
    const traceId = idsOf(test.spans[0]).traceId;
    assert.equal(traceId.length, 8);
    assert.equal(hex(byName('one').traceId), `0000000000000000${traceId.toString('hex')}`);
  });

  it('types every tag as jaeger-client types it: numbers as doubles, bools, bytes, JSON objects, strings of anything else', () => {
    const test = jaegerTracer();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const span = test.tracer.startSpan('typed', {
      tags: { str: 'text', double: 1.5, integer: 42, negative: -7, yes: true, no: false, object: { a: [1, 'b'] }, binary: Buffer.from([0, 1, 254, 255]) },
    });
    span.setTag('unicode', 'ünïcødé ✓ 🚀');
    span.setTag('long', 'x'.repeat(5000));
    span.setTag('longer', 'y'.repeat(20000)); // the span's length then takes 3 bytes, not the 2 guessed
    span.setTag('undefined', undefined);
    span.setTag('null', null);
    span.setTag('bigint', -(2n ** 62n));
    span.setTag('too big for int64', 2n ** 64n);
    span.setTag('circular', circular);
    span.setTag('empty', '');
    span.finish();
    const attributes = attributesOf(decodedSpans(test).byName('typed').attributes);
    assert.deepEqual(attributes.str, { stringValue: 'text' });
    assert.deepEqual(attributes.double, { doubleValue: 1.5 });
    assert.deepEqual(attributes.integer, { doubleValue: 42 });
    assert.deepEqual(attributes.negative, { doubleValue: -7 });
    assert.deepEqual(attributes.yes, { boolValue: true });
    assert.deepEqual(attributes.no, { boolValue: false });
    assert.deepEqual(attributes.object, { stringValue: '{"a":[1,"b"]}' });
    assert.deepEqual(attributes.binary, { bytesValue: Buffer.from([0, 1, 254, 255]) });
    assert.deepEqual(attributes.unicode, { stringValue: 'ünïcødé ✓ 🚀' });
    assert.deepEqual(attributes.long, { stringValue: 'x'.repeat(5000) });
    assert.deepEqual(attributes.longer, { stringValue: 'y'.repeat(20000) });
    assert.deepEqual(attributes.undefined, { stringValue: 'undefined' });
    assert.deepEqual(attributes.null, { stringValue: 'null' });
    assert.deepEqual(attributes.bigint, { intValue: (-(2n ** 62n)).toString() });
    assert.deepEqual(attributes['too big for int64'], { stringValue: (2n ** 64n).toString() });
    assert.match(String((attributes.circular as { stringValue: string }).stringValue), /^\[unserializable: .*circular/i);
    assert.deepEqual(attributes.empty, { stringValue: '' });
  });

  it('keeps one attribute per key: the last value set, where the key first appeared', () => {
    const test = jaegerTracer();
    const span = test.tracer.startSpan('twice', { tags: { first: 1, again: 'old', last: true } });
    span.setTag('again', 'new');
    span.finish();
    const attributes = decodedSpans(test)
      .byName('twice')
      .attributes!.filter((a) => !a.key.startsWith('sampler.'));
    assert.deepEqual(
      attributes.map((a) => [a.key, a.value.stringValue ?? a.value.doubleValue ?? a.value.boolValue]),
      [
        ['first', 1],
        ['again', 'new'],
        ['last', true],
      ],
    );
  });

  it('writes names and attributes that repeat from span to span as it wrote them the first time, whatever their values and types', () => {
    // Names and span attributes seen before are copied as the bytes they made the first time (as the Thrift
    // encoder does, src/reporting/repeated-tag-bytes): one key with values of every kind, a key past the values
    // kept for it, a -0, tags Jaeger's translator consumes (span.kind) beside ones it keeps.
    const test = jaegerTracer();
    recordRepeatingSpans(test);
    const typed = (value: unknown) =>
      typeof value === 'string' ? { stringValue: value } : typeof value === 'number' ? { doubleValue: value } : { boolValue: value };
    const expected = test.spans.map((span) => {
      const { _operationName: name, _tags: tags } = span as unknown as { _operationName: string; _tags: Array<{ key: string; value: unknown }> };
      return { name, attributes: tags.filter(({ key }) => key !== 'span.kind').map(({ key, value }) => [key, typed(value)]) };
    });
    const encoder = new OtlpBatchEncoder(1 << 20);
    encoder.setProcess('otlp-test', test.processTags);
    // Encoded twice, so the second request is written from what the first one kept.
    for (const pass of ['first', 'second']) {
      const { batches } = encoder.encode(test.spans as never[]);
      assert.equal(batches.length, 1);
      const spans = decodeOtlpRequest(batches[0].bytes).resourceSpans[0].scopeSpans![0].spans ?? [];
      const decoded = spans.map((span) => ({
        name: span.name,
        attributes: (span.attributes ?? []).map(({ key, value }) => [key, attributesOf([{ key, value }])[key]]),
      }));
      assert.deepEqual(decoded, expected, `${pass} pass`);
      const zeros = decoded.flatMap((span) =>
        span.attributes.filter(([key]) => key === 'zero').map(([, value]) => Object.is((value as { doubleValue: number }).doubleValue, -0)),
      );
      assert.deepEqual(zeros.slice(0, 3), [false, true, false], '-0 is written as -0, 0 as 0');
      assert.deepEqual(
        spans.slice(0, 4).map((span) => span.kind),
        [2, 2, 3, 2],
        'span.kind still gives each span its kind',
      );
    }
  });

  it('turns logs into events named by their event field, at their microsecond', () => {
    const test = jaegerTracer();
    const span = test.tracer.startSpan('logged');
    const at = Date.now() + 0.123456;
    span.log({ event: 'error', message: 'boom', code: 500, handled: false }, at);
    span.log({ note: 'no event field' }, at + 1);
    span.log({}, at + 2);
    span.finish();
    const events = decodedSpans(test).byName('logged').events!;
    assert.equal(events.length, 3);
    assert.equal(events[0].name, 'error');
    assert.equal(events[0].timeUnixNano, nanos(at));
    assert.deepEqual(attributesOf(events[0].attributes), { message: { stringValue: 'boom' }, code: { doubleValue: 500 }, handled: { boolValue: false } });
    assert.equal(events[1].name, undefined);
    assert.deepEqual(attributesOf(events[1].attributes), { note: { stringValue: 'no event field' } });
    assert.equal(events[2].attributes, undefined);
  });

  it('turns the error tag and OpenTelemetry status tags into a status, as Jaeger does with Thrift spans', () => {
    const test = jaegerTracer();
    test.tracer.startSpan('failed', { tags: { error: true, 'otel.status_description': 'card declined' } }).finish();
    test.tracer.startSpan('ok', { tags: { 'otel.status_code': 'OK' } }).finish();
    test.tracer.startSpan('not failed', { tags: { error: false } }).finish();
    test.tracer.startSpan('http 503 as text', { tags: { 'http.status_code': '503', 'http.status_message': 'unavailable' } }).finish();
    test.tracer.startSpan('http 500 as a number', { tags: { 'http.status_code': 500 } }).finish();
    test.tracer.startSpan('client 404', { tags: { 'span.kind': 'client', 'http.status_code': '404' } }).finish();
    test.tracer.startSpan('server 404', { tags: { 'span.kind': 'server', 'http.status_code': '404' } }).finish();
    test.tracer.startSpan('odd kind', { tags: { 'span.kind': 'constructor' } }).finish();
    const { byName } = decodedSpans(test);
    const view = (name: string) => {
      const span = byName(name);
      const attributes = attributesOf(span.attributes);
      return { status: span.status, keys: Object.keys(attributes).filter((key) => !key.startsWith('sampler.')) };
    };
    assert.deepEqual(view('failed'), { status: { code: 2, message: 'card declined' }, keys: [] });
    assert.deepEqual(view('ok'), { status: { code: 1 }, keys: [] });
    assert.deepEqual(view('not failed'), { status: undefined, keys: ['error'] });
    assert.deepEqual(view('http 503 as text'), {
      status: { code: 2, message: 'unavailable' },
      keys: ['http.status_code', 'http.status_message'],
    });
    // jaeger-client sends numbers as doubles, which Jaeger's translator does not read as an HTTP status.
    assert.deepEqual(view('http 500 as a number'), { status: undefined, keys: ['http.status_code'] });
    assert.deepEqual(view('client 404'), { status: { code: 2 }, keys: ['http.status_code'] });
    assert.deepEqual(view('server 404'), { status: undefined, keys: ['http.status_code'] });
    // A kind Jaeger does not know: unspecified, the tag consumed all the same.
    assert.deepEqual([byName('odd kind').kind, view('odd kind').keys], [undefined, []]);
  });

  it('keeps references other than the parent as links typed by opentracing.ref_type', () => {
    const test = jaegerTracer({ traceId128bit: true });
    const a = test.tracer.startSpan('a');
    const b = test.tracer.startSpan('b', { childOf: a });
    const follower = test.tracer.startSpan('follower', { references: [followsFrom(b.context())] });
    const both = test.tracer.startSpan('both', { references: [childOf(b.context()), followsFrom(follower.context())] });
    for (const span of [both, follower, b, a]) span.finish();
    const { byName } = decodedSpans(test);
    const refType = (link: NonNullable<DecodedOtlpSpan['links']>[number]) => attributesOf(link.attributes)['opentracing.ref_type'];
    // A follows-from alone is the parent Jaeger infers, and also a link, which is what says its type.
    assert.equal(hex(byName('follower').parentSpanId), hex(byName('b').spanId));
    assert.deepEqual(
      byName('follower').links!.map((link) => [hex(link.traceId), hex(link.spanId), refType(link)]),
      [[hex(byName('b').traceId), hex(byName('b').spanId), { stringValue: 'follows_from' }]],
    );
    assert.equal(hex(byName('both').parentSpanId), hex(byName('b').spanId));
    assert.deepEqual(
      byName('both').links!.map((link) => [hex(link.spanId), refType(link)]),
      [[hex(byName('follower').spanId), { stringValue: 'follows_from' }]],
    );
  });

  it('leaves out a span whose encoding fails partway, counts it, and keeps this request and the next whole', () => {
    const test = recordingJaegerTracer('otlp-test');
    test.tracer.startSpan('before').finish();
    test.tracer.startSpan(undefined as unknown as string).finish();
    test.tracer.startSpan('after').finish();
    const encoder = new OtlpBatchEncoder(1 << 20);
    encoder.setProcess('otlp-test', test.processTags);
    const names = (bytes: Buffer) => decodeOtlpRequest(bytes).resourceSpans[0].scopeSpans![0].spans!.map((span) => span.name);
    const first = encoder.encode(test.spans as never[]);
    assert.equal(first.failed, 1);
    assert.deepEqual(
      first.batches.map((batch) => names(batch.bytes)),
      [['before', 'after']],
    );
    test.tracer.startSpan('next').finish();
    assert.deepEqual(
      encoder.encode(test.spans.slice(-1) as never[]).batches.map((batch) => names(batch.bytes)),
      [['next']],
    );
  });

  it('splits spans into requests within the byte limit, losing none, keeping their order, and counts a span too large alone', () => {
    const test = jaegerTracer();
    for (let i = 0; i < 2000; i += 1) test.tracer.startSpan(`operation-${i}`, { tags: { index: i, note: 'n'.repeat(i % 300) } }).finish();
    test.tracer.startSpan('huge', { tags: { blob: 'x'.repeat(70000) } }).finish();
    const { batches, tooLarge } = encode(test, 20000);
    assert.equal(tooLarge, 1);
    assert.ok(batches.length > 10, `${batches.length} requests`);
    for (const batch of batches) assert.ok(batch.bytes.length <= 20000, `a request of ${batch.bytes.length} bytes`);
    const decoded = batches.map((batch) => decodeOtlpRequest(batch.bytes).resourceSpans[0].scopeSpans![0].spans!.map((span) => span.name));
    assert.deepEqual(
      decoded.flat(),
      Array.from({ length: 2000 }, (_, i) => `operation-${i}`),
    );
    assert.deepEqual(
      batches.map((batch) => batch.spanCount),
      decoded.map((names) => names.length),
    );
  });
});
