// A collector that answers every POST after 3 s (loaded, or far away), at 600 spans/s with the HTTP defaults:
// the reporter's throughput follows the latency, and close() sends what waits in parallel within its deadline.
// A delaying proxy stands in front of the real Jaeger; every span must arrive there.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { describeWithJaeger, fetchTrace, requireJaeger, uniqueService } from '../support/jaeger-api';
import { collectTracingWarnings } from '../support/tracing-warnings';

const DELAY_MS = 3000;
const SPANS_PER_SECOND = 600;
const SECONDS = 8;

/** Holds each request for DELAY_MS, then forwards it as it came and answers with the collector's answer. */
function delayingProxy(target: string): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      setTimeout(() => {
        const upstream = http.request(
          `${target}${req.url ?? '/'}`,
          { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(Buffer.concat(chunks));
      }, DELAY_MS);
    });
  });
}

describeWithJaeger('a collector that answers every POST after 3 s', () => {
  let proxy: http.Server;
  let proxyUrl: string;
  before(async () => {
    proxy = delayingProxy(new URL(requireJaeger().collectorUrl).origin);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(() => {
    proxy.closeAllConnections();
    proxy.close();
  });

  it(`at ${SPANS_PER_SECOND} spans/s for ${SECONDS} s over HTTP with the defaults, at least 99.9% of the spans reach Jaeger`, async () => {
    const warnings = collectTracingWarnings();
    const service = uniqueService('slow-collector');
    const tracer = initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: `${proxyUrl}/api/traces` } });
    // One trace per second, its root finished last, so that Jaeger is asked for a few traces, not 4,800.
    const traceIds: string[] = [];
    const started = Date.now();
    for (let second = 0; second < SECONDS; second += 1) {
      const root = tracer.startSpan(`second-${second}`);
      traceIds.push(root.context().toTraceId());
      for (let tick = 0; tick < 10; tick += 1) {
        for (let i = 0; i < SPANS_PER_SECOND / 10 - (tick === 9 ? 1 : 0); i += 1) {
          tracer.startSpan('work', { childOf: root, tags: { 'work.index': i, 'work.tick': tick } }).finish();
        }
        const due = started + second * 1000 + (tick + 1) * 100;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      }
      root.finish();
    }
    const closing = Date.now();
    await closeTracer();
    const closeMs = Date.now() - closing;
    warnings.stop();

    let arrived = 0;
    for (const traceId of traceIds) {
      let spans = 0;
      for (let attempt = 0; attempt < 50 && spans < SPANS_PER_SECOND; attempt += 1) {
        spans = (await fetchTrace(traceId))?.spans.length ?? 0;
        if (spans < SPANS_PER_SECOND) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      arrived += spans;
    }
    const total = SPANS_PER_SECOND * SECONDS;
    assert.ok(arrived >= total * 0.999, `${arrived} of ${total} spans arrived (close took ${closeMs} ms): ${warnings.messages.join(' | ')}`);
    assert.ok(closeMs < 5000, `closeTracer() took ${closeMs} ms`);
    assert.deepEqual(
      warnings.messages.filter((message) => /lost|dropped|gave up/.test(message)),
      [],
    );
  });
});
