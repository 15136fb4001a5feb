// Baggage that code written against OpenTelemetry's API sets (propagation.setBaggage, then context.with) goes out
// with the HTTP calls made inside, as with OpenTelemetry's SDK and its http instrumentation, which our HTTP client
// patches stand in for: beside the trace's own baggage, in the headers the tracer writes baggage in.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { context, propagation } from '@opentelemetry/api';
import express from 'express';
import { getBaggage, setBaggage, withSpan } from 'jaeger-decorators';
import { tracingMiddleware } from 'jaeger-decorators/express';
import { installAllPatches } from 'jaeger-decorators/patches';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, recordingTracer } from '../support/recording-tracer';

const received = new Map<string, http.IncomingHttpHeaders>();
let server: RunningServer;
before(async () => {
  server = await listen((req, res) => {
    received.set(req.url ?? '', req.headers);
    res.end('ok');
  });
});
after(() => server.close());

const get = (url: string) => new Promise<void>((resolve, reject) => http.get(url, (res) => res.resume().on('end', resolve)).on('error', reject));

it("fetch and http.get inside context.with(propagation.setBaggage(...)) carry that baggage, beside the trace's own", async () => {
  const recording = recordingTracer({ inject_headers: ['uber-trace-id', 'traceparent'] });
  installAllPatches({ log: false });
  const root = recording.tracer.startSpan('request');
  await withSpan(root, async () => {
    setBaggage('region', 'eu');
    const withTenant = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'acme corp' } }));
    await context.with(withTenant, async () => {
      await (await fetch(`${server.url}/fetch`)).text();
      await get(`${server.url}/get`);
    });
    // Outside that context, the trace's own baggage alone.
    await get(`${server.url}/after`);
    // A baggage built the usual way from the active one (a copy of the trace's region=eu in it), then the trace's
    // own region changed: the call carries the new value, and the app's own entry.
    const built = (propagation.getBaggage(context.active()) ?? propagation.createBaggage()).setEntry('plan', { value: 'pro' });
    await context.with(propagation.setBaggage(context.active(), built), async () => {
      setBaggage('region', 'us');
      await get(`${server.url}/changed`);
    });
  });
  root.finish();
  await closeTracer();
  const baggageOf = (path: string) => {
    const headers = received.get(path) ?? {};
    return {
      tenant: headers['uberctx-tenant'],
      region: headers['uberctx-region'],
      w3c: String(headers.baggage ?? '')
        .split(',')
        .sort()
        .join(','),
    };
  };
  for (const path of ['/fetch', '/get']) assert.deepEqual(baggageOf(path), { tenant: 'acme%20corp', region: 'eu', w3c: 'region=eu,tenant=acme%20corp' }, path);
  assert.deepEqual(baggageOf('/after'), { tenant: undefined, region: 'eu', w3c: 'region=eu' });
  assert.deepEqual([received.get('/changed')?.['uberctx-region'], received.get('/changed')?.['uberctx-plan']], ['us', 'pro']);
});

it("the trace's baggage, from the caller's headers or setBaggage(), is OpenTelemetry's baggage too in a traced request", async () => {
  recordingTracer();
  installAllPatches({ log: false });
  const app = express();
  app.use(tracingMiddleware());
  app.get('/read', (_req, res) => {
    const entries = (bag: ReturnType<typeof propagation.getBaggage>) =>
      Object.fromEntries((bag?.getAllEntries() ?? []).map(([key, entry]) => [key, entry.value]));
    const fromCaller = entries(propagation.getBaggage(context.active()));
    setBaggage('region', 'eu');
    const withOurs = entries(propagation.getBaggage(context.active()));
    const deleted = entries(propagation.getBaggage(propagation.deleteBaggage(context.active())));
    res.json({ fromCaller, withOurs, deleted, ours: getBaggage('tenant') });
  });
  const traced = await listen(app);
  try {
    const response = await httpRequest(`${traced.url}/read`, { headers: { 'uber-trace-id': 'abc123:def456:0:1', 'uberctx-tenant': 'from-caller' } });
    assert.deepEqual(response.json(), {
      fromCaller: { tenant: 'from-caller' },
      withOurs: { tenant: 'from-caller', region: 'eu' },
      deleted: {},
      ours: 'from-caller',
    });
  } finally {
    await traced.close();
    await closeTracer();
  }
});
