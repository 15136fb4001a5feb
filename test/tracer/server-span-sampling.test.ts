// initTracer()'s tracer starts a request's server span itself (src/tracer/jaeger-span-starters): for a trace
// not sampled, a span whose context is made only when asked for. What a user relies on must not change: the
// sampler's rate, the ids and baggage that go downstream, a child span started by hand, the debug header, and
// the spans of a sampled trace, tags included, as jaeger-client's startSpan() made them.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import express from 'express';
import { getActiveSpan, traceHeaders } from 'jaeger-decorators';
import { tracingMiddleware } from 'jaeger-decorators/express';
import type { Span } from 'opentracing';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

const PARENT_TRACE = '0af7651916cd43dd';
const PARENT_SPAN = 'b7ad6b7169203331';

interface Answer {
  downstream: Record<string, string>;
  child?: Record<string, string>;
  tenant?: string;
}

let recording: RecordingTracer;

function app(): http.RequestListener {
  const served = express();
  served.use(tracingMiddleware());
  served.get('/work', (req, res) => {
    const span = getActiveSpan()!;
    const answer: Answer = { downstream: {} };
    if (req.query.child === '1') {
      // A user's own span, started as OpenTracing says: a child of the active span.
      const child: Span = recording.tracer.startSpan('lookup', { childOf: span });
      answer.child = traceHeaders(child);
      child.finish();
    }
    answer.tenant = span.getBaggageItem('tenant');
    if (req.query.step !== undefined) span.setBaggageItem('step', String(req.query.step));
    answer.downstream = traceHeaders(span);
    res.json(answer);
  });
  return served;
}

function idsOf(header: string | undefined): { traceId: string; spanId: string; parentId: string; flags: string } {
  assert.ok(header, 'a downstream call carries uber-trace-id');
  const [traceId, spanId, parentId, flags] = header.split(':');
  return { traceId: traceId.padStart(16, '0'), spanId: spanId.padStart(16, '0'), parentId: parentId.padStart(16, '0'), flags };
}

async function spansSettled(): Promise<void> {
  // The in-memory reporter gets a span when it finishes, after the response.
  await delay(30);
}

