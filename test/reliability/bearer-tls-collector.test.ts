import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { describeWithJaeger, findTraces, requireJaeger, uniqueService } from '../support/jaeger-api';
import { delay } from '../support/recording-tracer';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates';
import { watchProcessHealth } from './process-health';

const GOOD_TOKEN = 'good-token-0f3c9a';
const WRONG_TOKEN = 'wrong-token-7b1e55';

interface ProxiedRequest {
  authorized: boolean;
  contentEncoding: string | undefined;
  clientCertificate: boolean;
  status: number;
}

/**
 * A collector that wants a bearer token over mutual TLS, as one behind an authenticating gateway does: an
 * https server (a certificate from the test's own authority, and a client certificate required) that checks
 * `Authorization` and forwards the batch, as it came (compressed or not), to the real Jaeger's /api/traces.
 */
async function startAuthenticatingProxy(certs: TestCertificates): Promise<{ url: string; requests: ProxiedRequest[]; close(): Promise<void> }> {
  const requests: ProxiedRequest[] = [];
  const jaegerCollector = new URL(requireJaeger().collectorUrl);
  const server = https.createServer(
    {
      key: fs.readFileSync(certs.serverKey),
      cert: fs.readFileSync(certs.serverCert),
      ca: fs.readFileSync(certs.caCert),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const record: ProxiedRequest = {
          authorized: req.headers.authorization === `Bearer ${GOOD_TOKEN}`,
          contentEncoding: req.headers['content-encoding'],
          clientCertificate: (req.socket as import('node:tls').TLSSocket).authorized,
          status: 401,
        };
        requests.push(record);
        if (!record.authorized) {
          res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
          return;
        }
        const headers: http.OutgoingHttpHeaders = { 'content-type': req.headers['content-type'] };
        if (record.contentEncoding !== undefined) headers['content-encoding'] = record.contentEncoding;
        const forward = http.request(jaegerCollector, { method: 'POST', headers }, (answer) => {
          answer.resume();
          record.status = answer.statusCode ?? 0;
          res.writeHead(record.status).end();
        });
        forward.on('error', () => res.writeHead(502).end());
        forward.end(Buffer.concat(chunks));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/traces`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describeWithJaeger('reliability: a collector behind a bearer token and TLS', () => {
  const certs = makeTestCertificates();
  let proxy: Awaited<ReturnType<typeof startAuthenticatingProxy>>;
  let health: ReturnType<typeof watchProcessHealth>;
  const warnings: string[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'TracingWarning') warnings.push(warning.message);
  };

  before(async () => {
    if (certs !== undefined) proxy = await startAuthenticatingProxy(certs);
    process.on('warning', onWarning);
  });
  afterEach(async () => {
    await closeTracer();
    await delay(10);
    health?.stop();
    warnings.length = 0;
    if (proxy !== undefined) proxy.requests.length = 0;
  });
  after(async () => {
    process.off('warning', onWarning);
    await proxy?.close();
    certs?.remove();
  });

  function traced(service: string, reporter: Record<string, unknown>) {
    health = watchProcessHealth();
    const tracer = initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: proxy.url, flushIntervalMs: 50, ...reporter } });
    for (let i = 0; i < 50; i += 1) tracer.startSpan(`secured-${i}`).finish();
  }

  it('with the right token, CA and client certificate, spans arrive in Jaeger, gzipped on the way', async (t) => {
    if (certs === undefined) return t.skip('needs openssl to make the test certificates');
    const service = uniqueService('tls-bearer');
    // File paths for the PEM files, as a deployment mounts them.
    traced(service, { headers: { Authorization: `Bearer ${GOOD_TOKEN}` }, tls: { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey } });
    await closeTracer();
    const traces = await findTraces(service, { minSpans: 50 });
    assert.equal(traces.length, 50);
    assert.ok(proxy.requests.length > 0);
    assert.deepEqual(
      proxy.requests.map((request) => [request.authorized, request.clientCertificate, request.contentEncoding, request.status]),
      proxy.requests.map(() => [true, true, 'gzip', 202]),
      "every batch came with the token and the client certificate, gzipped, and Jaeger's /api/traces took it",
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(health.unhandled, []);
  });

  it('JAEGER_AUTH_TOKEN gives the bearer token when the config sets no authorization header', async (t) => {
    if (certs === undefined) return t.skip('needs openssl to make the test certificates');
    const service = uniqueService('tls-env-token');
    process.env.JAEGER_AUTH_TOKEN = GOOD_TOKEN;
    try {
      traced(service, { tls: { ca: fs.readFileSync(certs.caCert, 'utf8'), cert: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey) } });
    } finally {
      delete process.env.JAEGER_AUTH_TOKEN;
    }
    await closeTracer();
    assert.equal((await findTraces(service, { minSpans: 50 })).length, 50);
    assert.ok(proxy.requests.every((request) => request.authorized));
  });

  it('with a wrong token, one warning says HTTP 401 and how many spans were dropped, never the token; the app sees nothing', async (t) => {
    if (certs === undefined) return t.skip('needs openssl to make the test certificates');
    traced(uniqueService('tls-wrong-token'), {
      headers: { authorization: `Bearer ${WRONG_TOKEN}`, 'x-api-key': 'api-key-d00d' },
      tls: { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey },
      password: 'basic-pass-f00',
      username: 'ada',
    });
    await delay(500);
    assert.equal(proxy.requests.length, 1, 'a 401 is not retried');
    await closeTracer();
    await delay(10);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(
      warnings[0],
      /^jaeger-decorators: could not send spans to the Jaeger collector at https:\/\/127\.0\.0\.1:\d+\/api\/traces: the collector answered HTTP 401 \(unauthorized: check reporter\.headers, reporter\.username\/password or JAEGER_AUTH_TOKEN\)\. 50 spans dropped so far\./,
    );
    assert.doesNotMatch(warnings.join('\n'), /wrong-token|api-key-d00d|basic-pass|BEGIN|PRIVATE/);
    assert.deepEqual(health.unhandled, []);
  });

  it('with a CA that did not sign the collector certificate, one warning says the certificate is not trusted; the app sees nothing', async (t) => {
    if (certs === undefined) return t.skip('needs openssl to make the test certificates');
    traced(uniqueService('tls-unknown-ca'), {
      headers: { authorization: `Bearer ${GOOD_TOKEN}` },
      tls: { ca: certs.otherCaCert, cert: certs.clientCert, key: certs.clientKey },
    });
    await delay(500);
    await closeTracer();
    await delay(10);
    assert.equal(proxy.requests.length, 0);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(
      warnings[0],
      /^jaeger-decorators: could not send spans to the Jaeger collector at https:\/\/127\.0\.0\.1:\d+\/api\/traces: its TLS certificate .*not trusted.* \(set reporter\.tls\.ca\) \([A-Z_]+\)\. 50 spans dropped so far\./,
    );
    assert.doesNotMatch(warnings[0], new RegExp(GOOD_TOKEN));
    assert.deepEqual(health.unhandled, []);
  });
});
