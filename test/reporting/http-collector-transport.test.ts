import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';
import { httpSink } from '../support/fake-jaeger-endpoints';
import { OtlpHttpTransport } from './otlp-modules';
import { encodeOtlpPartialSuccess } from './otlp-proto';
import { HttpCollectorTransport, describeSendFailure } from './reporting-modules';

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

  it("calls a 503, a 429 or a 500 (Jaeger's memory limiter refusing for now) worth another try, and a 400 final", async () => {
    const statuses = [503, 429, 500, 400];
    const collector = await httpSink(() => ({ status: statuses.shift() ?? 202 }));
    const transport = new HttpCollectorTransport({ endpoint: `${collector.url}/api/traces` });
    try {
      const outcomes = [];
      for (let i = 0; i < 4; i += 1) outcomes.push(await transport.send(Buffer.from('x')));
      assert.deepEqual(
        outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.retryable)),
        [true, true, true, false],
      );
      assert.match(outcomes[3].ok ? '' : outcomes[3].reason, /HTTP 400/);
    } finally {
      await transport.close();
      await collector.close();
    }
  });

  it("says why a final answer failed: a text body on one line, cut; a redirect's target without credentials or query; a protobuf Status's message; no other binary body", async () => {
    const TOO_LARGE = 'http: request body too large';
    const answers: Array<{ status: number; body?: string; headers?: Record<string, string> }> = [
      { status: 400, body: 'Unable to process request body:\n gzip not enabled on this route' },
      { status: 400, body: `${'x'.repeat(1000)}`, headers: { 'content-type': 'text/plain' } },
      { status: 307, headers: { location: 'https://user:pw@new-collector:14268/api/traces?token=t0ken' } },
      { status: 308, headers: { location: 'v2/api/traces?token=t0ken' } },
      // The OpenTelemetry Collector's answer to a body past its limit: a google.rpc.Status (code 3, its message).
      { status: 400, body: `\u0008\u0003\u0012${String.fromCharCode(TOO_LARGE.length)}${TOO_LARGE}`, headers: { 'content-type': 'application/x-protobuf' } },
      { status: 400, body: '\u0008\u0001\u0012 binary', headers: { 'content-type': 'application/octet-stream' } },
    ];
    const collector = await httpSink(() => answers.shift() ?? { status: 202 });
    const transport = new HttpCollectorTransport({ endpoint: `${collector.url}/api/traces` });
    try {
      const texts: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const outcome = await transport.send(Buffer.from('x'));
        assert.equal(outcome.ok, false);
        texts.push(outcome.ok ? '' : describeSendFailure(outcome.reason).text);
      }
      assert.equal(texts[0], 'the collector answered HTTP 400: Unable to process request body: gzip not enabled on this route');
      assert.equal(texts[1], `the collector answered HTTP 400: ${'x'.repeat(200)}…`);
      assert.equal(texts[2], "the collector answered HTTP 307, redirecting to https://new-collector:14268/api/traces (point the reporter's endpoint there)");
      assert.equal(texts[3], `the collector answered HTTP 308, redirecting to ${collector.url}/api/v2/api/traces (point the reporter's endpoint there)`);
      assert.equal(
        texts[4],
        'the collector answered HTTP 400 (a batch was too large for it: set reporter.maxBatchBytes, 512 KiB before compression by default, below its request size limit): http: request body too large',
      );
      assert.equal(texts[5], 'the collector answered HTTP 400');
      // A collector that wants a client certificate: OpenSSL's code has digits in it.
      assert.equal(
        describeSendFailure('error:0A00045C:SSL routines::tlsv13 alert certificate required (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)').text,
        'it requires a client certificate (set reporter.tls.cert and reporter.tls.key) (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)',
      );
    } finally {
      await transport.close();
      await collector.close();
    }
  });

  it('quotes no credential it sent back in a warning, and waits at most a second for a body that trickles', async () => {
    const echoed = '{"error":"bad batch","authorization":"Bearer sk-live-t0ken-123","x-api-key":"k3y-value-456"}';
    const answers: Array<{ status: number; body?: string }> = [
      { status: 401, body: echoed },
      { status: 400, body: echoed },
    ];
    const collector = await httpSink(() => answers.shift() ?? { status: 202 });
    const transport = new HttpCollectorTransport({
      endpoint: `${collector.url}/api/traces`,
      headers: { authorization: 'Bearer sk-live-t0ken-123', 'x-api-key': 'k3y-value-456' },
    });
    const trickling = http.createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      const drip = setInterval(() => res.write('.'), 100);
      res.on('close', () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => trickling.listen(0, '127.0.0.1', resolve));
    const slow = new HttpCollectorTransport({ endpoint: `http://127.0.0.1:${(trickling.address() as net.AddressInfo).port}/api/traces` });
    try {
      const texts: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const outcome = await transport.send(Buffer.from('x'));
        texts.push(outcome.ok ? '' : describeSendFailure(outcome.reason).text);
      }
      assert.match(texts[0], /^the collector answered HTTP 401 \(unauthorized: [^)]*\)$/);
      assert.equal(texts[1], 'the collector answered HTTP 400: {"error":"bad batch","authorization":"[REDACTED]","x-api-key":"[REDACTED]"}');
      const started = Date.now();
      const outcome = await slow.send(Buffer.from('x'));
      assert.equal(outcome.ok, false);
      assert.ok(Date.now() - started < 3000, `settled after ${Date.now() - started} ms`);
    } finally {
      await transport.close();
      await slow.close();
      trickling.closeAllConnections();
      await new Promise((resolve) => trickling.close(resolve));
      await collector.close();
    }
  });

  it('over OTLP: a 503 or a 429 worth another try, a 500 final, as the specification says', async () => {
    const statuses = [503, 429, 500];
    const receiver = await httpSink(() => ({ status: statuses.shift() ?? 200 }));
    const transport = new OtlpHttpTransport({ endpoint: `${receiver.url}/v1/traces` });
    try {
      const outcomes = [];
      for (let i = 0; i < 3; i += 1) outcomes.push(await transport.send(Buffer.from('x')));
      assert.deepEqual(
        outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.retryable)),
        [true, true, false],
      );
    } finally {
      await transport.close();
      await receiver.close();
    }
  });

  it("over OTLP: a partial success's reason comes without a header value it sent back", async () => {
    const receiver = await httpSink(() => ({
      status: 200,
      body: encodeOtlpPartialSuccess(1, 'tenant key sk-live-5ecr3t-key over quota'),
      headers: { 'content-type': 'application/x-protobuf' },
    }));
    const transport = new OtlpHttpTransport({ endpoint: `${receiver.url}/v1/traces`, headers: { 'x-tenant-key': 'sk-live-5ecr3t-key' } });
    try {
      assert.deepEqual(await transport.send(Buffer.from('x')), { ok: true, rejected: { count: 1, reason: 'tenant key [REDACTED] over quota' } });
    } finally {
      await transport.close();
      await receiver.close();
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
