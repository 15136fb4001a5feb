import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import http from 'node:http';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { afterEach, describe, it } from 'node:test';
import { extractSpanContext, getActiveSpan } from 'jaeger-decorators';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import { tracingMiddleware } from 'jaeger-decorators/express';
import express from 'express';
import Koa from 'koa';
import path from 'node:path';
import type * as IncomingModule from '../../dist/cjs/propagation/incoming-trace-headers';
import type * as SettingsModule from '../../dist/cjs/propagation/propagation-settings';
import type * as ExtractModule from '../../dist/cjs/propagation/extract-span-context';
import { listen } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

// Internal modules, loaded from the built package: they are not public exports.
const propagation = (file: string): unknown => require(path.resolve(__dirname, '..', '..', '..', 'dist', 'cjs', 'propagation', file));
const { IncomingTraceHeaders } = propagation('incoming-trace-headers.js') as typeof IncomingModule;
const { resolvePropagation } = propagation('propagation-settings.js') as typeof SettingsModule;
const { extractRequestSpanContext } = propagation('extract-span-context.js') as typeof ExtractModule;

const PARENT = 'a1b2c3d4e5f60718:1122334455667788:0:1';

// Every header the codec reads, and names that look like them but are not.
const READ = ['uber-trace-id', 'trace-id', 'trace_id', 'x-trace', 'traceparent', 'baggage', 'jaeger-baggage', 'jaeger-debug-id', 'uberctx-user', 'myctx-user'];
const OTHERS = ['host', 'user-agent', 'accept', 'tracestate', 'uber-trace', 'trace', 'x-request-id', 'ctx-user', 'jaeger', 'b', ''];
const VALUES: Record<string, string[]> = {
  traceparent: ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'junk'],
  baggage: ['user=alice', ''],
  'jaeger-baggage': ['user=alice', 'junk'],
  'jaeger-debug-id': ['debug-1'],
};

function randomCase(name: string): string {
  return [...name].map((c) => (randomInt(2) === 0 ? c.toUpperCase() : c)).join('');
}

/** Raw headers as Node hands them over (names as sent), and the lower-cased object Node builds from them. */
function randomRequestHeaders(): { raw: string[]; headers: Record<string, string> } {
  const raw: string[] = [];
  const headers: Record<string, string> = {};
  for (let i = randomInt(6); i > 0; i -= 1) {
    const pool = randomInt(3) === 0 ? READ : OTHERS;
    const name = pool[randomInt(pool.length)];
    const values = VALUES[name] ?? [PARENT, 'junk', ''];
    const value = values[randomInt(values.length)];
    raw.push(randomCase(name), value);
    headers[name] ??= value;
  }
  return { raw, headers };
}

