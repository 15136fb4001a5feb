import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { httpSink } from '../support/fake-jaeger-endpoints';
import { HttpCollectorTransport } from './reporting-modules';

const batch = Buffer.from('a thrift batch '.repeat(200));

describe('the HTTP collector transport: headers, compression, retries, timeouts', () => {
  it('sends the configured headers and a gzipped body with Content-Encoding: gzip by default', async () => {
    const collector = await httpSink();
    const transport = new HttpCollectorTransport({
      endpoint: `${collector.url}/api/traces`,
      headers: { authorization: 'Bearer t0ken', 'x-api-key': 'k3y' },
    });
    try {
      assert.deepEqual(await transport.send(batch), { ok: true });
      const [request] = collector.requests;
      assert.equal(request.headers.authorization, 'Bearer t0ken');
      assert.equal(request.headers['x-api-key'], 'k3y');
      assert.equal(request.headers['content-encoding'], 'gzip');
      assert.equal(request.headers['content-type'], 'application/x-thrift');
      assert.deepEqual(request.body, batch);
      assert.ok(request.wireBytes < batch.length / 10, `${request.wireBytes} bytes on the wire for ${batch.length}`);
    } finally {
      await transport.close();
      await collector.close();
    }
  });

  it("with compression 'none', posts the batch as it is", async () => {
    const collector = await httpSink();
    const transport = new HttpCollectorTransport({ endpoint: `${collector.url}/api/traces`, compression: 'none' });
    try {
      await transport.send(batch);
      assert.equal(collector.requests[0].headers['content-encoding'], undefined);
      assert.equal(collector.requests[0].wireBytes, batch.length);
    } finally {
      await transport.close();
      await collector.close();
    }
  });

  it('reads Retry-After on a 503 or 429, and calls a 401, 403 or 413 final', async () => {
    const answers = [{ status: 503, retryAfter: '2' }, { status: 429, retryAfter: '7' }, { status: 401 }, { status: 403 }, { status: 413 }];
    const collector = await httpSink();
    // httpSink answers without headers: a raw server sets Retry-After.
    const server = net.createServer((socket) =>
      socket.on('data', () => {
        const answer = answers.shift()!;
        const retryAfter = answer.retryAfter === undefined ? '' : `retry-after: ${answer.retryAfter}\r\n`;
        socket.write(`HTTP/1.1 ${answer.status} X\r\n${retryAfter}content-length: 0\r\n\r\n`);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = new HttpCollectorTransport({ endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/api/traces` });
    try {
      const outcomes = [];
      for (let i = 0; i < 5; i += 1) outcomes.push(await transport.send(batch));
      assert.deepEqual(
        outcomes.map((outcome) => (outcome.ok ? 'ok' : [outcome.retryable, outcome.retryAfterMs])),
        [
          [true, 2000],
          [true, 7000],
          [false, undefined],
          [false, undefined],
          [false, undefined],
        ],
      );
    } finally {
      await transport.close();
      await collector.close();
      server.close();
    }
  });

  it('aborts a request that gets no answer within timeoutMs: the socket is closed and the send is worth another try', async () => {
    let serverSideClosed = false;
    const server = net.createServer((socket) => {
      socket.resume(); // takes the request, never answers
      socket.on('close', () => (serverSideClosed = true));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = new HttpCollectorTransport({ endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/api/traces`, timeoutMs: 200 });
    try {
      const outcome = await transport.send(batch);
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.retryable, true);
      assert.match(!outcome.ok ? outcome.reason : '', /no answer within 200 ms \(ETIMEDOUT\)/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(serverSideClosed, true, 'the timed-out connection is closed');
    } finally {
      await transport.close();
      server.close();
    }
  });

  it('close() cuts off a request still waiting for its answer', async () => {
    const server = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = new HttpCollectorTransport({ endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/api/traces` });
    try {
      const pending = transport.send(batch);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await transport.close();
      const outcome = await pending;
      assert.equal(outcome.ok, false);
      const connections = await new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
      assert.equal(connections, 0);
    } finally {
      server.close();
    }
  });
});
