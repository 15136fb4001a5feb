// A burst of spans over UDP, a trace at a time as fast as one thread makes them, into the real Jaeger's default
// UDP receiver: its socket holds about three full datagrams, and what arrives while it is full is lost without a
// word. The UDP transport paces its datagrams (DEFAULT_UDP_BYTES_PER_MS) so that such a burst arrives: every span
// in 7 runs here (5 at 32 MB/s, 2 at 24). Unpaced (the constant set to 1e9 in the build), 12,867 and 14,176 of
// these 20,000 spans arrived.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { describeWithJaeger, fetchTrace, requireJaeger, uniqueService } from '../support/jaeger-api';
import { collectTracingWarnings } from '../support/tracing-warnings';

const TRACES = 20;
const SPANS_PER_TRACE = 1000;

/** One burst into Jaeger: how many of its spans Jaeger stored, and what our reporter said of it. */
async function burstIntoJaeger(): Promise<{ arrived: number; warnings: string[] }> {
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

  // Jaeger indexes what it received within moments; traces still short after 10 s are counted as they stand.
  const arrived = new Map<string, number>();
  const deadline = Date.now() + 10_000;
  for (;;) {
    for (const traceId of traceIds) {
      if ((arrived.get(traceId) ?? 0) < SPANS_PER_TRACE) arrived.set(traceId, (await fetchTrace(traceId))?.spans.length ?? 0);
    }
    if ([...arrived.values()].every((spans) => spans === SPANS_PER_TRACE) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { arrived: [...arrived.values()].reduce((sum, spans) => sum + spans, 0), warnings: warnings.messages };
}

describeWithJaeger("a burst of spans over UDP into Jaeger's default receiver", () => {
  it(`delivers ${TRACES * SPANS_PER_TRACE} spans at the default pace, all but what UDP itself may lose`, async () => {
    const expected = TRACES * SPANS_PER_TRACE;
    // UDP promises nothing: the last spans of a burst depend on the receiver getting the CPU to drain its socket
    // (at the former 32 MB/s pace a CI run here saw 98.5 %; bench case 4 saw 100 % at 24 MB/s). Unpaced, a third
    // were lost, burst after burst. A receiver starved by the rest of a busy CI host lost 6 % of one burst on
    // Node 26 (the same burst arrived whole in 1 s in three runs after): a second burst is sent before the
    // pace is judged, and one of the two must arrive.
    const bursts = [await burstIntoJaeger()];
    if (bursts[0].arrived < 0.97 * expected) bursts.push(await burstIntoJaeger());
    const described = bursts.map(({ arrived, warnings }) => `${arrived} of ${expected} spans arrived: ${warnings.join(' | ')}`).join('; then ');
    assert.ok(
      bursts.some(({ arrived }) => arrived >= 0.97 * expected),
      described,
    );
    // Nothing was lost on our side, in any burst: no queue overflow, no failed send.
    assert.deepEqual(
      bursts.flatMap(({ warnings }) => warnings.filter((message) => /lost|dropped|gave up/.test(message))),
      [],
    );
  });
});
