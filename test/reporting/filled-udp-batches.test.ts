import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { initTracer as initJaegerTracer } from 'jaeger-client';
import type { Tracer } from 'opentracing';
import { udpSink } from '../support/fake-jaeger-endpoints';
import { decodeAgentPacket } from './jaeger-idl';
import { BatchSpanReporter, UdpAgentTransport } from './reporting-modules';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
const turn = () => new Promise((resolve) => setImmediate(resolve));
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const closed = (tracer: Tracer) => new Promise<void>((resolve) => (tracer as unknown as { close(callback: () => void): void }).close(resolve));
const namesIn = (packets: Buffer[]) => packets.flatMap((packet) => decodeAgentPacket(packet).body.batch.spans.map((span) => span.operationName));

function udpTracer(
  port: number,
  flushIntervalMs: number,
  maxQueueSpans?: number,
  bytesPerMs?: number,
): { tracer: Tracer; reporter: InstanceType<typeof BatchSpanReporter> } {
  const transport = new UdpAgentTransport({ host: '127.0.0.1', port, socketType: 'udp4', bytesPerMs });
  const reporter = new BatchSpanReporter(transport, { flushIntervalMs, maxQueueSpans });
  const tracer = initJaegerTracer({ serviceName: 'filled-batches', sampler: { type: 'const', param: 1 } }, { reporter });
  return { tracer, reporter };
}

it('over UDP, spans finished a few at a time (as requests finish them) go out in full datagrams, in order', async () => {
  const agent = await udpSink();
  // An interval far longer than the test: no datagram leaves half full while the spans are made.
  const { tracer, reporter } = udpTracer(agent.port, 60000);
  try {
    const expected: string[] = [];
    for (let request = 0; request < 300; request += 1) {
      for (let i = 0; i < 7; i += 1) {
        const name = `request-${request}-span-${i}`;
        tracer.startSpan(name, { tags: { 'http.url': `/users/${request}?page=${i}` } }).finish();
        expected.push(name);
      }
      await turn();
    }
    await reporter.flush();
    await settle();
    assert.deepEqual(namesIn(agent.packets), expected);
    const sizes = agent.packets.map((packet) => packet.length);
    assert.ok(sizes.length >= 2, `${sizes.length} datagrams`);
    // Full: no room left for one more span of these (some 200 bytes each), but for the last, which flush() sent.
    for (const size of sizes.slice(0, -1)) assert.ok(size > 64000 && size <= 65000, `datagram sizes ${sizes.join(', ')}`);
  } finally {
    await closed(tracer);
    await agent.close();
  }
});

it('over UDP, a batch that is not full goes out when the flush interval ends, without a flush', async () => {
  const agent = await udpSink();
  const { tracer } = udpTracer(agent.port, 30);
  try {
    // Enough for a turn to take them (32 ask for one): they wait encoded in the open batch, not in the queue.
    const expected = Array.from({ length: 100 }, (_, i) => `span-${i}`);
    for (const name of expected) tracer.startSpan(name).finish();
    await turn();
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.deepEqual(namesIn(agent.packets), expected);
  } finally {
    await closed(tracer);
    await agent.close();
  }
});

it('a script whose spans all wait in the open batch, never calling closeTracer(), sends them and exits by itself', async () => {
  const agent = await udpSink();
  try {
    // 64 spans: two turns' worth, taken into the open batch, none left in the queue to hold the process.
    await promisify(execFile)(process.execPath, [path.join(FIXTURES, 'spans-without-close.js')], {
      env: { ...process.env, SERVICE: 'unclosed', AGENT_PORT: String(agent.port), SPANS: '64' },
      timeout: 10000,
    });
    await settle();
    assert.deepEqual(
      namesIn(agent.packets),
      Array.from({ length: 64 }, (_, i) => `unclosed-${i}`),
    );
  } finally {
    await agent.close();
  }
});

it('over UDP, with a queue limit below one datagram of spans, every span made a few at a time is sent', async () => {
  const agent = await udpSink();
  // Unpaced: the loop below makes spans faster than the default pace sends them (a few hundred in the 1 ms of one
  // pacing wait), which a queue of 250 cannot hold; dropping them then is right, and not what this test is about.
  const { tracer, reporter } = udpTracer(agent.port, 60000, 250, 2 ** 30);
  try {
    const expected = Array.from({ length: 1000 }, (_, i) => `span-${i}`);
    for (let i = 0; i < expected.length; i += 5) {
      for (const name of expected.slice(i, i + 5)) tracer.startSpan(name).finish();
      await turn();
    }
    await reporter.flush();
    await settle();
    assert.deepEqual(namesIn(agent.packets), expected);
    assert.deepEqual(reporter.counts().dropped, {});
  } finally {
    await closed(tracer);
    await agent.close();
  }
});
