import assert from 'node:assert/strict';
import { it } from 'node:test';
import { udpSink } from '../support/fake-jaeger-endpoints';
import { UdpAgentTransport } from './reporting-modules';

it('paces datagrams to bytesPerMs after the first full packet, so a burst does not overrun the receiver', async () => {
  const agent = await udpSink();
  const transport = new UdpAgentTransport({ host: '127.0.0.1', port: agent.port, socketType: 'udp4', bytesPerMs: 16 * 1024 });
  try {
    const packet = Buffer.alloc(16 * 1024, 1);
    const started = performance.now();
    // The bucket starts with one full packet's worth (65,000 bytes): 3 packets leave at once, 7 wait their turn.
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => transport.send(packet)));
    const elapsedMs = performance.now() - started;
    assert.deepEqual(
      outcomes.map((outcome) => outcome.ok),
      Array.from({ length: 10 }, () => true),
    );
    assert.ok(elapsedMs >= 6, `10 packets of 16 KiB at 16 KiB/ms after a 65,000-byte burst took ${elapsedMs.toFixed(1)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(agent.packets.length, 10);
  } finally {
    await transport.close();
    await agent.close();
  }
});
