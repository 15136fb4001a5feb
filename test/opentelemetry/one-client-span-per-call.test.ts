// installAllPatches() serves the OpenTelemetry API but never enables OpenTelemetry's http or undici
// instrumentation: our HTTP client patches trace those calls, and each call gets exactly one client span.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { withSpan } from 'jaeger-decorators';
import { installAllPatches } from 'jaeger-decorators/patches';
import { listen, type RunningServer } from '../support/http-client';
import { closeTracer, recordingTracer } from '../support/recording-tracer';

let server: RunningServer;
before(async () => {
  server = await listen((_req, res) => res.end('ok'));
});
after(() => server.close());

it('fetch and http.get inside a span: one client span each, with the trace header sent once', async () => {
  const recording = recordingTracer();
  const installed = installAllPatches({ log: false });
  assert.equal(installed.enabled[0], 'http');
  assert.ok(installed.enabled.every((entry) => !/instrumentation-(http|undici)/.test(entry)));
  const root = recording.tracer.startSpan('request');
  await withSpan(root, async () => {
    await (await fetch(`${server.url}/a`)).text();
    await new Promise<void>((resolve, reject) => http.get(`${server.url}/b`, (res) => res.resume().on('end', resolve)).on('error', reject));
  });
  root.finish();
  await closeTracer();
  const clients = recording.spans().filter((span) => span.tags['span.kind'] === 'client');
  assert.deepEqual(clients.map((span) => span.tags['http.url']).sort(), [`${server.url}/a`, `${server.url}/b`]);
  assert.ok(clients.every((span) => span.parentId === recording.span('request').spanId));
});
