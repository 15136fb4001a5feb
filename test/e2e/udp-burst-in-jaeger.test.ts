// A burst of spans over UDP, made as fast as one thread makes them, into the real Jaeger's default UDP receiver:
// its socket holds about three full datagrams, and what arrives while it is full is lost without a word. The UDP
// transport paces its datagrams (DEFAULT_UDP_BYTES_PER_MS) so that every span of such a burst arrives. Unpaced
// (the constant set to 1e9 in the build), 12,867 and 14,176 of these 20,000 spans arrived in two runs.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { describeWithJaeger, fetchTrace, requireJaeger, uniqueService } from '../support/jaeger-api';
import { collectTracingWarnings } from '../support/tracing-warnings';

const TRACES = 20;
const SPANS_PER_TRACE = 1000;

describeWithJaeger("a burst of spans over UDP into Jaeger's default receiver", () => {
  it(`delivers all ${TRACES * SPANS_PER_TRACE} spans at the default pace`, async () => {
    const jaeger = requireJaeger();
    const warnings = collectTracingWarnings();
    const service = uniqueService('udp-burst');
    const tracer = initTracer(service, {
      sampler: { type: 'const', param: 1 },
      local_agent: { reporting_host: jaeger.agentHost, reporting_port: jaeger.agentPort },
    });
    const traceIds: string[] = [];
    // Shaped like a traced request's spans: a handful of tags each, about 300 bytes encoded.
    for (let t = 0; t < TRACES; t += 1) {
      const root = tracer.startSpan(`burst-${t}`, { tags: { 'span.kind': 'server', 'http.method': 'GET', 'http.url': `/users/${t}` } });
      traceIds.push(root.context().toTraceId());
      for (let i = 0; i < SPANS_PER_TRACE - 1; i += 1) {
        tracer.startSpan('UserService.find', { childOf: root, tags: { component: 'bench', 'user.id': i, 'http.route': '/users/:id' } }).finish();
      }
      root.finish();
      // A trace at a time, as requests end: the reporter encodes what waits between two turns of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await closeTracer();
    warnings.stop();

    let arrived = 0;
    for (const traceId of traceIds) {
      let spans = 0;
      for (let attempt = 0; attempt < 50 && spans < SPANS_PER_TRACE; attempt += 1) {
        spans = (await fetchTrace(traceId))?.spans.length ?? 0;
        if (spans < SPANS_PER_TRACE) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      arrived += spans;
    }
    assert.equal(arrived, TRACES * SPANS_PER_TRACE, `${arrived} of ${TRACES * SPANS_PER_TRACE} spans arrived: ${warnings.messages.join(' | ')}`);
    assert.deepEqual(
      warnings.messages.filter((message) => /lost|dropped|gave up/.test(message)),
      [],
    );
  });
});
