import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { extractSpanContext, traceHeaders } from 'jaeger-decorators';
import { closeTracer, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

const PARENT = 'a1b2c3d4e5f60718:1122334455667788:0:1';

function ids(context: unknown): { traceId: string; spanId: string } {
  const jaeger = context as { traceIdStr: string; spanIdStr: string };
  return { traceId: jaeger.traceIdStr, spanId: jaeger.spanIdStr };
}

describe('trace context propagation', () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it("joins a caller that sends Jaeger's uber-trace-id", () => {
    const context = extractSpanContext({ 'uber-trace-id': PARENT });
    assert.deepEqual(ids(context), { traceId: 'a1b2c3d4e5f60718', spanId: '1122334455667788' });
  });

  it("joins a caller that sends the Python seed's header, as its jaeger_client writes it (trace-id)", () => {
    assert.equal(ids(extractSpanContext({ 'trace-id': PARENT })).traceId, 'a1b2c3d4e5f60718');
  });

  it('joins a caller that still sends trace_id with an underscore (version 0.1 of this library)', () => {
    assert.equal(ids(extractSpanContext({ trace_id: PARENT })).traceId, 'a1b2c3d4e5f60718');
  });

  it('reads header names in any case and the first of repeated values', () => {
    assert.equal(ids(extractSpanContext({ 'Uber-Trace-Id': [PARENT, 'junk'] })).spanId, '1122334455667788');
  });

  it('prefers the configured trace_id_header, then uber-trace-id, then trace-id and trace_id', async () => {
    await closeTracer();
    recording = recordingTracer({ trace_id_header: 'x-trace' });
    const context = extractSpanContext({ 'uber-trace-id': PARENT, 'x-trace': 'ff:ee:0:1', 'trace-id': 'dd:cc:0:1' });
    assert.equal(ids(context).traceId, 'ff');
    assert.equal(ids(extractSpanContext({ 'trace-id': 'dd:cc:0:1', 'uber-trace-id': PARENT })).traceId, 'a1b2c3d4e5f60718');
    assert.equal(ids(extractSpanContext({ trace_id: 'bb:cc:0:1', 'trace-id': 'dd:cc:0:1' })).traceId, 'dd');
  });

  it("names trace_id_header as Python's jaeger_client does: 'trace_id' is sent and read as trace-id", async () => {
    await closeTracer();
    recording = recordingTracer({ trace_id_header: 'Trace_ID' });
    const headers = traceHeaders(recording.tracer.startSpan('client'));
    assert.deepEqual(Object.keys(headers).sort(), ['trace-id', 'uber-trace-id']);
    assert.equal(ids(extractSpanContext({ 'trace-id': PARENT })).traceId, 'a1b2c3d4e5f60718');
  });

  it('sends uber-trace-id and trace-id by default, the same value in both, never a header with an underscore', () => {
    const headers = traceHeaders(recording.tracer.startSpan('client'));
    assert.deepEqual(Object.keys(headers).sort(), ['trace-id', 'uber-trace-id']);
    assert.equal(headers['trace-id'], headers['uber-trace-id']);
  });

  it('sends exactly the headers inject_headers names, W3C ones included', async () => {
    await closeTracer();
    recording = recordingTracer({ inject_headers: ['X-Trace', 'traceparent'] });
    const span = recording.tracer.startSpan('client');
    span.setBaggageItem('tenant', 'acme corp');
    const headers = traceHeaders(span);
    assert.deepEqual(Object.keys(headers).sort(), ['baggage', 'traceparent', 'uberctx-tenant', 'x-trace']);
    const { traceId, spanId } = ids(span.context());
    assert.equal(headers.traceparent, `00-${traceId.padStart(32, '0')}-${spanId.padStart(16, '0')}-01`);
    assert.equal(headers.baggage, 'tenant=acme%20corp');
  });

  it('with inject_headers: [traceparent] alone, sends no Jaeger header and no uberctx-*', async () => {
    await closeTracer();
    recording = recordingTracer({ inject_headers: ['traceparent'] });
    const span = recording.tracer.startSpan('client');
    span.setBaggageItem('tenant', 'acme');
    assert.deepEqual(Object.keys(traceHeaders(span)).sort(), ['baggage', 'traceparent']);
  });

  it('an unsampled trace goes out with traceparent flags 00', async () => {
    await closeTracer();
    recording = recordingTracer({ sampler: { type: 'const', param: 0 }, inject_headers: ['traceparent'] });
    assert.match(traceHeaders(recording.tracer.startSpan('client')).traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });

  it('falls back to the next header when the first one is malformed', () => {
    assert.equal(ids(extractSpanContext({ 'uber-trace-id': 'garbage', 'trace-id': PARENT })).traceId, 'a1b2c3d4e5f60718');
  });

  it('carries uberctx-* baggage to the child and on to the next hop', () => {
    const context = extractSpanContext({ 'uber-trace-id': PARENT, 'uberctx-tenant': 'acme', 'uberctx-user%20id': '42' });
    const child = recording.tracer.startSpan('child', { childOf: context });
    assert.equal(child.getBaggageItem('tenant'), 'acme');
    const headers = traceHeaders(child);
    assert.equal(headers['uberctx-tenant'], 'acme');
    assert.match(headers['uber-trace-id'], /^a1b2c3d4e5f60718:[0-9a-f]+:1122334455667788:1$/);
  });

  it('joins a caller that percent-encodes the whole context, as Java and Python clients with URL encoding send it', () => {
    assert.deepEqual(ids(extractSpanContext({ 'uber-trace-id': 'a1b2c3d4e5f60718%3A1122334455667788%3A0%3A1' })), {
      traceId: 'a1b2c3d4e5f60718',
      spanId: '1122334455667788',
    });
    assert.equal(extractSpanContext({ 'uber-trace-id': 'a1b2%3' }), undefined);
  });

  it('still sends the trace headers when the baggage holds a key that cannot be a header name', () => {
    // A caller's `jaeger-baggage` may name any key; jaeger-client keeps it as it came.
    const context = extractSpanContext({ 'uber-trace-id': PARENT, 'jaeger-baggage': 'tenant=acme, user id=42' });
    const child = recording.tracer.startSpan('child', { childOf: context });
    child.setBaggageItem('ünïcode', 'x');
    const headers = traceHeaders(child);
    assert.equal(headers['uberctx-tenant'], 'acme');
    assert.match(headers['uber-trace-id'], /^a1b2c3d4e5f60718:[0-9a-f]+:1122334455667788:1$/);
    assert.deepEqual(
      Object.keys(headers).filter((name) => !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)),
      [],
    );
  });

  it('still sends the trace headers when a baggage value was cut inside a character outside the BMP', () => {
    const child = recording.tracer.startSpan('child', { childOf: extractSpanContext({ 'uber-trace-id': PARENT }) });
    // jaeger-client cuts a value at 2,048 UTF-16 units: here between the two halves of an emoji.
    child.setBaggageItem('note', `a${'😀'.repeat(2000)}`);
    const headers = traceHeaders(child);
    assert.match(headers['uber-trace-id'], /^a1b2c3d4e5f60718:[0-9a-f]+:1122334455667788:1$/);
    assert.equal(decodeURIComponent(headers['uberctx-note']), `a${'😀'.repeat(1023)}\uFFFD`);
  });

  it('returns nothing for an absent header', () => {
    assert.equal(extractSpanContext({}), undefined);
    assert.equal(extractSpanContext({ 'x-request-id': 'abc' }), undefined);
    // The tracer itself answers as OpenTracing says: null, nothing to join; baggage alone is something to join.
    assert.equal(recording.tracer.extract(FORMAT_HTTP_HEADERS, { host: 'svc', accept: '*/*' }), null);
    const baggageOnly = recording.tracer.extract(FORMAT_HTTP_HEADERS, { 'uberctx-tenant': 'acme' }) as unknown as { baggage: Record<string, string> };
    assert.deepEqual(baggageOnly.baggage, { tenant: 'acme' });
  });

  for (const malformed of [
    '',
    ':::',
    '0:0:0:0',
    '0:1:0:1',
    '1:0:0:1',
    '1zz:2:0:1',
    'xyz',
    'a:b:c',
    'a:b:c:d:e',
    '1:2:3:4:',
    ' : : : ',
    `${'f'.repeat(33)}:1:0:1`,
    `1:${'f'.repeat(17)}:0:1`,
    '1:2:0:100',
    '%E0%A4%A',
    '\u0000:\u0000:0:1',
    'uber-trace-id',
  ]) {
    it(`treats ${JSON.stringify(malformed)} as no parent, without throwing`, () => {
      assert.equal(extractSpanContext({ 'uber-trace-id': malformed, 'trace-id': malformed, trace_id: malformed, traceparent: malformed }), undefined);
    });
  }

  it('survives 2,000 random header values: never throws, every span starts and finishes', () => {
    for (let i = 0; i < 2000; i += 1) {
      const raw = randomBytes(1 + (i % 40)).toString(i % 2 === 0 ? 'latin1' : 'hex');
      const value = i % 3 === 0 ? raw.split('').join(i % 5 === 0 ? ':' : '') : raw;
      const context = extractSpanContext({
        'uber-trace-id': value,
        'uberctx-k': value,
        'jaeger-baggage': value,
        traceparent: value,
        tracestate: value,
        baggage: value,
      });
      recording.tracer.startSpan('server', { childOf: context }).finish();
    }
    assert.equal(recording.spans().length, 2000);
  });
});
