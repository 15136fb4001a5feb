import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { InMemoryReporter } from 'jaeger-client';
import { initTracer, withSpan } from 'jaeger-decorators';
import { installHttpClientPatches, uninstallHttpClientPatches } from 'jaeger-decorators/http';
import { httpSink, type RecordedRequest } from '../support/fake-jaeger-endpoints';
import { closeTracer, delay, recordingTracer, type RecordedSpan, type RecordingTracer } from '../support/recording-tracer';
import { collectTracingWarnings } from '../support/tracing-warnings';

type Sink = Awaited<ReturnType<typeof httpSink>>;

/** Node publishes http.client.request.created from 22.12; before that the http functions are patched. */
const [nodeMajor, nodeMinor] = process.versions.node.split('.').map(Number);
const listensOnChannels = nodeMajor > 22 || (nodeMajor === 22 && nodeMinor >= 12);

function clientSpans(recording: RecordingTracer): RecordedSpan[] {
  return recording.spans().filter((span) => span.tags['span.kind'] === 'client');
}

async function settledClientSpans(recording: RecordingTracer, count: number): Promise<RecordedSpan[]> {
  for (let i = 0; i < 100 && clientSpans(recording).length < count; i += 1) await delay(5);
  return clientSpans(recording);
}

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** Runs `fn` inside a span "parent" of the recording tracer, finishing it after. */
/** A trace id as jaeger-client writes it in uber-trace-id: without the leading zeros Jaeger prints. */
const bareId = (id: string) => id.replace(/^0+/, '');

async function inParent<T>(recording: RecordingTracer, fn: () => Promise<T>): Promise<{ result: T; parentSpanId: string }> {
  const parent = recording.tracer.startSpan('parent');
  const result = await withSpan(parent, fn);
  parent.finish();
  return { result, parentSpanId: (parent.context() as unknown as { spanIdStr: string }).spanIdStr };
}

