import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { extractSpanContext, getBaggage, traceHeaders, withSpan } from 'jaeger-decorators';
import { closeTracer, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

// As OpenTelemetry's Python SDK sends them: a 128-bit trace id, a sampled parent, a vendor's tracestate.
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

interface JaegerIds {
  traceIdStr: string;
  spanIdStr: string;
  parentIdStr: string | null;
  isSampled(): boolean;
  baggage: Record<string, string>;
}

const jaegerIds = (context: unknown) => context as JaegerIds;

describe('W3C Trace Context and Baggage', () => {
  let recording: RecordingTracer;
  afterEach(() => closeTracer());

  it('joins an OpenTelemetry caller: the 128-bit trace id is kept and the caller is the parent', () => {
    recording = recordingTracer();
    const child = recording.tracer.startSpan('server', { childOf: extractSpanContext({ traceparent: TRACEPARENT }) });
    child.finish();
    const [span] = recording.spans();
    assert.equal(span.traceId, TRACE_ID);
    assert.equal(span.parentId, PARENT_ID);
  });

  it("follows the caller's sampling decision: flags 00 records nothing", () => {
    recording = recordingTracer();
    const context = extractSpanContext({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-00` });
    assert.equal(jaegerIds(context).isSampled(), false);
    recording.tracer.startSpan('server', { childOf: context }).finish();
    assert.equal(recording.spans().length, 0);
  });

  it('passes tracestate on, unchanged, to the calls made further down the trace', () => {
    recording = recordingTracer({ inject_headers: ['uber-trace-id', 'traceparent'] });
    const context = extractSpanContext({ traceparent: TRACEPARENT, tracestate: 'rojo=00f067aa0ba902b7, congo=t61rcWkgMzE' });
    const server = recording.tracer.startSpan('server', { childOf: context });
    const client = recording.tracer.startSpan('client', { childOf: server });
    const headers = traceHeaders(client);
    assert.equal(headers.tracestate, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    assert.equal(headers.traceparent, `00-${TRACE_ID}-${jaegerIds(client.context()).spanIdStr.padStart(16, '0')}-01`);
    assert.match(headers['uber-trace-id'], new RegExp(`^0*${TRACE_ID.replace(/^0+/, '')}:[0-9a-f]+:[0-9a-f]+:1$`));
  });

  it('passes tracestate on when the caller sends the same context in a Jaeger header too', () => {
    recording = recordingTracer({ inject_headers: ['uber-trace-id', 'traceparent'] });
    // OpenTelemetry with its Jaeger propagator, or a service of ours sending both: one context, two spellings.
    const context = extractSpanContext({
      'uber-trace-id': `${TRACE_ID}:${PARENT_ID}:0:1`,
      traceparent: TRACEPARENT,
      tracestate: 'rojo=00f067aa0ba902b7',
    });
    const server = recording.tracer.startSpan('server', { childOf: context });
    assert.equal(traceHeaders(server).tracestate, 'rojo=00f067aa0ba902b7');
    // A traceparent naming another trace than the Jaeger header that won: its tracestate is not this trace's.
    const other = extractSpanContext({
      'uber-trace-id': `a1b2c3d4e5f60718a1b2c3d4e5f60718:${PARENT_ID}:0:1`,
      traceparent: TRACEPARENT,
      tracestate: 'congo=t61rcWkgMzE',
    });
    assert.equal(traceHeaders(recording.tracer.startSpan('server', { childOf: other })).tracestate, undefined);
  });

  it('reads baggage and tracestate sent in several header fields as one list each, as the specs combine them', () => {
    recording = recordingTracer({ inject_headers: ['uber-trace-id', 'traceparent'] });
    const context = extractSpanContext({ traceparent: TRACEPARENT, tracestate: ['rojo=1', 'congo=2'], baggage: ['tenant=acme', 'user=42'] });
    const server = recording.tracer.startSpan('server', { childOf: context });
    assert.equal(server.getBaggageItem('tenant'), 'acme');
    assert.equal(server.getBaggageItem('user'), '42');
    assert.equal(traceHeaders(server).tracestate, 'rojo=1,congo=2');
  });

  it('getBaggage() finds a key that arrived with capitals or an underscore, and sends it on as it came', () => {
    recording = recordingTracer({ inject_headers: ['uber-trace-id', 'traceparent'] });
    const context = extractSpanContext({ traceparent: TRACEPARENT, baggage: 'userId=42,account_id=7', 'uberctx-Region': 'eu' });
    const server = recording.tracer.startSpan('server', { childOf: context });
    assert.deepEqual(
      withSpan(server, () => [getBaggage('userId'), getBaggage('account_id'), getBaggage('account-id'), getBaggage('region')]),
      ['42', '7', '7', 'eu'],
    );
    assert.match(traceHeaders(server).baggage ?? '', /(^|,)userId=42(,|$)/);
  });

  it('drops a malformed tracestate but still joins the trace', () => {
    recording = recordingTracer({ inject_headers: ['traceparent'] });
    const context = extractSpanContext({ traceparent: TRACEPARENT, tracestate: 'Not A=Valid,,=x' });
    const headers = traceHeaders(recording.tracer.startSpan('client', { childOf: context }));
    assert.equal(headers.tracestate, undefined);
    assert.ok(headers.traceparent.startsWith(`00-${TRACE_ID}-`));
  });

  it('reads W3C baggage (percent-encoded, properties ignored); uberctx-* wins for the same key', () => {
    recording = recordingTracer();
    const context = extractSpanContext({
      traceparent: TRACEPARENT,
      baggage: 'tenant=acme%20corp;ttl=30, user=42, region=eu',
      'uberctx-region': 'us',
    });
    const child = recording.tracer.startSpan('server', { childOf: context });
    assert.equal(child.getBaggageItem('tenant'), 'acme corp');
    assert.equal(child.getBaggageItem('user'), '42');
    assert.equal(child.getBaggageItem('region'), 'us');
  });

  it('prefers a Jaeger header over traceparent when a caller sends both', () => {
    recording = recordingTracer();
    const context = extractSpanContext({ traceparent: TRACEPARENT, 'uber-trace-id': 'abc:def:0:1' });
    assert.equal(jaegerIds(context).traceIdStr, 'abc');
  });

  it('reads a 64-bit trace id padded to 128 bits as the 64-bit id, so it matches Jaeger-format hops', () => {
    recording = recordingTracer();
    const context = extractSpanContext({ traceparent: `00-0000000000000000a1b2c3d4e5f60718-${PARENT_ID}-01` });
    assert.equal(jaegerIds(context).traceIdStr, 'a1b2c3d4e5f60718');
  });

  it('a traceparent we send is read back as the same context', async () => {
    recording = recordingTracer({ inject_headers: ['traceparent'] });
    const span = recording.tracer.startSpan('client');
    const headers = traceHeaders(span);
    await closeTracer();
    recording = recordingTracer();
    const context = jaegerIds(extractSpanContext(headers));
    // The same ids, however many leading zeros each side keeps.
    const hex = (id: string) => id.replace(/^0+/, '');
    assert.equal(hex(context.traceIdStr), hex(jaegerIds(span.context()).traceIdStr));
    assert.equal(hex(context.spanIdStr), hex(jaegerIds(span.context()).spanIdStr));
  });

  it('accepts a later version with extra fields, as the spec asks', () => {
    recording = recordingTracer();
    assert.equal(jaegerIds(extractSpanContext({ traceparent: `01-${TRACE_ID}-${PARENT_ID}-01-future` })).spanIdStr, PARENT_ID);
  });

  for (const malformed of [
    `ff-${TRACE_ID}-${PARENT_ID}-01`,
    `00-${TRACE_ID}-${PARENT_ID}-01-extra`,
    `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`,
    `00-${'0'.repeat(32)}-${PARENT_ID}-01`,
    `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
    `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`,
    `00-${TRACE_ID}-${PARENT_ID}-1`,
    `00_${TRACE_ID}_${PARENT_ID}_01`,
    '',
  ]) {
    it(`ignores the malformed traceparent ${JSON.stringify(malformed)}`, () => {
      recording = recordingTracer();
      assert.equal(extractSpanContext({ traceparent: malformed }), undefined);
    });
  }
});

describe('128-bit trace ids', () => {
  afterEach(() => closeTracer());

  it('generate_128bit_trace_id (the Python key) starts new traces with 128-bit ids', () => {
    const recording = recordingTracer({ generate_128bit_trace_id: true });
    recording.tracer.startSpan('root').finish();
    assert.equal(recording.spans()[0].traceId.length, 32);
  });

  it('JAEGER_TRACEID_128BIT=true does the same when the config says nothing, and a bad value names the variable', async () => {
    process.env.JAEGER_TRACEID_128BIT = 'true';
    try {
      const recording = recordingTracer();
      recording.tracer.startSpan('root').finish();
      assert.equal(recording.spans()[0].traceId.length, 32);
      await closeTracer();
      process.env.JAEGER_TRACEID_128BIT = 'yes';
      assert.throws(() => recordingTracer(), /JAEGER_TRACEID_128BIT must be 'true' or 'false', got 'yes'/);
    } finally {
      delete process.env.JAEGER_TRACEID_128BIT;
    }
  });
});