describe('server spans of initTracer()’s tracer, sampled or not', () => {
  let server: RunningServer;
  before(async () => {
    server = await listen(app());
  });
  after(() => server.close());
  afterEach(() => closeTracer());

  it("keeps a probabilistic sampler's rate: each new trace is asked once, and a sampled one carries the sampler's tags", async () => {
    recording = recordingTracer({ sampler: { type: 'probabilistic', param: 0.5 } });
    const requests = 1200;
    let flaggedSampled = 0;
    for (let batch = 0; batch < requests; batch += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => httpRequest(`${server.url}/work`)));
      for (const answer of answers) if (idsOf(answer.json<Answer>().downstream['uber-trace-id']).flags === '1') flaggedSampled += 1;
    }
    await spansSettled();
    const recorded = recording.spans();
    // Asked twice, a 0.5 sampler would sample a quarter of them (about 300); once, half (600 ± 17 for one sigma).
    assert.ok(recorded.length > 500 && recorded.length < 700, `${recorded.length} of ${requests} sampled`);
    assert.equal(recorded.length, flaggedSampled, 'exactly the traces told downstream to sample are recorded');
    for (const span of recorded) {
      assert.equal(span.tags['sampler.type'], 'probabilistic');
      assert.equal(span.tags['sampler.param'], 0.5);
      assert.equal(span.tags['span.kind'], 'server');
      assert.equal(span.tags['http.status_code'], 200);
      assert.equal(span.parentId, null);
    }
  });

  it('gives a const-sampled new trace the tags and ids jaeger-client gives it', async () => {
    recording = recordingTracer({ sampler: { type: 'const', param: 1 } });
    const answer = (await httpRequest(`${server.url}/work?child=1`)).json<Answer>();
    await spansSettled();
    const root = recording.span('GET /work');
    const child = recording.span('lookup');
    assert.equal(root.tags['sampler.type'], 'const');
    assert.equal(root.tags['sampler.param'], true);
    assert.equal(child.parentId, root.spanId);
    assert.equal(child.traceId, root.traceId);
    const downstream = idsOf(answer.downstream['uber-trace-id']);
    assert.equal(downstream.traceId, root.traceId);
    assert.equal(downstream.spanId, root.spanId.padStart(16, '0'));
    assert.equal(downstream.flags, '1');
    // Its first tags in the order jaeger-client's own startSpan() gives them: the sampler's, then span.kind.
    recording.tracer.startSpan('by hand', { tags: { 'span.kind': 'server' } }).finish();
    await spansSettled();
    const byHand = Object.keys(recording.span('by hand').tags);
    assert.deepEqual(byHand, ['sampler.type', 'sampler.param', 'span.kind']);
    assert.deepEqual(Object.keys(root.tags).slice(0, byHand.length), byHand);
  });

  for (const [title, headers] of [
    ["joined to a caller's unsampled trace", { 'uber-trace-id': `${PARENT_TRACE}:${PARENT_SPAN}:0:0` }],
    ['a new trace the sampler does not sample', {}],
  ] as const) {
    describe(title, () => {
      it("puts a user's child span in the request's trace, under the server span, unsampled", async () => {
        recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
        const answer = (await httpRequest(`${server.url}/work?child=1`, { headers })).json<Answer>();
        const serverIds = idsOf(answer.downstream['uber-trace-id']);
        const childIds = idsOf(answer.child?.['uber-trace-id']);
        assert.equal(childIds.traceId, serverIds.traceId);
        assert.equal(childIds.parentId, serverIds.spanId, 'the child is the server span’s');
        assert.notEqual(childIds.spanId, serverIds.spanId);
        assert.equal(childIds.flags, '0');
        if ('uber-trace-id' in headers) {
          assert.equal(serverIds.traceId, PARENT_TRACE);
          assert.equal(serverIds.parentId, PARENT_SPAN);
          assert.notEqual(serverIds.spanId, PARENT_SPAN, 'the server span has an id of its own');
        }
        await spansSettled();
        assert.deepEqual(recording.spans(), []);
      });

      it("passes the caller's baggage and the handler's own on to downstream calls", async () => {
        recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
        const answer = (await httpRequest(`${server.url}/work?step=2`, { headers: { ...headers, 'uberctx-tenant': 'acme' } })).json<Answer>();
        assert.equal(answer.tenant, 'acme');
        assert.equal(answer.downstream['uberctx-tenant'], 'acme');
        assert.equal(answer.downstream['uberctx-step'], '2');
        assert.equal(idsOf(answer.downstream['uber-trace-id']).flags, '0');
      });

      it('gives every request a trace of its own (new traces) or a span of its own (joined)', async () => {
        recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
        const answers = await Promise.all(Array.from({ length: 20 }, () => httpRequest(`${server.url}/work`, { headers })));
        const ids = answers.map((answer) => idsOf(answer.json<Answer>().downstream['uber-trace-id']));
        assert.equal(new Set(ids.map((id) => id.spanId)).size, 20);
        assert.equal(new Set(ids.map((id) => id.traceId)).size, 'uber-trace-id' in headers ? 1 : 20);
      });
    });
  }

  it('samples a request that brings only a jaeger-debug-id, though the sampler samples nothing', async () => {
    recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
    const answer = (await httpRequest(`${server.url}/work`, { headers: { 'jaeger-debug-id': 'curl-7' } })).json<Answer>();
    await spansSettled();
    assert.equal(recording.span('GET /work').tags['jaeger-debug-id'], 'curl-7');
    assert.notEqual(idsOf(answer.downstream['uber-trace-id']).flags, '0');
  });
});
