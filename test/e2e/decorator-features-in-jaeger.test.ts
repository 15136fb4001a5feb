import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, it } from 'node:test';
import express from 'express';
import { Get, HeaderParam, JsonController, Param, useExpressServer } from 'routing-controllers';
import { Span, SpanTag, closeTracer, initTracer, setBaggage } from 'jaeger-decorators';
import { installHttpClientPatches, uninstallHttpClientPatches } from 'jaeger-decorators/http';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { describeWithJaeger, parentIdOf, requireJaeger, serviceOf, spanNamed, tagsOf, uniqueService, waitForTrace } from '../support/jaeger-api';

const QUOTE_SERVICE = path.resolve(__dirname, 'services', 'baggage-reader-service.js');

let quoteUrl = '';
let background: Promise<void> = Promise.resolve();
// The background work ends only once the test has the response: it surely outlives the request.
let releaseBackground: () => void = () => {};
const backgroundMayEnd = new Promise<void>((resolve) => (releaseBackground = resolve));

class Notifier {
  /** Work the request starts and does not wait for: it follows from the request's span. */
  @Span({ followsFrom: true, tags: (orderId: string) => ({ 'order.id': orderId }) })
  async orderPlaced(orderId: string): Promise<void> {
    await backgroundMayEnd;
    void orderId;
  }
}

@TracedController({ traceResponseHeader: 'x-trace-id' })
@JsonController('/edge')
class EdgeController {
  private readonly notifier = new Notifier();

  @Get('/orders/:id')
  async order(@Param('id') @SpanTag('order.id') id: string, @HeaderParam('x-tenant') tenant: string) {
    setBaggage('tenant', tenant);
    background = this.notifier.orderPlaced(id);
    const response = await fetch(`${quoteUrl}/quote`);
    return { id, quote: (await response.json()) as unknown };
  }
}

/** Starts the quote service in a process of its own, as a second service of the trace. */
function startQuoteService(serviceName: string, collectorUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [QUOTE_SERVICE], {
    env: { ...process.env, SERVICE_NAME: serviceName, COLLECTOR_URL: collectorUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port !== undefined) resolve({ url: `http://127.0.0.1:${port}`, child });
    });
    child.once('exit', (code) => reject(new Error(`the quote service exited (${code}) before listening: ${output}`)));
  });
}

describeWithJaeger('decorator features in the real Jaeger: call tags, baggage across services, FOLLOWS_FROM', () => {
  const edgeService = uniqueService('e2e-edge');
  const quoteService = uniqueService('e2e-quote');
  let quote: { url: string; child: ChildProcess };
  let edge: RunningServer;

  before(async () => {
    const jaeger = requireJaeger();
    quote = await startQuoteService(quoteService, jaeger.collectorUrl);
    quoteUrl = quote.url;
    initTracer(edgeService, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: jaeger.collectorUrl, flushIntervalMs: 50 } });
    installHttpClientPatches();
    const app = express();
    useExpressServer(app, { controllers: [EdgeController], defaultErrorHandler: true });
    edge = await listen(app);
  });

  after(async () => {
    await edge.close();
    uninstallHttpClientPatches();
    await closeTracer();
    quote.child.kill('SIGTERM');
  });

  it('one trace holds the tags from parameters and results, the baggage read by the second service, and the FOLLOWS_FROM span', async () => {
    const response = await httpRequest(`${edge.url}/edge/orders/o-31`, { headers: { 'x-tenant': 'acme' } });
    assert.equal(response.status, 200, response.body);
    assert.deepEqual(response.json(), { id: 'o-31', quote: { price: 12.5, tenant: 'acme' } });
    releaseBackground();
    await background;
    const traceId = String(response.headers['x-trace-id']);
    // edge server span, its fetch, the quote server span, PricingService.quote, Notifier.orderPlaced
    const trace = await waitForTrace(traceId, { spans: 5, timeoutMs: 15000 });
    assert.equal(trace.spans.length, 5, trace.spans.map((span) => `${serviceOf(trace, span)}:${span.operationName}`).join(', '));

    const edgeSpan = spanNamed(trace, 'EdgeController.order');
    assert.equal(serviceOf(trace, edgeSpan), edgeService);
    assert.equal(tagsOf(edgeSpan)['order.id'], 'o-31');

    const pricing = spanNamed(trace, 'PricingService.quote');
    assert.equal(serviceOf(trace, pricing), quoteService);
    assert.equal(tagsOf(pricing).tenant, 'acme', 'the baggage set at the edge reached the second service');
    assert.equal(tagsOf(pricing)['quote.price'], 12.5);
    assert.equal(
      serviceOf(
        trace,
        trace.spans.find((span) => span.spanID === parentIdOf(pricing))!,
      ),
      quoteService,
    );

    const notified = spanNamed(trace, 'Notifier.orderPlaced');
    assert.equal(parentIdOf(notified), undefined, 'not a child of the request');
    assert.deepEqual(
      notified.references.map((ref) => [ref.refType, ref.spanID]),
      [['FOLLOWS_FROM', edgeSpan.spanID]],
    );
    assert.equal(tagsOf(notified)['order.id'], 'o-31');
    assert.ok(notified.startTime + notified.duration > edgeSpan.startTime + edgeSpan.duration, 'the work outlived the request, which was not stretched');
  });
});
