import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { udpSink } from '../support/fake-jaeger-endpoints';
import { delay } from '../support/recording-tracer';
import type * as UdpAgentProbe from '../../dist/cjs/reporting/udp-agent-probe';
import { collectTracingWarnings } from '../support/tracing-warnings';

// An internal module, tested directly for the one case loopback cannot show: a host whose silence proves nothing.
const { startUdpAgentProbe } = require(path.resolve(__dirname, '..', '..', '..', 'dist', 'cjs', 'reporting', 'udp-agent-probe.js')) as typeof UdpAgentProbe;

/** A TCP port on loopback that nothing listens on (and, being free for TCP, very likely for UDP too). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await delay(10);
}

function finishSpans(tracer: ReturnType<typeof initTracer>, count: number): void {
  for (let i = 0; i < count; i += 1) tracer.startSpan('work').finish();
}

describe('reporter warnings', () => {
  const warnings = collectTracingWarnings();
  afterEach(async () => {
    await closeTracer();
    await delay(10); // process.emitWarning delivers on the next tick
    warnings.messages.length = 0;
  });

  it('with the HTTP collector down, one warning says what failed, where, and how many spans were dropped so far', async () => {
    const port = await closedPort();
    const tracer = initTracer('svc', {
      sampler: { type: 'const', param: 1 },
      reporter: { collectorEndpoint: `http://127.0.0.1:${port}/api/traces`, flushIntervalMs: 20, retry: { maxElapsedMs: 300 } },
    });
    finishSpans(tracer, 150); // one batch at the next flush, retried for 300 ms
    await until(() => warnings.messages.length > 0);
    finishSpans(tracer, 10);
    await delay(1500); // another failed batch, which must not be said again
    assert.equal(warnings.messages.length, 1, warnings.messages.join('\n'));
    assert.match(
      warnings.messages[0],
      new RegExp(
        `^jaeger-decorators: could not send spans to the Jaeger collector at http://127\\.0\\.0\\.1:${port}/api/traces: the connection was refused, so nothing listens there \\(ECONNREFUSED\\) ` +
          '\\(tried \\d+ times over 0\\.\\d s\\)\\. 150 spans dropped so far\\. This is said once; closeTracer\\(\\) gives the total\\.$',
      ),
    );
  });

  it('closeTracer says how many spans were dropped in all', async () => {
    const port = await closedPort();
    const tracer = initTracer('svc', {
      sampler: { type: 'const', param: 1 },
      reporter: { collectorEndpoint: `http://127.0.0.1:${port}/api/traces`, flushIntervalMs: 20, retry: { maxElapsedMs: 300 } },
    });
    finishSpans(tracer, 150);
    await until(() => warnings.messages.length > 0);
    finishSpans(tracer, 1000);
    await closeTracer();
    await delay(10);
    assert.equal(warnings.messages.length, 2, warnings.messages.join('\n'));
    assert.equal(
      warnings.messages[1],
      `jaeger-decorators: 1,150 spans dropped in all: they could not be sent to the Jaeger collector at http://127.0.0.1:${port}/api/traces.`,
    );
  });

  it('a collector answering with an HTTP error is named with its status, and credentials in its URL are not repeated', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const tracer = initTracer('svc', {
        sampler: { type: 'const', param: 1 },
        reporter: { collectorEndpoint: `http://ada:hunter2@127.0.0.1:${port}/api/traces`, flushIntervalMs: 20, retry: { maxElapsedMs: 300 } },
      });
      finishSpans(tracer, 100);
      await until(() => warnings.messages.length > 0);
      assert.equal(warnings.messages.length, 1);
      assert.match(
        warnings.messages[0],
        new RegExp(
          `the Jaeger collector at http://127\\.0\\.0\\.1:${port}/api/traces: the collector answered HTTP 503 \\(tried \\d+ times over 0\\.\\d s\\)\\. 100 spans dropped so far`,
        ),
      );
      assert.doesNotMatch(warnings.messages[0], /hunter2|ada/);
    } finally {
      await closeTracer();
      server.close();
    }
  });

  it('over UDP with nothing listening on the agent port, one warning says the spans sent there are lost', async () => {
    const port = await closedPort();
    const tracer = initTracer('svc', {
      sampler: { type: 'const', param: 1 },
      local_agent: { reporting_host: '127.0.0.1', reporting_port: port },
      reporter: { flushIntervalMs: 20 },
    });
    finishSpans(tracer, 10);
    await until(() => warnings.messages.length > 0);
    finishSpans(tracer, 10);
    await delay(200);
    assert.deepEqual(warnings.messages, [
      `jaeger-decorators: spans sent to the Jaeger agent at udp://127.0.0.1:${port} are lost: nothing listens there (the host answers "port unreachable"). ` +
        'UDP gives the sender no error, so nothing else will say so; this is said once.',
    ]);
  });

  it('over UDP with an agent listening, nothing is said and the agent receives only span batches', async () => {
    const agent = await udpSink();
    try {
      const tracer = initTracer('svc', {
        sampler: { type: 'const', param: 1 },
        local_agent: { reporting_host: '127.0.0.1', reporting_port: agent.port },
        reporter: { flushIntervalMs: 20 },
      });
      finishSpans(tracer, 10);
      await delay(300);
      await closeTracer();
      assert.deepEqual(warnings.messages, []);
      // Every datagram is an agent emitBatch call (binary Thrift: version 1, message type "oneway").
      assert.ok(agent.packets.length >= 2, `${agent.packets.length} datagrams`);
      for (const packet of agent.packets) assert.equal(packet.readUInt32BE(0), 0x80010004);
    } finally {
      await agent.close();
    }
  });

  it('where silence proves nothing, a sampling port that does not answer makes the probe say spans may be lost', async () => {
    const agent = await udpSink();
    const samplingPort = await closedPort();
    const said: string[] = [];
    const probe = startUdpAgentProbe(
      { host: '127.0.0.1', port: agent.port, socketType: 'udp4', samplingPort, probe: Buffer.from('probe') },
      (message) => said.push(message),
      { trustSilence: false },
    );
    try {
      await until(() => said.length > 0);
      assert.deepEqual(said, [
        `spans sent to the Jaeger agent at udp://127.0.0.1:${agent.port} may be lost: its sampling port 127.0.0.1:${samplingPort} does not answer (ECONNREFUSED), ` +
          'and UDP cannot tell whether anything listens. Check that a Jaeger agent runs there; this is said once.',
      ]);
    } finally {
      probe.close();
      await agent.close();
    }
  });
});