describe('HTTP client patches', () => {
  let sink: Sink;
  let recording: RecordingTracer;
  const lastRequest = (): RecordedRequest => sink.requests[sink.requests.length - 1];

  before(async () => {
    sink = await httpSink((request) => ({ status: request.url.startsWith('/missing') ? 404 : request.url.startsWith('/broken') ? 503 : 200, body: '{}' }));
  });
  after(() => sink.close());
  beforeEach(() => {
    recording = recordingTracer();
    installHttpClientPatches();
  });
  afterEach(async () => {
    uninstallHttpClientPatches();
    await closeTracer();
  });

  it('gives http.get a client span under the active span and injects the trace header', async () => {
    const { parentSpanId } = await inParent(recording, () => get(`${sink.url}/users/1?token=s3cret&page=2`));
    const [span] = await settledClientSpans(recording, 1);
    assert.equal(span.name, 'HTTP GET');
    assert.equal(span.parentId, parentSpanId);
    assert.deepEqual(
      { kind: span.tags['span.kind'], component: span.tags.component, method: span.tags['http.method'], status: span.tags['http.status_code'] },
      { kind: 'client', component: 'http', method: 'GET', status: 200 },
    );
    assert.equal(span.tags['http.url'], `${sink.url}/users/1?token=[REDACTED]&page=2`);
    assert.equal(span.tags['peer.hostname'], '127.0.0.1');
    assert.equal(span.tags['peer.port'], sink.port);
    assert.equal(lastRequest().headers['uber-trace-id'], `${bareId(span.traceId)}:${span.spanId}:${span.parentId}:1`);
  });

  it('gives fetch a client span and injects the header, keeping the caller headers', async () => {
    await inParent(recording, async () => {
      const response = await fetch(`${sink.url}/things`, { method: 'POST', headers: { 'x-caller': 'kept' }, body: '{}' });
      return response.status;
    });
    const [span] = await settledClientSpans(recording, 1);
    assert.equal(span.tags.component, 'fetch');
    assert.equal(span.tags['http.method'], 'POST');
    assert.equal(lastRequest().headers['x-caller'], 'kept');
    assert.match(String(lastRequest().headers['uber-trace-id']), new RegExp(`^${bareId(span.traceId)}:${span.spanId}:`));
  });

  it('keeps the headers of a Request object given to fetch', async () => {
    await inParent(recording, () => fetch(new Request(`${sink.url}/req`, { headers: { 'x-from-request': 'yes' } })));
    assert.equal(lastRequest().headers['x-from-request'], 'yes');
    assert.ok(lastRequest().headers['uber-trace-id']);
  });

  it("replaces the context headers a proxy copied from its own caller with this call's, and keeps every other header the caller set", async () => {
    // What http-proxy-middleware forwards: the gateway's caller's headers, trace context and baggage included.
    const copied = { 'uber-trace-id': '00000000000000aa:00000000000000bb:0:1', 'uberctx-tenant': 'acme', 'x-request-id': 'r-1' };
    await inParent(recording, () => get(`${sink.url}/proxied`, copied));
    const [client] = await settledClientSpans(recording, 1);
    const { headers } = lastRequest();
    // The upstream is the child of this call's client span, under both context headers the tracer sends.
    assert.match(String(headers['uber-trace-id']), new RegExp(`^[0-9a-f]+:0*${client.spanId.replace(/^0+/, '')}:[0-9a-f]+:1$`));
    assert.equal(headers['trace-id'], headers['uber-trace-id']);
    assert.equal(headers['uberctx-tenant'], 'acme');
    assert.equal(headers['x-request-id'], 'r-1');
    // A copied traceparent, which this tracer does not send by default, names this call too.
    await inParent(recording, () => get(`${sink.url}/proxied-w3c`, { traceparent: '00-000000000000000000000000000000aa-00000000000000bb-01' }));
    const [second] = (await settledClientSpans(recording, 2)).filter((span) => span.spanId !== client.spanId);
    assert.equal(lastRequest().headers.traceparent, `00-${second.traceId.padStart(32, '0')}-${second.spanId.padStart(16, '0')}-01`);
  });

  it("injects trace_id_header as Python's jaeger_client names it (trace-id), uber-trace-id beside it, and baggage", async () => {
    await closeTracer();
    recording = recordingTracer({ trace_id_header: 'trace_id' });
    const parent = recording.tracer.startSpan('parent');
    parent.setBaggageItem('tenant', 'acme');
    await withSpan(parent, () => get(`${sink.url}/seed`));
    parent.finish();
    const { headers } = lastRequest();
    assert.match(String(headers['trace-id']), /^[0-9a-f]+:[0-9a-f]+:[0-9a-f]+:1$/);
    assert.equal(headers['uber-trace-id'], headers['trace-id']);
    assert.equal(headers.trace_id, undefined);
    assert.equal(headers['uberctx-tenant'], 'acme');
  });

  it('injects W3C traceparent when inject_headers lists it, for OpenTelemetry services downstream', async () => {
    await closeTracer();
    recording = recordingTracer({ inject_headers: ['uber-trace-id', 'traceparent'] });
    await inParent(recording, () => get(`${sink.url}/otel`));
    const [span] = await settledClientSpans(recording, 1);
    const { headers } = lastRequest();
    assert.equal(headers.traceparent, `00-${span.traceId.padStart(32, '0')}-${span.spanId.padStart(16, '0')}-01`);
    assert.ok(headers['uber-trace-id']);
    assert.equal(headers['trace-id'], undefined);
  });

  it('leaves calls with no active span alone', async () => {
    await get(`${sink.url}/untraced`);
    await fetch(`${sink.url}/untraced`);
    await delay(10);
    assert.equal(clientSpans(recording).length, 0);
    assert.equal(lastRequest().headers['uber-trace-id'], undefined);
  });

  it('with traceWithoutParent, traces a call with no active span as a new trace', async () => {
    uninstallHttpClientPatches();
    installHttpClientPatches({ traceWithoutParent: true });
    await get(`${sink.url}/root`);
    const [span] = await settledClientSpans(recording, 1);
    assert.equal(span.parentId, null);
    // With no span active, a context the caller set is the caller's to send: kept.
    await get(`${sink.url}/own`, { 'uber-trace-id': 'abcdefabcdef1234:1111111111111111:0:1' });
    assert.equal(lastRequest().headers['uber-trace-id'], 'abcdefabcdef1234:1111111111111111:0:1');
  });

  it('marks a 5xx response error=true, as Python and OpenTelemetry client spans do, and only tags a 4xx', async () => {
    await inParent(recording, async () => {
      await get(`${sink.url}/missing`);
      await fetch(`${sink.url}/broken`);
      await get(`${sink.url}/broken`);
    });
    const spans = await settledClientSpans(recording, 3);
    const byStatus = spans.map((s) => [s.tags['http.status_code'], s.tags.error ?? false]).sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(byStatus, [
      [404, false],
      [503, true],
      [503, true],
    ]);
  });

  it('ends the span with error=true and a log on a network error, and the error reaches the caller', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await inParent(recording, async () => {
      await assert.rejects(get(`http://127.0.0.1:${port}/`), { code: 'ECONNREFUSED' });
      await assert.rejects(fetch(`http://127.0.0.1:${port}/`), TypeError);
    });
    const spans = await settledClientSpans(recording, 2);
    assert.equal(spans.length, 2);
    for (const span of spans) {
      assert.equal(span.tags.error, true);
      assert.equal(span.logs[0].event, 'error');
    }
  });

  it('ends the span once with an error when the caller aborts', async () => {
    const slow = http.createServer((_req, res) => setTimeout(() => res.end('late'), 500));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const { port } = slow.address() as AddressInfo;
    try {
      await inParent(recording, async () => {
        const request = http.get(`http://127.0.0.1:${port}/`);
        request.on('error', () => {});
        setTimeout(() => request.destroy(), 30);
        await new Promise((resolve) => request.once('close', resolve));
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 30);
        await assert.rejects(fetch(`http://127.0.0.1:${port}/`, { signal: controller.signal }), { name: 'AbortError' });
      });
      const spans = await settledClientSpans(recording, 2);
      assert.equal(spans.length, 2);
      assert.ok(spans.every((span) => span.tags.error === true));
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it("never traces the tracer's own traffic to its collector", async () => {
    await closeTracer();
    const collector = await httpSink();
    try {
      const tracer = initTracer('svc', { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: `${collector.url}/api/traces` } });
      const parent = tracer.startSpan('parent');
      // 2500 spans finished inside an active span (the reporter posts up to 1000 a batch): three posts.
      await withSpan(parent, async () => {
        for (let i = 0; i < 2500; i += 1) tracer.startSpan(`op-${i}`, { childOf: parent }).finish();
      });
      parent.finish();
      await closeTracer();
      const posted = collector.requests.map((request) => request.body.toString('latin1')).join('');
      assert.ok(collector.requests.length >= 3);
      assert.ok(!posted.includes('HTTP POST'), 'a client span of the reporter itself was reported');
      assert.ok(collector.requests.every((request) => request.headers['uber-trace-id'] === undefined));
    } finally {
      await collector.close();
    }
  });

  it('installing twice makes one span per call; uninstalling stops tracing and leaves Node its own functions', async () => {
    uninstallHttpClientPatches();
    const originals = { request: http.request, get: http.get, httpsRequest: https.request, fetch: globalThis.fetch };
    installHttpClientPatches();
    installHttpClientPatches();
    // Where Node publishes its requests nothing is replaced; Node 20 gets http's functions patched.
    if (listensOnChannels) assert.equal(http.request, originals.request);
    else assert.notEqual(http.request, originals.request);
    assert.equal(globalThis.fetch, originals.fetch);
    await inParent(recording, async () => {
      await get(`${sink.url}/twice`);
      await (await fetch(`${sink.url}/twice`)).text();
    });
    assert.equal((await settledClientSpans(recording, 2)).length, 2);
    uninstallHttpClientPatches();
    assert.deepEqual({ request: http.request, get: http.get, httpsRequest: https.request, fetch: globalThis.fetch }, originals);
    await inParent(recording, async () => {
      await get(`${sink.url}/after-uninstall`);
      await (await fetch(`${sink.url}/after-uninstall`)).text();
    });
    await delay(20);
    assert.equal(clientSpans(recording).length, 2);
    assert.equal(lastRequest().headers['uber-trace-id'], undefined);
    installHttpClientPatches();
  });

  it('traces calls through references taken before installing, as ESM named imports are', async () => {
    uninstallHttpClientPatches();
    const esm = (await import('node:http')) as unknown as typeof http;
    const earlyGet = esm.get;
    const earlyFetch = globalThis.fetch;
    installHttpClientPatches();
    // On Node 20 the patch reaches ESM importers through the module namespace, read after installing.
    const namedGet = listensOnChannels ? earlyGet : esm.get;
    await inParent(recording, async () => {
      await new Promise<void>((resolve, reject) => {
        namedGet(`${sink.url}/named-get`, (response) => response.resume().on('end', resolve)).on('error', reject);
      });
      await (await earlyFetch(`${sink.url}/early-fetch`)).text();
    });
    const spans = await settledClientSpans(recording, 2);
    assert.deepEqual(spans.map((span) => span.tags['http.url']).sort(), [`${sink.url}/early-fetch`, `${sink.url}/named-get`]);
    assert.ok(sink.requests.slice(-2).every((request) => typeof request.headers['uber-trace-id'] === 'string'));
  });

  it('traces https.request, with the https component', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jd-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
        ],
        { stdio: 'ignore' },
      );
    } catch {
      t.skip('openssl is not installed: no certificate for an https server');
      return;
    }
    const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (req, res) => {
      res.end(String(req.headers['uber-trace-id'] ?? ''));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { result: echoed } = await inParent(
        recording,
        () =>
          new Promise<string>((resolve, reject) => {
            https
              .request({ hostname: '127.0.0.1', port, path: '/secure', method: 'GET', rejectUnauthorized: false }, (response) => {
                let body = '';
                response.on('data', (chunk: Buffer) => (body += chunk.toString()));
                response.on('end', () => resolve(body));
              })
              .on('error', reject)
              .end();
          }),
      );
      const [span] = await settledClientSpans(recording, 1);
      assert.equal(span.tags.component, 'https');
      assert.equal(span.tags['http.url'], `https://127.0.0.1:${port}/secure`);
      assert.match(echoed, new RegExp(`^${bareId(span.traceId)}:${span.spanId}:`));
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores URLs the user lists', async () => {
    uninstallHttpClientPatches();
    installHttpClientPatches({ ignoreUrls: [`${sink.url}/skip`, /\/metrics$/] });
    await inParent(recording, async () => {
      await get(`${sink.url}/skip/this`);
      await get(`${sink.url}/app/metrics`);
    });
    await delay(10);
    assert.equal(clientSpans(recording).length, 0);
  });

  it('still frees the socket of a request whose caller never reads the response', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const before = sink.requests.length;
    try {
      await inParent(recording, async () => {
        for (let i = 0; i < 6; i += 1) http.request({ host: '127.0.0.1', port: sink.port, path: `/fire-and-forget/${i}`, agent }).end();
      });
      const spans = await settledClientSpans(recording, 6);
      assert.equal(sink.requests.length - before, 6);
      assert.equal(spans.length, 6);
    } finally {
      agent.destroy();
    }
  });

  it('lets an error the caller does not listen for crash the process, as it would without the patch', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const fixture = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'unhandled-client-error.js');
    const result = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      execFile(process.execPath, [fixture], { env: { ...process.env, CLOSED_PORT: String(port) } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, /ECONNREFUSED/);
  });

  it('marks a response cut off mid-body as failed', async () => {
    const cutter = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write('partial');
      setTimeout(() => res.destroy(), 20);
    });
    await new Promise<void>((resolve) => cutter.listen(0, '127.0.0.1', resolve));
    const { port } = cutter.address() as AddressInfo;
    try {
      await inParent(
        recording,
        () =>
          new Promise<void>((resolve) => {
            http
              .get(`http://127.0.0.1:${port}/`, (response) => {
                response.on('data', () => {});
                response.on('error', () => resolve());
                response.on('close', () => resolve());
              })
              .on('error', () => resolve());
          }),
      );
      const [span] = await settledClientSpans(recording, 1);
      assert.equal(span.tags['http.status_code'], 200);
      assert.equal(span.tags.error, true);
    } finally {
      cutter.close();
    }
  });

  it('leaves a cut-off response to a caller that listens to its data and close only: no crash, the partial body read', async () => {
    const fixture = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'cut-off-response.js');
    const result = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      execFile(process.execPath, [fixture], { env: { ...process.env, PATCHED: '1' } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { body: '0123456789', complete: false, clientError: true });
  });

  it('leaves the body of a response taken by a callback to the caller, however late it reads it', async () => {
    const { result: body } = await inParent(recording, async () => {
      const response = await new Promise<http.IncomingMessage>((resolve) => http.get(`http://127.0.0.1:${sink.port}/later`, resolve));
      await delay(30);
      let text = '';
      for await (const chunk of response) text += String(chunk);
      return text;
    });
    assert.equal(body, '{}');
    const [span] = await settledClientSpans(recording, 1);
    assert.equal(span.tags['http.status_code'], 200);
    assert.equal(span.tags.error, undefined);
  });

  it("leaves a URL's fragment out of http.url: it is never sent, and an OAuth redirect's carries a token", async () => {
    await inParent(recording, () => get(`http://127.0.0.1:${sink.port}/callback?state=1#access_token=fr4gment-t0ken`));
    const [span] = await settledClientSpans(recording, 1);
    assert.equal(span.tags['http.url'], `http://127.0.0.1:${sink.port}/callback?state=1`);
  });

  it('a WebSocket handshake answered 101 and a CONNECT answered 200: one span each with its status, not a failure', async () => {
    const server = http.createServer();
    server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'));
    server.on('connect', (_req, socket) => socket.end('HTTP/1.1 200 Connection Established\r\n\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const statuses = await inParent(recording, async () => {
        const handshake = (options: http.RequestOptions, event: 'upgrade' | 'connect') =>
          new Promise<number>((resolve, reject) => {
            const request = http.request({ host: '127.0.0.1', port, ...options });
            request.on(event, (response: http.IncomingMessage, socket: import('node:net').Socket) => {
              socket.destroy();
              resolve(response.statusCode ?? 0);
            });
            request.on('error', reject);
            request.end();
          });
        return [
          await handshake({ path: '/chat', headers: { connection: 'Upgrade', upgrade: 'websocket' } }, 'upgrade'),
          await handshake({ method: 'CONNECT', path: 'example.com:443' }, 'connect'),
        ];
      });
      assert.deepEqual(statuses.result, [101, 200]);
      const spans = await settledClientSpans(recording, 2);
      assert.deepEqual(spans.map((span) => [span.tags['http.status_code'], span.tags.error ?? false]).sort(), [
        [101, false],
        [200, false],
      ]);
    } finally {
      server.close();
    }
  });

  it("a request in absolute form, as a client sends a forward proxy, records the URL it names (its port, not the proxy's), its credentials redacted", async () => {
    const viaProxy = (path: string, headers: Record<string, string> = {}) =>
      new Promise<void>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: sink.port, path, headers }, (response) => {
            response.resume();
            response.on('end', () => resolve());
          })
          .on('error', reject);
      });
    await inParent(recording, async () => {
      await viaProxy('http://ada:pr0xy-pa55@api.example.com/orders?token=t0k');
      // As proxy clients send it: the Host header names the target, not the proxy the socket goes to.
      await viaProxy('http://api.example.com:8081/stock', { host: 'api.example.com:8081' });
      await viaProxy('http://api.example.com/prices', { host: 'api.example.com' });
    });
    const spans = await settledClientSpans(recording, 3);
    assert.deepEqual(
      spans.map((span) => [span.tags['http.url'], span.tags['peer.hostname'], span.tags['peer.port']]),
      [
        ['http://[REDACTED]:[REDACTED]@api.example.com/orders?token=[REDACTED]', 'api.example.com', 80],
        ['http://api.example.com:8081/stock', 'api.example.com', 8081],
        ['http://api.example.com/prices', 'api.example.com', 80],
      ],
    );
  });

  it('a request whose headers Node writes at once (Expect: 100-continue, headers as an array) goes out as it is: no warning, one span', async () => {
    const warnings = collectTracingWarnings();
    try {
      await inParent(recording, async () => {
        await get(`${sink.url}/expect`, { expect: '100-continue' });
        await new Promise<void>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: sink.port, path: '/array', headers: ['x-tenant', 'acme'] as unknown as http.OutgoingHttpHeaders }, (response) => {
              response.resume();
              response.on('end', () => resolve());
            })
            .on('error', reject);
        });
      });
      assert.equal((await settledClientSpans(recording, 2)).length, 2);
      assert.deepEqual(warnings.messages, []);
    } finally {
      warnings.stop();
    }
  });

  it('leaves the caller the error when http.request rejects its options at once, the call never sent', async () => {
    await inParent(recording, async () => {
      assert.throws(() => http.request({ host: '127.0.0.1', port: sink.port, headers: { 'bad header': 'x' } }), { code: 'ERR_INVALID_HTTP_TOKEN' });
    });
    await delay(10);
    const spans = clientSpans(recording);
    // Node publishes a request once constructed: on the channel there is nothing to trace. The patch sees the
    // call before Node refuses it and ends its span with the error.
    if (listensOnChannels) assert.equal(spans.length, 0);
    else assert.equal(spans[0].tags.error, true);
  });

  it('records the URL Node really calls, for every form of options', async () => {
    await inParent(recording, async () => {
      await new Promise<void>((resolve) => {
        http.get({ hostname: '', host: '127.0.0.1', port: sink.port, path: '/a?x=1?token=s3' }, (res) => res.resume().on('end', resolve));
      });
    });
    const [span] = await settledClientSpans(recording, 1);
    assert.equal(span.tags['http.url'], `http://127.0.0.1:${sink.port}/a?x=1?token=s3`);
  });

  it('gives each request of a followed fetch redirect its own span and header', async () => {
    const seen: Array<string | undefined> = [];
    const redirecting = http.createServer((req, res) => {
      seen.push(req.headers['uber-trace-id'] as string | undefined);
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else res.end('moved here');
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const { port } = redirecting.address() as AddressInfo;
    try {
      const { result: body } = await inParent(recording, async () => (await fetch(`http://127.0.0.1:${port}/old`)).text());
      assert.equal(body, 'moved here');
      const spans = await settledClientSpans(recording, 2);
      assert.deepEqual(
        spans.map((span) => [span.tags['http.url'], span.tags['http.status_code']]),
        [
          [`http://127.0.0.1:${port}/old`, 302],
          [`http://127.0.0.1:${port}/new`, 200],
        ],
      );
      assert.deepEqual(
        seen.map((header) => header?.split(':')[1]),
        spans.map((span) => span.spanId),
      );
    } finally {
      redirecting.close();
    }
  });

  it('records the host and port it connects to when the caller sends another Host header', async () => {
    await inParent(recording, async () => {
      await new Promise<void>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: sink.port, path: '/virtual', headers: { host: `api.internal:${sink.port}` } }, (res) =>
            res.resume().on('end', resolve),
          )
          .on('error', reject);
      });
    });
    const [span] = await settledClientSpans(recording, 1);
    assert.equal(span.tags['peer.hostname'], '127.0.0.1');
    assert.equal(span.tags['peer.port'], sink.port);
    assert.equal(span.tags['http.url'], `http://127.0.0.1:${sink.port}/virtual`);
    // Tagged once, from the socket: a guess tagged first would be a second row of each in Jaeger.
    assert.deepEqual(span.tagKeys.filter((key) => key === 'peer.port' || key === 'http.url').sort(), ['http.url', 'peer.port']);
    assert.equal(lastRequest().headers.host, `api.internal:${sink.port}`);
  });

  it('records the address it meant to call when a call with another Host header never connects', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { result: failure } = await inParent(
      recording,
      () =>
        new Promise<NodeJS.ErrnoException>((resolve) => {
          http.get({ host: '127.0.0.1', port, path: '/virtual', headers: { host: 'api.internal' } }, () => resolve(new Error('answered'))).on('error', resolve);
        }),
    );
    assert.equal(failure.code, 'ECONNREFUSED');
    const [span] = await settledClientSpans(recording, 1);
    assert.equal(span.tags.error, true);
    // No socket told the port, and the Host header names another host: the port the connection error tried.
    assert.equal(span.tags['peer.hostname'], '127.0.0.1');
    assert.equal(span.tags['peer.port'], port);
    assert.equal(span.tags['http.url'], `http://127.0.0.1:${port}/virtual`);
    assert.deepEqual(span.tagKeys.filter((key) => key === 'peer.port' || key === 'http.url').sort(), ['http.url', 'peer.port']);
  });

  it('rejects unknown options, naming them', () => {
    assert.throws(() => installHttpClientPatches({ ignore: [] } as never), /installHttpClientPatches\(\): unknown option 'ignore'/);
  });
});

describe('HTTP client patches with an unsampled trace', () => {
  it('still propagates the context (sampled=0) so the next service does not sample either', async () => {
    const sink = await httpSink();
    const reporter = new InMemoryReporter();
    const tracer = initTracer('svc', { sampler: { type: 'const', param: 0 } }, { reporter });
    installHttpClientPatches();
    try {
      const parent = tracer.startSpan('parent');
      await withSpan(parent, () => get(`${sink.url}/x`));
      assert.match(String(sink.requests[0].headers['uber-trace-id']), /:0$/);
      assert.equal(reporter.spans.length, 0);
    } finally {
      uninstallHttpClientPatches();
      await closeTracer();
      await sink.close();
    }
  });
});
