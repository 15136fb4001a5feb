// A process where the OpenTelemetry SDK registered its provider first: registerOpenTelemetryApi() says so once,
// with what to do, and nothing throws.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { registerOpenTelemetryApi } from 'jaeger-decorators/opentelemetry';
import { installAllPatches } from 'jaeger-decorators/patches';
import { collectTracingWarnings } from '../support/tracing-warnings';

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
