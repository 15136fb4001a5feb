import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { plainExpressApp } from '../http/apps/plain-apps';
import { httpRequest, listen } from '../support/http-client';
import { describeWithJaeger, findTraces, parentIdOf, spanNamed, uniqueService } from '../support/jaeger-api';
import { localJaegerBinary, startLocalJaeger, type LocalJaeger } from '../support/local-jaeger';
import { load, watchProcessHealth } from './process-health';

const hex = () => randomBytes(8).toString('hex').replace(/^0/, '1');

describeWithJaeger('reliability: Jaeger absent, killed mid-load, restarted', () => {
  it('every request succeeds throughout, nothing goes unhandled, and spans finished after the restart arrive', async (t) => {
    const binary = localJaegerBinary();
    if (binary === undefined) {
      t.skip('needs the Jaeger binary built by npm test (this run uses JAEGER_QUERY_URL)');
      return;
    }
    const health = watchProcessHealth();
    // Take a set of free ports from a first Jaeger, then stop it: the app starts with Jaeger absent.
    const probe = await startLocalJaeger(binary);
    const ports = probe.ports;
    const collectorUrl = probe.collectorUrl;
    await probe.stop();

    const service = uniqueService('outage');
    initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: collectorUrl, flushIntervalMs: 50 } });
    const server = await listen(plainExpressApp());
    let jaeger: LocalJaeger | undefined;
    try {
      const request = (i: number, headers: Record<string, string> = {}) => httpRequest(`${server.url}/users/${i}`, { headers }).then((r) => r.status);

      const absent = await load(300, 20, (i) => request(i));

      jaeger = await startLocalJaeger(binary, ports);
      let killed: Promise<void> | undefined;
      const duringCrash = await load(300, 20, (i) => {
        if (i === 150) killed = jaeger!.kill();
        return request(i);
      });
      await killed;
      await new Promise((resolve) => setTimeout(resolve, 200)); // batches fail against the dead collector

      jaeger = await startLocalJaeger(binary, ports);
      const callers = Array.from({ length: 100 }, () => ({ traceId: hex(), spanId: hex() }));
      const afterRestart = await load(100, 10, (i) => request(i, { 'uber-trace-id': `${callers[i].traceId}:${callers[i].spanId}:0:1` }));
      await closeTracer();

      assert.deepEqual(
        {
          absent: absent.filter((s) => s !== 200).length,
          duringCrash: duringCrash.filter((s) => s !== 200).length,
          afterRestart: afterRestart.filter((s) => s !== 200).length,
        },
        { absent: 0, duringCrash: 0, afterRestart: 0 },
      );
      const traces = await findTraces(service, { minSpans: 300, timeoutMs: 15000, queryUrl: jaeger.queryUrl });
      const arrived = new Map(traces.map((trace) => [trace.traceID.replace(/^0+/, ''), trace]));
      const missing = callers.filter((caller) => {
        const trace = arrived.get(caller.traceId.replace(/^0+/, ''));
        return trace === undefined || trace.spans.length !== 3 || parentIdOf(spanNamed(trace, 'GET /users/:id')) !== caller.spanId;
      });
      assert.equal(missing.length, 0, `${missing.length} of 100 traces finished after the restart are missing or incomplete`);
      assert.deepEqual(health.unhandled, []);
      assert.deepEqual(health.tracingWarnings, []);
    } finally {
      health.stop();
      await closeTracer();
      await server.close();
      await jaeger?.stop();
    }
  });
});
