import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, it } from 'node:test';
import express from 'express';
import { closeTracer, initTracer, type TracerConfig } from 'jaeger-decorators';
import { tracingMiddleware } from 'jaeger-decorators/express';
import { installHttpClientPatches, uninstallHttpClientPatches } from 'jaeger-decorators/http';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { describeWithJaeger, parentIdOf, spanNamed, tagsOf, uniqueService, type JaegerTrace } from '../support/jaeger-api';
import { localJaegerBinary } from '../support/local-jaeger';

interface StartedJaeger {
  queryUrl: string;
  collectorUrl: string;
  otlpHttpUrl: string;
  ports: Record<string, number>;
  output(): string;
  stop(): Promise<void>;
}

const JAEGER_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'jaeger');
const launcher = require(path.join(JAEGER_DIR, 'jaeger.js')) as {
  startJaeger(binary: string, options: Record<string, unknown>): Promise<StartedJaeger>;
};

/** The app: a checkout route that calls the inventory route over HTTP, so a request's trace holds a server, a client and a server span. */
function shopApp(baseUrl: () => string): express.Express {
  const app = express();
  app.use(tracingMiddleware());
  app.get('/checkout/:id', (req, res, next) => {
    fetch(`${baseUrl()}/inventory/${req.params.id}`)
      .then((stock) => stock.json() as Promise<{ count: number }>)
      .then((stock) => res.json({ ordered: req.params.id, inStock: stock.count > 0 }), next);
  });
  app.get('/inventory/:id', (_req, res) => res.json({ count: 3 }));
  return app;
}

/** Every trace of `service` in the Jaeger at `queryUrl`, once they hold `spans` spans in all. */
async function tracesOf(queryUrl: string, service: string, spans: number, timeoutMs = 20000): Promise<JaegerTrace[]> {
  const deadline = Date.now() + timeoutMs;
  let found: JaegerTrace[] = [];
  while (Date.now() < deadline) {
    const response = await fetch(`${queryUrl}/api/traces?service=${encodeURIComponent(service)}&lookback=1h&limit=100`);
    if (response.ok) found = ((await response.json()) as { data: JaegerTrace[] | null }).data ?? [];
    if (found.reduce((sum, trace) => sum + trace.spans.length, 0) >= spans) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`service ${service}: ${found.reduce((sum, trace) => sum + trace.spans.length, 0)} of ${spans} spans after ${timeoutMs} ms`);
}

describeWithJaeger('a collector tier: the app sends to a Jaeger collector, which forwards over OTLP to the Jaeger that stores', () => {
  const binary = localJaegerBinary();
  let storage: StartedJaeger | undefined;
  let collector: StartedJaeger | undefined;
  let server: RunningServer;

  before(async () => {
    if (binary === undefined) return;
    storage = await launcher.startJaeger(binary, { ports: 'free' });
    collector = await launcher.startJaeger(binary, {
      ports: 'free',
      config: path.join(JAEGER_DIR, 'jaeger-collector-tier.yaml'),
      env: { JAEGER_FORWARD_OTLP_GRPC_PORT: String(storage.ports.JAEGER_OTLP_GRPC_PORT) },
      hasQuery: false,
    });
    // Every outgoing call traced, even without a parent: were the reporter's own posts to the collector traced,
    // they would show as more traces of the service (a feedback loop).
    installHttpClientPatches({ traceWithoutParent: true });
    server = await listen(shopApp(() => server.url));
  });
  after(async () => {
    uninstallHttpClientPatches();
    await server?.close();
    await collector?.stop();
    await storage?.stop();
  });
  afterEach(() => closeTracer());

  const protocols: Array<[string, () => TracerConfig['reporter']]> = [
    ['OTLP/HTTP', () => ({ otlpEndpoint: `${collector!.otlpHttpUrl}/v1/traces` })],
    ['Thrift/HTTP', () => ({ collectorEndpoint: collector!.collectorUrl })],
  ];
  for (const [protocol, reporter] of protocols) {
    it(`over ${protocol}, a request's whole trace (caller, server, client call, server) is in the storing Jaeger's API, and nothing else`, async (t) => {
      if (binary === undefined) {
        t.skip('needs the Jaeger binary built by npm test (this run uses JAEGER_QUERY_URL)');
        return;
      }
      const service = uniqueService('tier');
      initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { ...reporter(), flushIntervalMs: 20 } });
      const response = await httpRequest(`${server.url}/checkout/7`);
      assert.equal(response.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 300)); // a few flushes: posts that would be traced
      await closeTracer();

      const traces = await tracesOf(storage!.queryUrl, service, 4);
      assert.equal(traces.length, 1, 'one trace: the request; none for the reporter’s own posts');
      const [trace] = traces;
      assert.equal(trace.spans.length, 4);
      const checkout = spanNamed(trace, 'GET /checkout/:id');
      const inventory = spanNamed(trace, 'GET /inventory/:id');
      const caller = trace.spans.find((span) => parentIdOf(span) === undefined)!;
      const client = trace.spans.find((span) => ![checkout, inventory, caller].includes(span))!;
      assert.equal(parentIdOf(checkout), caller.spanID);
      assert.equal(parentIdOf(client), checkout.spanID);
      assert.equal(parentIdOf(inventory), client.spanID);
      assert.deepEqual(
        [caller, checkout, client, inventory].map((span) => tagsOf(span)['span.kind']),
        ['client', 'server', 'client', 'server'],
      );
      assert.equal(tagsOf(checkout)['http.status_code'], 200);
      assert.equal(trace.processes[checkout.processID].serviceName, service);
      // Nothing is stored where nothing should be: the collector tier has no query API at all.
      await assert.rejects(fetch(`${collector!.queryUrl}/api/services`));
    });
  }
});
