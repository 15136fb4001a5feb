import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { Span, closeTracer, getActiveSpan, initTracer } from 'jaeger-decorators';
import { describeWithJaeger, requireJaeger, spanNamed, uniqueService, waitForTrace } from '../support/jaeger-api';

class Checkout {
  @Span()
  total(prices: number[]) {
    return prices.reduce((sum, price) => sum + price, 0);
  }

  @Span()
  run(): string {
    // Several sub-millisecond spans: the first call of a process pays for warming up.
    for (let i = 0; i < 5; i += 1) this.total([i, 2, 3]);
    return (getActiveSpan()!.context() as unknown as { traceIdStr: string }).traceIdStr;
  }
}

describeWithJaeger('span timing in the real Jaeger', () => {
  afterEach(() => closeTracer());

  it('a sub-millisecond @Span arrives with a non-zero, sub-millisecond duration and no warning', async () => {
    const jaeger = requireJaeger();
    initTracer(uniqueService('e2e-timing'), {
      sampler: { type: 'const', param: 1 },
      local_agent: { reporting_host: jaeger.agentHost, reporting_port: jaeger.agentPort },
    });
    const traceId = new Checkout().run();
    await closeTracer();
    const trace = await waitForTrace(traceId, { spans: 6 });

    // Jaeger's API gives durations and start times in microseconds.
    const totals = trace.spans.filter((span) => span.operationName === 'Checkout.total');
    assert.equal(totals.length, 5);
    const durations = totals.map((span) => span.duration);
    assert.ok(
      durations.every((us) => us > 0),
      `durations in µs: ${durations.join(', ')}`,
    );
    assert.ok(Math.min(...durations) < 1000, `durations in µs: ${durations.join(', ')}`);
    assert.ok(
      totals.some((span) => span.startTime % 1000 !== 0),
      'start times carry microseconds',
    );
    // Jaeger v2 rewrites a span whose end is not after its start, with a warning on it.
    for (const span of [...totals, spanNamed(trace, 'Checkout.run')]) assert.deepEqual(span.warnings ?? [], [], span.operationName);
  });
});
