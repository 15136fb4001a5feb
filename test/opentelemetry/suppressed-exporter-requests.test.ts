// An OpenTelemetry SDK exporter beside our tracer (here a provider of the app's own exporting spans elsewhere; the
// SDK's log and metric exporters go the same way): the SDK wraps each export in suppressTracing, and our HTTP
// client patches, which stand in for OpenTelemetry's http and undici instrumentations, leave its requests
// untraced, as those instrumentations would have.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { withSpan } from 'jaeger-decorators';
import { installAllPatches } from 'jaeger-decorators/patches';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, recordingTracer } from '../support/recording-tracer';

const received = new Map<string, http.IncomingHttpHeaders>();
let server: RunningServer;
before(async () => {
  server = await listen((req, res) => {
    received.set(req.url ?? '', req.headers);
    req.resume().on('end', () => res.end('{}'));
  });
});
after(() => server.close());

it("an exporter's requests, and calls made where tracing is suppressed, inside a traced request: no client span, no trace sent on", async () => {
  const recording = recordingTracer();
  installAllPatches({ log: false });
  // Not registered with the API: the app's own provider, exporting over OTLP/HTTP through the SDK's processor.
  const sdk = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${server.url}/v1/traces` }) })] });
  const root = recording.tracer.startSpan('request');
  const traceId = (root.context() as unknown as { traceIdStr: string }).traceIdStr;
  await withSpan(root, async () => {
    sdk.getTracer('audit').startSpan('audit entry').end();
    await sdk.forceFlush();
    await context.with(suppressTracing(context.active()), async () => {
      await (await fetch(`${server.url}/suppressed-fetch`)).text();
      await httpRequest(`${server.url}/suppressed-get`);
    });
    // Outside the suppressed context, the app's calls are traced again.
    await (await fetch(`${server.url}/traced-fetch`)).text();
    await httpRequest(`${server.url}/traced-get`);
  });
  root.finish();
  await sdk.shutdown();
  await closeTracer();

  const clients = recording.spans().filter((span) => span.tags['span.kind'] === 'client');
  assert.deepEqual(clients.map((span) => span.tags['http.url']).sort(), [`${server.url}/traced-fetch`, `${server.url}/traced-get`]);
  const carriesTrace = (path: string) => Object.values(received.get(path) ?? {}).some((value) => String(value).includes(traceId));
  for (const path of ['/v1/traces', '/suppressed-fetch', '/suppressed-get']) {
    assert.ok(received.has(path), `${path} reached the server`);
    assert.equal(carriesTrace(path), false, `${path} carried the trace: ${JSON.stringify(received.get(path))}`);
  }
  assert.equal(carriesTrace('/traced-fetch'), true);
  assert.equal(carriesTrace('/traced-get'), true);
});