describe('requests that carry no trace context skip extraction', () => {
  let recording: RecordingTracer | undefined;
  afterEach(() => closeTracer());

  it('says a header may be there for every name and prefix the codec reads, in any case, and no for the others', () => {
    const incoming = new IncomingTraceHeaders(resolvePropagation({ trace_id_header: 'x-trace', baggage_header_prefix: 'myctx-' }));
    for (const name of READ) {
      assert.equal(incoming.anyIn([name, 'v']), true, name);
      assert.equal(incoming.anyIn(['Host', 'x', randomCase(name), 'v']), true, name);
    }
    for (const name of OTHERS) assert.equal(incoming.anyIn([name, 'v', randomCase(name), 'v']), false, name);
    assert.equal(incoming.anyIn([]), false);
  });

  it('never says no where the codec reads anything (a trace, baggage, a debug id): 3,000 random header sets', () => {
    recording = recordingTracer({ trace_id_header: 'x-trace', baggage_header_prefix: 'myctx-' });
    const incoming = new IncomingTraceHeaders(resolvePropagation({ trace_id_header: 'x-trace', baggage_header_prefix: 'myctx-' }));
    let read = 0;
    let joined = 0;
    for (let i = 0; i < 3000; i += 1) {
      const { raw, headers } = randomRequestHeaders();
      // The codec returns null when it finds nothing it reads, and a context (valid or not) otherwise.
      if (recording.tracer.extract(FORMAT_HTTP_HEADERS, headers) === null) continue;
      read += 1;
      if (extractSpanContext(headers) !== undefined) joined += 1;
      assert.equal(incoming.anyIn(raw), true, JSON.stringify(raw));
    }
    assert.ok(read > 600 && joined > 300, `only ${read} of the random sets were read, ${joined} joined`);
  });

  it('reads the headers object of a request that has no raw headers (built by hand: serverless adapters, tests)', () => {
    recording = recordingTracer();
    for (const rawHeaders of [[], undefined, null]) {
      const request = { headers: { 'uber-trace-id': PARENT }, rawHeaders } as unknown as Parameters<typeof extractRequestSpanContext>[0];
      assert.equal((extractRequestSpanContext(request) as { traceIdStr?: string } | undefined)?.traceIdStr, 'a1b2c3d4e5f60718', String(rawHeaders));
    }
    const sent = { headers: { 'uber-trace-id': PARENT }, rawHeaders: ['Host', 'example.test'] };
    assert.equal(extractRequestSpanContext(sent), undefined, 'raw headers, when there are any, are what the client sent');
  });

  for (const framework of ['Express', 'Koa'] as const) {
    /** Serves GET / with the framework's middleware; each request's `user` baggage item is pushed to `seen`. */
    async function sendEach(requests: Array<Record<string, string>>, seen: Array<string | undefined>): Promise<void> {
      let handler: http.RequestListener;
      if (framework === 'Express') {
        const app = express();
        app.use(tracingMiddleware());
        app.get('/', (_req, res) => {
          seen.push(getActiveSpan()?.getBaggageItem('user'));
          res.json({});
        });
        handler = app;
      } else {
        const app = new Koa();
        app.use(koaTracingMiddleware());
        app.use((ctx) => {
          seen.push(getActiveSpan()?.getBaggageItem('user'));
          ctx.body = {};
        });
        const handle = app.callback();
        handler = (req, res) => void handle(req, res);
      }
      const server = await listen(handler);
      try {
        for (const headers of requests) {
          await new Promise<void>((resolve, reject) => {
            const request = http.get(`${server.url}/`, { headers }, (response) => response.resume().on('end', resolve));
            request.on('error', reject);
          });
        }
      } finally {
        await server.close();
      }
    }

    it(`${framework}: joins a caller whatever the case of its header names, baggage included`, async () => {
      recording = recordingTracer();
      const seen: Array<string | undefined> = [];
      // node:http sends header names as the caller spells them; a browser or a proxy may capitalize them.
      await sendEach([{ 'Uber-Trace-Id': PARENT }, { 'TRACE-ID': PARENT, 'UberCtx-User': 'alice' }, { Host: 'example.test' }], seen);
      for (let i = 0; i < 100 && recording.spans().length < 3; i += 1) await delay(5);
      const [joined, withBaggage, fresh] = recording.spans();
      assert.equal(joined.traceId, 'a1b2c3d4e5f60718');
      assert.equal(joined.parentId, '1122334455667788');
      assert.equal(withBaggage.parentId, '1122334455667788');
      assert.notEqual(fresh.traceId, 'a1b2c3d4e5f60718');
      assert.equal(fresh.parentId, null);
      assert.deepEqual(seen, [undefined, 'alice', undefined]);
    });

    it(`${framework}: a request with only jaeger-debug-id starts a trace that is recorded, one with only baggage keeps it`, async () => {
      // A sampler that samples nothing: the debug id alone makes the trace recorded, as Jaeger's clients do.
      recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
      const seen: Array<string | undefined> = [];
      await sendEach([{ 'Jaeger-Debug-Id': 'curl-42' }, { 'uberctx-user': 'alice' }, { 'jaeger-baggage': 'user=bob' }], seen);
      for (let i = 0; i < 100 && recording.spans().length < 1; i += 1) await delay(5);
      await delay(20);
      const spans = recording.spans();
      assert.equal(spans.length, 1, 'only the debug request is recorded');
      assert.equal(spans[0].tags['jaeger-debug-id'], 'curl-42');
      assert.equal(spans[0].parentId, null);
      assert.deepEqual(seen, [undefined, 'alice', 'bob']);
    });
  }
});
