// Two copies of the package in one process (Jest's isolateModules, or two dependencies each bringing their own):
// the one that registered the OpenTelemetry API knows where tracing is suppressed, and the HTTP client patches
// installed by the other must ask it, since they share one tracer and one active span.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { withSpan } from 'jaeger-decorators';
import { registerOpenTelemetryApi, unregisterOpenTelemetryApi } from 'jaeger-decorators/opentelemetry';
import { listen, type RunningServer } from '../support/http-client';
import { closeTracer, recordingTracer } from '../support/recording-tracer';

const received = new Set<string>();
let server: RunningServer;
before(async () => {
  server = await listen((req, res) => {
    received.add(req.url ?? '');
    res.end('ok');
  });
});
after(() => server.close());

/** The package's HTTP client patches from a fresh copy of the package, as Jest's module registry makes one. */
function secondCopyOfHttpPatches(): typeof import('jaeger-decorators/http') {
  const root = require.resolve('jaeger-decorators');
  const packageDir = root.slice(0, root.lastIndexOf('/'));
  for (const file of Object.keys(require.cache)) if (file.startsWith(packageDir)) delete require.cache[file];
  return require('jaeger-decorators/http') as typeof import('jaeger-decorators/http');
}

it('HTTP client patches of a second copy leave alone a call where the first copy says tracing is suppressed', async () => {
  const recording = recordingTracer();
  registerOpenTelemetryApi();
  const second = secondCopyOfHttpPatches();
  second.installHttpClientPatches();
  try {
    const root = recording.tracer.startSpan('request');
    await withSpan(root, async () => {
      await context.with(suppressTracing(context.active()), async () => {
        await (await fetch(`${server.url}/suppressed`)).text();
      });
      await (await fetch(`${server.url}/traced`)).text();
    });
    root.finish();
  } finally {
    second.uninstallHttpClientPatches();
    unregisterOpenTelemetryApi();
    await closeTracer();
  }
  assert.deepEqual([...received].sort(), ['/suppressed', '/traced']);
  const clients = recording.spans().filter((span) => span.tags['span.kind'] === 'client');
  assert.deepEqual(
    clients.map((span) => span.tags['http.url']),
    [`${server.url}/traced`],
  );
});
