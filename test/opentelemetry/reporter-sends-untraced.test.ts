// An app that registers OpenTelemetry's http instrumentation itself, beside registerOpenTelemetryApi(): the
// reporter's own POSTs to the collector must not become spans. Each would be reported in the next batch, whose
// POST would be traced in turn: an idle process feeding Jaeger a span per flush, for ever. OpenTelemetry's
// exporters send under suppressTracing for this reason; so does the reporter once the API is registered.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { registerOpenTelemetryApi } from 'jaeger-decorators/opentelemetry';
import { listen, type RunningServer } from '../support/http-client';
import { delay } from '../support/recording-tracer';

let collector: RunningServer;
const posts: Array<{ bytes: number; traced: boolean }> = [];

before(async () => {
  collector = await listen((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      posts.push({ bytes, traced: req.headers.traceparent !== undefined || req.headers['uber-trace-id'] !== undefined });
      res.statusCode = 202;
      res.end();
    });
  });
});
after(() => collector.close());

it("sends its batches where OpenTelemetry suppresses tracing: the app's http instrumentation makes no span of them", async () => {
  registerOpenTelemetryApi();
  // The collector runs in this process: its side of each POST is left out, the sender's is what is tested.
  const disable = registerInstrumentations({ instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: () => true })] });
  // The instrumentation patches `http` when it is next required.
  createRequire(__filename)('node:http');
  try {
    initTracer('idle-app', { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: `${collector.url}/api/traces`, flushIntervalMs: 20 } });
    trace.getTracer('app').startSpan('the one span of the app').end();
    // Fifty flush intervals: a traced POST would have been reported, and its POST traced, many times over.
    await delay(1000);
    await closeTracer();
  } finally {
    disable();
  }
  assert.equal(posts.length, 1, `one batch, the app's span: ${posts.length} POSTs (${JSON.stringify(posts.slice(0, 5))})`);
  assert.equal(posts[0].traced, false, 'the POST carries no trace context');
});
