import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { getActiveSpan } from 'jaeger-decorators';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordedSpan, type RecordingTracer } from '../support/recording-tracer';
import type { UserService } from './apps/user-service';

/** One way of serving the test routes: routing-controllers on Express or Koa, or plain Express or Koa. */
export interface ServerVariant {
  title: string;
  component: 'routing-controllers' | 'express' | 'koa';
  app: () => http.RequestListener;
  /** Operation names of the server spans, per route. */
  names: { getOne: string; create: string; fail: string; missing: string; slow: string };
  users: { service: UserService };
}

export const PARENT_TRACE = 'a1b2c3d4e5f60718';
export const PARENT_SPAN = '1122334455667788';
export const PARENT_HEADER = `${PARENT_TRACE}:${PARENT_SPAN}:0:1`;

function serverSpans(spans: RecordedSpan[]): RecordedSpan[] {
  return spans.filter((span) => span.tags['span.kind'] === 'server');
}

/** Waits until the server spans have been finished (they end on the response's finish event). */
async function settled(recording: RecordingTracer, serverCount: number): Promise<RecordedSpan[]> {
  for (let i = 0; i < 100 && serverSpans(recording.spans()).length < serverCount; i += 1) await delay(5);
  await delay(5);
  return recording.spans();
}

/** The behaviour every server integration owes its users, checked against jaeger-client's in-memory reporter. */
export function serverTracingContract(variant: ServerVariant): void {
  describe(`${variant.title}: server spans`, () => {
    let server: RunningServer;
    let recording: RecordingTracer;
    before(async () => {
      server = await listen(variant.app());
    });
    after(() => server.close());
    beforeEach(() => {
      recording = recordingTracer();
    });
    afterEach(() => closeTracer());

    it("joins the caller's trace from uber-trace-id, and service spans nest below the server span", async () => {
      const response = await httpRequest(`${server.url}/users/7`, { headers: { 'uber-trace-id': PARENT_HEADER } });
      assert.equal(response.status, 200);
      assert.deepEqual(response.json(), { id: 7, idType: 'number', name: 'user-7' });
      const spans = await settled(recording, 1);
      const serverSpan = recording.span(variant.names.getOne);
      assert.equal(serverSpan.traceId, PARENT_TRACE);
      assert.equal(serverSpan.parentId, PARENT_SPAN);
      assert.equal(recording.span('UserService.find').parentId, serverSpan.spanId);
      assert.equal(recording.span('users.profile').parentId, recording.span('UserService.find').spanId);
      assert.equal(spans.length, 3);
    });

    it("joins a caller that sends the seed's trace_id header", async () => {
      await httpRequest(`${server.url}/users/8`, { headers: { trace_id: PARENT_HEADER } });
      await settled(recording, 1);
      assert.equal(recording.span(variant.names.getOne).parentId, PARENT_SPAN);
    });

    it('starts a new trace without a parent header, and returns its id in the response header', async () => {
      const response = await httpRequest(`${server.url}/users/9`);
      await settled(recording, 1);
      const serverSpan = recording.span(variant.names.getOne);
      assert.equal(serverSpan.parentId, null);
      assert.notEqual(serverSpan.traceId, PARENT_TRACE);
      assert.equal(response.headers['x-trace-id'], serverSpan.traceId);
    });

    it("tags the span the seed's way: component, kind, method, url, route, status, trace_id, request_id, peer", async () => {
      await httpRequest(`${server.url}/users/10?expand=true&token=s3cr3t`, { headers: { 'x-request-id': 'req-42' } });
      await settled(recording, 1);
      const { tags, tagKeys, traceId } = recording.span(variant.names.getOne);
      // Each once: Jaeger shows every tag a span holds, a key set twice as two rows.
      assert.deepEqual(
        tagKeys.filter((key, index) => tagKeys.indexOf(key) !== index),
        [],
        `tags set twice among ${tagKeys.join(', ')}`,
      );
      assert.equal(tags.component, variant.component);
      assert.equal(tags['span.kind'], 'server');
      assert.equal(tags['http.method'], 'GET');
      assert.equal(tags['http.url'], '/users/10?expand=true&token=[REDACTED]');
      assert.equal(tags['http.route'], '/users/:id');
      assert.equal(tags['http.status_code'], 200);
      assert.equal(tags.trace_id, traceId);
      assert.equal(tags.request_id, 'req-42');
      assert.equal(tags['peer.ipv4'], '127.0.0.1');
      assert.equal(typeof tags['peer.port'], 'number');
      assert.equal(tags.error, undefined);
    });

    it('keeps the span active after the JSON body parser', async () => {
      const response = await httpRequest(`${server.url}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'uber-trace-id': PARENT_HEADER },
        body: JSON.stringify({ name: 'Ada' }),
      });
      assert.deepEqual(response.json(), { id: 99, name: 'Ada' });
      await settled(recording, 1);
      assert.equal(recording.span('UserService.create').parentId, recording.span(variant.names.create).spanId);
    });

    it('keeps the span active after the body parser when the body arrives after the headers', async () => {
      const response = await new Promise<string>((resolve, reject) => {
        const request = http.request(`${server.url}/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'uber-trace-id': PARENT_HEADER },
        });
        request.on('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        });
        request.on('error', reject);
        request.flushHeaders();
        // The body comes on its own, later: body parsers then resume from the socket's events.
        setTimeout(() => request.end(JSON.stringify({ name: 'Late' })), 50);
      });
      assert.deepEqual(JSON.parse(response), { id: 99, name: 'Late' });
      await settled(recording, 1);
      assert.equal(recording.span('UserService.create').parentId, recording.span(variant.names.create).spanId);
    });

    it('marks a failing handler error=true with the seed error log, secrets redacted', async () => {
      const response = await httpRequest(`${server.url}/users/5/fail?token=tok-9f8e7d&ssn=123-45-6789&page=2`, {
        headers: { authorization: 'Bearer top-secret', cookie: 'session=hunter2', 'x-internal-secret': 'int3rnal-v4lue', 'x-tenant': 'acme' },
      });
      assert.equal(response.status, 500);
      await settled(recording, 1);
      const serverSpan = recording.span(variant.names.fail);
      assert.equal(response.headers['x-trace-id'], serverSpan.traceId, 'the trace id header survives the error response');
      assert.equal(serverSpan.tags.error, true);
      assert.equal(serverSpan.tags['http.status_code'], 500);
      const errorLogs = serverSpan.logs.filter((log) => log.event === 'error');
      assert.equal(errorLogs.length, 1, JSON.stringify(serverSpan.logs));
      const [log] = errorLogs;
      assert.equal(log['error.kind'], 'Error');
      assert.equal(log.message, 'cannot load user 5');
      assert.match(String(log.stack), /Error: cannot load user 5/);
      const headers = JSON.parse(String(log['request.headers']));
      assert.equal(headers.authorization, '[REDACTED]');
      assert.equal(headers.cookie, '[REDACTED]');
      assert.equal(headers['x-internal-secret'], '[REDACTED]');
      assert.equal(headers['x-tenant'], 'acme');
      const args = JSON.parse(String(log['request.args']));
      assert.equal(args.token, '[REDACTED]');
      assert.equal(args.ssn, '[REDACTED]');
      assert.equal(args.page, '2');
      const everything = JSON.stringify(recording.spans());
      for (const secret of ['top-secret', 'hunter2', 'int3rnal-v4lue', 'tok-9f8e7d', '123-45-6789'])
        assert.ok(!everything.includes(secret), `${secret} leaked`);
    });

    it('does not mark a 404 as an error', async () => {
      const response = await httpRequest(`${server.url}/users/5/missing`);
      assert.equal(response.status, 404);
      await settled(recording, 1);
      const serverSpan = recording.span(variant.names.missing);
      assert.equal(serverSpan.tags['http.status_code'], 404);
      assert.equal(serverSpan.tags.error, undefined);
    });

    it('does not trace the default ignored paths, nor the traced code they reach (plain apps: a @Span service)', async () => {
      assert.equal((await httpRequest(`${server.url}/health`)).status, 200);
      await delay(20);
      assert.equal(recording.spans().length, 0);
    });

    it('finishes the span once when the client aborts', async () => {
      await new Promise<void>((resolve) => {
        const request = http.get(`${server.url}/users/1/slow`);
        request.on('error', () => resolve());
        setTimeout(() => request.destroy(), 50);
      });
      await delay(400);
      const spans = serverSpans(recording.spans());
      assert.equal(spans.length, 1);
      assert.equal(spans[0].tags['http.aborted'], true);
    });

    it('does not leak a span into the next request on a keep-alive connection', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        await httpRequest(`${server.url}/users/1`, { agent, headers: { 'uber-trace-id': PARENT_HEADER } });
        await httpRequest(`${server.url}/users/2`, { agent });
      } finally {
        agent.destroy();
      }
      const spans = serverSpans(await settled(recording, 2));
      assert.equal(spans.length, 2);
      const second = spans.find((span) => span.tags['http.url'] === '/users/2')!;
      assert.equal(second.parentId, null);
      assert.notEqual(second.traceId, PARENT_TRACE);
      assert.equal(getActiveSpan(), undefined);
    });

    it('never fails a request over 300 random malformed trace headers: each is a fresh root', async () => {
      let failures = 0;
      for (let i = 0; i < 300; i += 1) {
        // the leading z makes every value malformed, whatever the random part
        const junk = `z${randomBytes(1 + (i % 30)).toString(i % 3 === 0 ? 'base64' : 'hex')}`;
        const value = i % 2 === 0 ? `${junk}:${junk}:0:1` : junk;
        const response = await httpRequest(`${server.url}/users/${i}`, { headers: { 'uber-trace-id': value, trace_id: value, 'uberctx-x': value } });
        if (response.status !== 200) failures += 1;
      }
      const spans = serverSpans(await settled(recording, 300));
      assert.equal(failures, 0);
      assert.equal(spans.length, 300);
      assert.equal(spans.filter((span) => span.parentId !== null).length, 0);
    });
  });
}
