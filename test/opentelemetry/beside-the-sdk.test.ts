// A process where the OpenTelemetry SDK registered its provider first: registerOpenTelemetryApi() says so once,
// with what to do, and nothing throws; the SDK's exporters, running beside our HTTP client patches, are not traced.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { withSpan } from 'jaeger-decorators';
import { installHttpClientPatches, uninstallHttpClientPatches } from 'jaeger-decorators/http';
import { registerOpenTelemetryApi } from 'jaeger-decorators/opentelemetry';
import { installAllPatches } from 'jaeger-decorators/patches';
import { listen } from '../support/http-client';
import { closeTracer, recordingTracer } from '../support/recording-tracer';
import { collectTracingWarnings } from '../support/tracing-warnings';

const exportingProvider = (url: string) => new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })] });

it('with the SDK registered first: false, one TracingWarning saying what to do, and the SDK left in place', async () => {
  const sdk = new TracerProvider();
  assert.equal(trace.setGlobalTracerProvider(sdk), true);
  const warnings = collectTracingWarnings();
  try {
    assert.equal(registerOpenTelemetryApi(), false);
    assert.equal(registerOpenTelemetryApi(), false);
    const installed = installAllPatches({ http: false, log: false });
    assert.ok(!installed.enabled.includes('the OpenTelemetry API'));
    assert.match(installed.skipped.find((skip) => skip.name === 'pg')?.reason ?? '', /another OpenTelemetry tracer provider is registered/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.messages.length, 1, warnings.messages.join('\n'));
    assert.match(warnings.messages[0], /already has a global tracer provider/);
    assert.match(warnings.messages[0], /before anything registers a provider/);
    // The SDK's provider still serves the API.
    assert.equal(trace.getTracerProvider().getTracer('x').startSpan('s').constructor.name, sdk.getTracer('x').startSpan('s').constructor.name);
  } finally {
    warnings.stop();
  }
});

it("with the SDK registered first, its exporter's requests inside a traced request get no client span, the app's own calls one each", async () => {
  // What NodeSDK.start() registers beside its provider (the test above registered the provider).
  assert.equal(context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()), true);
  const received: string[] = [];
  const server = await listen((req, res) => {
    received.push(`${req.url} ${req.headers['uber-trace-id'] === undefined ? 'without' : 'with'} the trace`);
    req.resume().on('end', () => res.end('{}'));
  });
  const recording = recordingTracer();
  installHttpClientPatches();
  const sdk = exportingProvider(`${server.url}/v1/traces`);
  try {
    const root = recording.tracer.startSpan('request');
    await withSpan(root, async () => {
      // The SDK exports this span at once, its exporter's POST made inside the SDK's suppressTracing.
      sdk.getTracer('audit').startSpan('audit entry').end();
      await sdk.forceFlush();
      await (await fetch(`${server.url}/app-call`)).text();
    });
    root.finish();
    const clients = recording.spans().filter((span) => span.tags['span.kind'] === 'client');
    assert.deepEqual(
      clients.map((span) => span.tags['http.url']),
      [`${server.url}/app-call`],
    );
    assert.deepEqual(received, ['/v1/traces without the trace', '/app-call with the trace']);
  } finally {
    await sdk.shutdown();
    uninstallHttpClientPatches();
    await closeTracer();
    await server.close();
  }
});
