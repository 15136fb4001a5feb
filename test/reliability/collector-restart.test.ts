import assert from 'node:assert/strict';
import { it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import type { Tracer } from 'opentracing';
import { plainExpressApp } from '../http/apps/plain-apps';
import { httpRequest, listen } from '../support/http-client';
import { describeWithJaeger, uniqueService, type JaegerTrace } from '../support/jaeger-api';
import { localJaegerBinary, startLocalJaeger, type LocalJaeger } from '../support/local-jaeger';
import { watchProcessHealth } from './process-health';

const OUTAGE_MS = 10000;
const TICK_MS = 10;
const SPANS_PER_TICK = 20; // a root and 19 children every 10 ms: about 2,000 spans/s, plus the requests' spans
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Finishes SPANS_PER_TICK spans every TICK_MS, their root named after the phase they were finished in. */
function steadySpans(tracer: Tracer, phase: () => string): { finished: Map<string, number>; stop(): void } {
  const finished = new Map<string, number>();
  const timer = setInterval(() => {
    const name = `${phase()}-tick`;
    const root = tracer.startSpan(name);
    for (let i = 1; i < SPANS_PER_TICK; i += 1) tracer.startSpan('work', { childOf: root }).finish();
    root.finish();
    finished.set(name, (finished.get(name) ?? 0) + SPANS_PER_TICK);
  }, TICK_MS);
  return { finished, stop: () => clearInterval(timer) };
}

/** One request every `everyMs` to the app, for as long as it runs; counts those that did not get a 200. */
function steadyRequests(url: string, everyMs: number): { sent: () => number; failed: () => number; stop(): Promise<void> } {
  let sent = 0;
  let failed = 0;
  const pending = new Set<Promise<void>>();
  const timer = setInterval(() => {
    sent += 1;
    const request = httpRequest(`${url}/users/${sent % 50}`)
      .then((response) => {
        if (response.status !== 200) failed += 1;
      })
      .catch(() => {
        failed += 1;
      })
      .finally(() => pending.delete(request));
    pending.add(request);
  }, everyMs);
  return {
    sent: () => sent,
    failed: () => failed,
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
    },
  };
}

/** Distinct spans under roots named `operation` in the Jaeger at `queryUrl`. */
async function spansUnder(queryUrl: string, service: string, operation: string): Promise<number> {
  const response = await fetch(`${queryUrl}/api/traces?service=${service}&operation=${operation}&limit=100000&lookback=1h`);
  if (!response.ok) return 0;
  const traces = ((await response.json()) as { data: JaegerTrace[] | null }).data ?? [];
  return new Set(traces.flatMap((trace) => trace.spans.map((span) => span.spanID))).size;
}

// The same outage for each HTTP destination: Jaeger's Thrift collector endpoint and its OTLP receiver.
const DESTINATIONS = {
  'Thrift/HTTP': (jaeger: LocalJaeger) => ({ collectorEndpoint: jaeger.collectorUrl }),
  'OTLP/HTTP': (jaeger: LocalJaeger) => ({ otlpEndpoint: `${jaeger.otlpHttpUrl}/v1/traces` }),
};

describeWithJaeger('reliability: the collector killed for 10 s under steady load, then restarted on the same ports', () => {
  for (const [protocol, destination] of Object.entries(DESTINATIONS)) {
    it(`${protocol}: at least 99.9 % of the spans finished during the outage arrive once it is back, and no request fails`, async (t) => {
      const binary = localJaegerBinary();
      if (binary === undefined) {
        t.skip('needs the Jaeger binary built by npm test (this run uses JAEGER_QUERY_URL)');
        return;
      }
      const health = watchProcessHealth();
      let jaeger: LocalJaeger | undefined = await startLocalJaeger(binary);
      const ports = jaeger.ports;
      const service = uniqueService('restart');
      // Default queue and retry settings: what a user gets.
      const tracer = initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: destination(jaeger) });
      const server = await listen(plainExpressApp());
      let phase = 'before';
      const spans = steadySpans(tracer, () => phase);
      const requests = steadyRequests(server.url, 20);
      try {
        await sleep(2000);
        phase = 'dying';
        await jaeger.kill();
        jaeger = undefined;
        phase = 'outage';
        await sleep(OUTAGE_MS);
        phase = 'restarting';
        jaeger = await startLocalJaeger(binary, ports);
        phase = 'after';
        await sleep(3000);
        spans.stop();
        await requests.stop();

        const outage = spans.finished.get('outage-tick') ?? 0;
        // Batches waiting out a backoff (5 s at most) go once the collector answers again.
        let arrived = 0;
        const deadline = Date.now() + 30000;
        while (Date.now() < deadline) {
          arrived = await spansUnder(jaeger.queryUrl, service, 'outage-tick');
          if (arrived >= outage) break;
          await sleep(500);
        }
        const percent = (100 * arrived) / outage;
        console.log(
          `    ${protocol}: ${outage.toLocaleString('en-US')} spans finished during the ${OUTAGE_MS / 1000} s outage, ${arrived.toLocaleString('en-US')} arrived after the restart ` +
            `(${percent.toFixed(2)} %); ${requests.sent()} requests, ${requests.failed()} failed`,
        );
        assert.ok(outage >= 5000, `only ${outage} spans were finished during the outage: the load did not run`);
        assert.ok(percent >= 99.9, `${percent.toFixed(2)} % of the outage's spans arrived`);
        assert.equal(requests.failed(), 0);
        assert.deepEqual(health.unhandled, []);
        assert.deepEqual(health.tracingWarnings, []);
      } finally {
        spans.stop();
        await requests.stop();
        health.stop();
        await closeTracer();
        await server.close();
        await jaeger?.stop();
      }
    });
  }
});
