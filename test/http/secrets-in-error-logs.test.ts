import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { fastifyTracing } from 'jaeger-decorators/fastify';
import { httpRequest, listen } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordedSpan, type RecordingTracer } from '../support/recording-tracer';

// What a user checks after an error: no secret the request carried, in any of the places it carried it, shows up in
// what the trace stores. Each secret below is a distinct value, searched for in every span recorded.

/** Everything the spans hold, as one text to search for secret values. */
function stored(spans: RecordedSpan[]): string {
  return JSON.stringify(spans);
}

function assertNoneLeaked(spans: RecordedSpan[], secrets: string[]): void {
  const text = stored(spans);
  for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
}

async function serverSpan(recording: RecordingTracer, count = 1): Promise<RecordedSpan[]> {
  for (let i = 0; i < 100 && recording.spans().filter((span) => span.tags['span.kind'] === 'server').length < count; i += 1) await delay(5);
  return recording.spans().filter((span) => span.tags['span.kind'] === 'server');
}

/** Express, its error handler at the app level, outside the route: where Express has put back the app's (empty) params. */
function loginApp(options: Parameters<typeof tracingMiddleware>[0] = {}) {
  const app = express();
  app.use(tracingMiddleware(options));
  app.use(express.json());
  app.post('/login/:token', (req, _res, next) => {
    const error = new Error(`login failed: token=${req.params.token} key=${String(req.query.api_key)} password=${String(req.body.password)}`);
    (error as Error & { status: number }).status = Number(req.query.status);
    next(error);
  });
  app.post('/text', express.text({ type: '*/*' }), (_req, _res, next) => next(new Error('refused')));
  app.post('/raw', express.raw({ type: '*/*' }), (_req, _res, next) => next(new Error('refused')));
  app.get('/account', (_req, _res, next) => next(new Error('refused')));
  app.get('/prefs', (req, _res, next) => {
    const session = /session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    next(Object.assign(new Error(`dark mode true refused for session ${session}`), { status: 400 }));
  });
  app.use(tracingErrorHandler());
  app.use((error: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
    res.status(error.status ?? 500).json({}),
  );
  return app;
}

describe('secrets in error logs', () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  for (const status of [400, 500]) {
    it(`a ${status} whose message quotes a secret route parameter, query parameter and body field: none is stored`, async () => {
      const server = await listen(loginApp());
      try {
        const response = await httpRequest(`${server.url}/login/r0ute-tok3n?api_key=qu3ry-k3y&status=${status}&page=2`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: 'ada', password: 'b0dy-passw0rd' }),
        });
        assert.equal(response.status, status);
      } finally {
        await server.close();
      }
      const [span] = await serverSpan(recording);
      const log = span.logs.find((entry) => entry.event === (status === 500 ? 'error' : 'client_error'));
      assert.ok(log, JSON.stringify(span.logs));
      assert.equal(log.message, 'login failed: token=[REDACTED] key=[REDACTED] password=[REDACTED]');
      if (status === 500) {
        assert.match(String(log.stack), /^Error: login failed: token=\[REDACTED\] key=\[REDACTED\] password=\[REDACTED\]\n/);
        // The route's parameters are the request's arguments, though Express has left the route by now.
        assert.deepEqual(JSON.parse(String(log['request.args'])), { api_key: '[REDACTED]', status: '500', page: '2', token: '[REDACTED]' });
      }
      assertNoneLeaked([span], ['qu3ry-k3y', 'b0dy-passw0rd']);
      // The route parameter is in the path, which http.url shows as the request sent it; only the logs redact it.
      assert.ok(!JSON.stringify(span.logs).includes('r0ute-tok3n'), JSON.stringify(span.logs));
    });
  }

  it('secret names written in other conventions, nested query names, secret-named headers and URLs in headers', async () => {
    const server = await listen(loginApp());
    try {
      await httpRequest(`${server.url}/account?accessToken=acc3ss-v4lue&user%5Bpassword%5D=n3sted-v4lue&refresh-token=r3fresh-v4lue&author=ada`, {
        headers: { 'x-auth-token': 'h3ader-v4lue', referer: 'https://app.example.com/callback?code=1&token=r3ferer-v4lue', 'x-tenant': 'acme' },
      });
    } finally {
      await server.close();
    }
    const [span] = await serverSpan(recording);
    assertNoneLeaked([span], ['acc3ss-v4lue', 'n3sted-v4lue', 'r3fresh-v4lue', 'h3ader-v4lue', 'r3ferer-v4lue']);
    assert.equal(span.tags['http.url'], '/account?accessToken=[REDACTED]&user%5Bpassword%5D=[REDACTED]&refresh-token=[REDACTED]&author=ada');
    const log = span.logs.find((entry) => entry.event === 'error')!;
    const headers = JSON.parse(String(log['request.headers']));
    assert.equal(headers['x-auth-token'], '[REDACTED]');
    assert.equal(headers.referer, 'https://app.example.com/callback?code=1&token=[REDACTED]');
    assert.equal(headers['x-tenant'], 'acme');
    // `author` ends in no secret name: it is kept.
    assert.equal(JSON.parse(String(log['request.args'])).author, 'ada');
  });

  it("a secret header's value an error quotes is taken out of it; a cookie's short value (consent=true) is not, so the message stays readable", async () => {
    const server = await listen(loginApp());
    try {
      assert.equal((await httpRequest(`${server.url}/prefs`, { headers: { cookie: 'consent=true; theme=dark; session=s3ssion-c00kie-v4lue' } })).status, 400);
    } finally {
      await server.close();
    }
    const [span] = await serverSpan(recording);
    assert.equal(span.logs[0].message, 'dark mode true refused for session [REDACTED]');
    assertNoneLeaked([span], ['s3ssion-c00kie-v4lue']);
  });

  it('recordBody: a body kept as text or bytes is redacted as a parsed one is, and bytes that are not text are only counted', async () => {
    const server = await listen(loginApp({ recordBody: true }));
    const bodies: Array<[string, string | Buffer]> = [
      ['/text', 'user=ada&password=f0rm-s3cret&remember'],
      ['/text', 'user=ada&password=f0rm-s3cret-2&'],
      ['/text', '{"user":"ada","password":"js0n-t3xt-s3cret"}'],
      ['/raw', '{"user":"ada","password":"r4w-s3cret"}'],
      ['/raw', Buffer.from([0xff, 0xfe, 0x00, 0x01])],
    ];
    try {
      for (const [path, body] of bodies) {
        const response = await new Promise<number>((resolve, reject) => {
          const request = http.request(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          request.on('error', reject);
          request.end(body);
        });
        assert.equal(response, 500);
      }
    } finally {
      await server.close();
    }
    const spans = await serverSpan(recording, bodies.length);
    assertNoneLeaked(spans, ['f0rm-s3cret', 'js0n-t3xt-s3cret', 'r4w-s3cret']);
    const data = spans.map((span) => span.logs.find((entry) => entry.event === 'error')?.['request.data']);
    assert.deepEqual(data, [
      'user=ada&password=[REDACTED]&remember=',
      'user=ada&password=[REDACTED]',
      JSON.stringify({ user: 'ada', password: '[REDACTED]' }),
      JSON.stringify({ user: 'ada', password: '[REDACTED]' }),
      '[binary, 4 bytes]',
    ]);
  });

  it("HTTP/2: the `:path` pseudo-header in the error log has the URL's secret parameters redacted", async () => {
    const app = Fastify({ http2: true });
    await app.register(fastifyTracing);
    app.get('/reset', async () => {
      throw new Error('refused');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const client = http2.connect(`http://127.0.0.1:${port}`);
    try {
      await new Promise<void>((resolve, reject) => {
        const stream = client.request({ ':path': '/reset?token=h2-p4th-s3cret&page=2' });
        stream.on('error', reject);
        stream.resume();
        stream.on('end', () => resolve());
        stream.end();
      });
    } finally {
      client.close();
      await app.close();
    }
    const [span] = await serverSpan(recording);
    assertNoneLeaked([span], ['h2-p4th-s3cret']);
    const log = span.logs.find((entry) => entry.event === 'error')!;
    assert.equal(JSON.parse(String(log['request.headers']))[':path'], '/reset?token=[REDACTED]&page=2');
  });
});
