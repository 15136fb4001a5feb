import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { httpSink } from '../support/fake-jaeger-endpoints';
import { HttpCollectorTransport } from './reporting-modules';

describe('the HTTP collector transport', () => {
  it('posts the batch as application/x-thrift, with basic auth when a user and password are set', async () => {
    const collector = await httpSink();
    const transport = new HttpCollectorTransport({ endpoint: `${collector.url}/api/traces`, username: 'ada', password: 's3cret' });
    try {
      assert.deepEqual(await transport.send(Buffer.from([1, 2, 3])), { ok: true });
      const [request] = collector.requests;
      assert.equal(request.url, '/api/traces');
      assert.equal(request.headers['content-type'], 'application/x-thrift');
      assert.equal(request.headers.authorization, `Basic ${Buffer.from('ada:s3cret').toString('base64')}`);
      assert.deepEqual([...request.body], [1, 2, 3]);
    } finally {
      await transport.close();
      await collector.close();
    }
  });

  it('calls a 503 or a 429 worth another try, and a 400 final', async () => {
    const statuses = [503, 429, 400];
    const collector = await httpSink(() => ({ status: statuses.shift() ?? 202 }));
    const transport = new HttpCollectorTransport({ endpoint: `${collector.url}/api/traces` });
    try {
      const outcomes = [];
      for (let i = 0; i < 3; i += 1) outcomes.push(await transport.send(Buffer.from('x')));
      assert.deepEqual(
        outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.retryable)),
        [true, true, false],
      );
      assert.match(outcomes[2].ok ? '' : outcomes[2].reason, /HTTP 400/);
    } finally {
      await transport.close();
      await collector.close();
    }
  });

  it('calls a refused connection worth another try', async () => {
    // A port that was just free: nothing listens there.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const transport = new HttpCollectorTransport({ endpoint: `http://127.0.0.1:${port}/api/traces` });
    try {
      const outcome = await transport.send(Buffer.from('x'));
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.retryable, true);
    } finally {
      await transport.close();
    }
  });
});
