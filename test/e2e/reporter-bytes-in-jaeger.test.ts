import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { initTracer as initJaegerTracer } from 'jaeger-client';
import { closeTracer, initTracer, type TracerConfig } from 'jaeger-decorators';
import { followsFrom, type Tracer } from 'opentracing';
import { describeWithJaeger, requireJaeger, uniqueService, waitForTrace, type JaegerKeyValue, type JaegerTrace } from '../support/jaeger-api';

// One moment in the past, so that both tracers write exactly the same times.
const T0 = Date.now() - 60_000 + 0.4567;
const PROCESS_TAGS = { region: 'eu-west', shard: 3, canary: true, ratio: 0.25 };

/**
 * The same three spans, whichever tracer makes them: tags of every type, logs, a debug flag (sampling.priority),
 * child-of and follows-from references, fixed times. Returns the trace id as Jaeger prints it.
 */
function makeSpans(tracer: Tracer): string {
  const root = tracer.startSpan('checkout', {
    startTime: T0,
    tags: {
      'sampling.priority': 1,
      'span.kind': 'server',
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
  const child = tracer.startSpan('charge card', { childOf: root, startTime: T0 + 1.25, tags: { 'span.kind': 'client', 'peer.service': 'payments' } });
  child.log({ event: 'retry', attempt: 2, backoff: 0.5, final: false, detail: { code: 'E42' } }, T0 + 2.5);
  child.log(
    { event: 'error', 'error.kind': 'TypeError', message: 'card declined ✗', stack: 'TypeError: card declined\n    at charge (pay.ts:1:1)' },
    T0 + 3.75,
  );
  child.setTag('error', true);
  child.finish(T0 + 4.125);
  const follower = tracer.startSpan('send receipt', { references: [followsFrom(child.context())], startTime: T0 + 5 });
  follower.finish(T0 + 6.5);
  root.finish(T0 + 7.875);
  return (root.context() as unknown as { traceIdStr: string }).traceIdStr.padStart(32, '0');
}

function closeJaegerClient(tracer: Tracer): Promise<void> {
  return new Promise((resolve) => (tracer as unknown as { close(callback: () => void): void }).close(resolve));
}

const sortedTags = (tags: JaegerKeyValue[]) => [...tags].sort((a, b) => a.key.localeCompare(b.key));

/**
 * A trace as Jaeger's API returns it, with what must differ between two tracers taken out: ids become
 * operation names, the service name loses its suffix, client-uuid goes.
 */
function comparable(trace: JaegerTrace) {
  const names = new Map(trace.spans.map((span) => [span.spanID, span.operationName]));
  const spans = trace.spans
    .map((span) => ({
      operationName: span.operationName,
      traceIdDigits: span.traceID.length,
      references: span.references.map((ref) => [ref.refType, names.get(ref.spanID), ref.traceID === span.traceID]),
      // Jaeger v2's API does not return flags (its OpenTelemetry model keeps no debug bit): the unit tests
      // compare them with jaeger-client's, decoded from the bytes.
      startTime: span.startTime,
      duration: span.duration,
      tags: sortedTags(span.tags),
      logs: span.logs.map((log) => ({ timestamp: log.timestamp, fields: sortedTags(log.fields) })),
      process: (() => {
        const process = trace.processes[span.processID];
        return {
          serviceName: process.serviceName.replace(/-(jaeger-client|ours)$/, ''),
          tags: sortedTags(process.tags.filter((tag) => tag.key !== 'client-uuid')),
        };
      })(),
    }))
    .sort((a, b) => a.operationName.localeCompare(b.operationName));
  return { traceIdDigits: trace.traceID.length, spans };
}

async function sentBothWays(reporter: (jaeger: ReturnType<typeof requireJaeger>) => TracerConfig): Promise<{ theirs: JaegerTrace; ours: JaegerTrace }> {
  const jaeger = requireJaeger();
  const config = reporter(jaeger);
  const service = uniqueService('bytes');
  // jaeger-client's own reporter (RemoteReporter with its UDP or HTTP sender), configured the same way.
  const jaegerClient = initJaegerTracer(
    {
      serviceName: `${service}-jaeger-client`,
      sampler: { type: 'const', param: 1 },
      reporter: config.reporter ?? { agentHost: config.local_agent?.reporting_host, agentPort: Number(config.local_agent?.reporting_port) },
    },
    { tags: PROCESS_TAGS, traceId128bit: true },
  );
  const theirsId = makeSpans(jaegerClient);
  await closeJaegerClient(jaegerClient);

  const oursId = makeSpans(
    initTracer(`${service}-ours`, { ...config, sampler: { type: 'const', param: 1 }, generate_128bit_trace_id: true }, { tags: PROCESS_TAGS }),
  );
  await closeTracer();

  return { theirs: await waitForTrace(theirsId, { spans: 3 }), ours: await waitForTrace(oursId, { spans: 3 }) };
}

describeWithJaeger("the reporter's bytes, read back from the real Jaeger", () => {
  afterEach(() => closeTracer());

  it("over UDP, Jaeger stores the same spans from our reporter as from jaeger-client's", async () => {
    const { theirs, ours } = await sentBothWays((jaeger) => ({ local_agent: { reporting_host: jaeger.agentHost, reporting_port: jaeger.agentPort } }));
    assert.equal(ours.spans.length, 3);
    assert.deepEqual(comparable(ours), comparable(theirs));
  });

  it("over HTTP, Jaeger stores the same spans from our reporter as from jaeger-client's", async () => {
    const { theirs, ours } = await sentBothWays((jaeger) => ({ reporter: { collectorEndpoint: jaeger.collectorUrl } }));
    assert.equal(ours.spans.length, 3);
    assert.deepEqual(comparable(ours), comparable(theirs));
  });

  it('keeps what Jaeger must see: 128-bit ids, typed, binary and JSON tags, logs, process tags and both kinds of reference', async () => {
    const { ours } = await sentBothWays((jaeger) => ({ reporter: { collectorEndpoint: jaeger.collectorUrl } }));
    const view = comparable(ours);
    assert.equal(view.traceIdDigits, 32);
    const root = view.spans.find((span) => span.operationName === 'checkout')!;
    const tag = (key: string) => root.tags.find((t) => t.key === key);
    assert.deepEqual(tag('integer'), { key: 'integer', type: 'float64', value: 42 });
    assert.deepEqual(tag('yes'), { key: 'yes', type: 'bool', value: true });
    assert.equal(tag('binary')?.type, 'binary');
    assert.equal(tag('object')?.value, '{"nested":[1,"two",{"three":3}]}');
    assert.equal(tag('unicode')?.value, 'ünïcødé ✓ 名前 🚀');
    assert.ok(Math.abs(root.duration - 7875) <= 1, `duration ${root.duration} µs`);
    const charge = view.spans.find((span) => span.operationName === 'charge card')!;
    assert.deepEqual(charge.references, [['CHILD_OF', 'checkout', true]]);
    assert.equal(charge.logs.length, 2);
    const receipt = view.spans.find((span) => span.operationName === 'send receipt')!;
    assert.deepEqual(receipt.references, [['FOLLOWS_FROM', 'charge card', true]]);
    assert.deepEqual(
      root.process.tags.filter((t) => ['region', 'shard', 'canary'].includes(t.key)).map((t) => [t.key, t.value]),
      [
        ['canary', true],
        ['region', 'eu-west'],
        ['shard', 3],
      ],
    );
  });
});
