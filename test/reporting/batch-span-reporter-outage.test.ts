import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { initTracer as initJaegerTracer } from 'jaeger-client';
import type { Tracer } from 'opentracing';
import { decodeAgentPacket } from './jaeger-idl';
import { BatchSpanReporter, type SendOutcome, type SpanTransport } from './reporting-modules';

/** A receiver that can be taken down and brought back; keeps the names of the spans it accepted, in order. */
class SwitchableTransport implements SpanTransport {
  readonly framing = 'agent' as const;
  readonly maxBatchBytes = 65000;
  readonly batchSpans = 10;
  readonly maxInFlight = 2;
  readonly destination = 'udp://test:1';
  down = false;
  downAnswer: SendOutcome = { ok: false, retryable: true, reason: 'connect ECONNREFUSED' };
  tries: number[] = [];
  accepted: string[] = [];
  inFlight = 0;
  /** Most sends at once after the first failure was answered: the reporter knew the receiver was down. */
  maxInFlightWhileDown = 0;
  private _failedOnce = false;

  async send(bytes: Buffer): Promise<SendOutcome> {
    this.tries.push(Date.now());
    this.inFlight += 1;
    if (this.down && this._failedOnce) this.maxInFlightWhileDown = Math.max(this.maxInFlightWhileDown, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight -= 1;
    if (this.down) {
      this._failedOnce = true;
      return this.downAnswer;
    }
    this.accepted.push(...decodeAgentPacket(bytes).body.batch.spans.map((span) => span.operationName));
    return { ok: true };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const FAST_RETRY = { initialDelayMs: 10, maxDelayMs: 40 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const closed = (tracer: Tracer) => new Promise<void>((resolve) => (tracer as unknown as { close(callback: () => void): void }).close(resolve));
const tracerWith = (reporter: InstanceType<typeof BatchSpanReporter>) =>
  initJaegerTracer({ serviceName: 'outage-test', sampler: { type: 'const', param: 1 } }, { reporter });

describe('the batch span reporter through an outage', () => {
  let warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  beforeEach(() => {
    warnings = [];
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('keeps every batch while the receiver is down, probes it one batch at a time, and delivers all in order once it is back', async () => {
    const transport = new SwitchableTransport();
    transport.down = true;
    const reporter = new BatchSpanReporter(transport, { flushIntervalMs: 10, retry: FAST_RETRY });
    const tracer = tracerWith(reporter);
    for (let i = 0; i < 100; i += 1) tracer.startSpan(`op-${i}`).finish();
    await sleep(300);
    assert.equal(transport.accepted.length, 0);
    assert.ok(transport.tries.length > 3, `${transport.tries.length} tries while down`);
    assert.equal(transport.maxInFlightWhileDown, 1, 'one probe at a time while down');
    transport.down = false;
    await reporter.flush();
    assert.deepEqual(
      transport.accepted,
      Array.from({ length: 100 }, (_, i) => `op-${i}`),
    );
    assert.deepEqual(reporter.counts(), { sent: 100, dropped: {} });
    await closed(tracer);
    assert.deepEqual(warnings, []);
  });

  it("waits the receiver's Retry-After before trying again", async () => {
    const transport = new SwitchableTransport();
    transport.down = true;
    transport.downAnswer = { ok: false, retryable: true, reason: 'the collector answered HTTP 429', retryAfterMs: 300 };
    const reporter = new BatchSpanReporter(transport, { flushIntervalMs: 10, retry: { initialDelayMs: 10, maxDelayMs: 1000 } });
    const tracer = tracerWith(reporter);
    tracer.startSpan('throttled').finish();
    await sleep(100);
    transport.down = false;
    await reporter.flush();
    assert.equal(transport.tries.length, 2);
    assert.ok(transport.tries[1] - transport.tries[0] >= 295, `tried again after ${transport.tries[1] - transport.tries[0]} ms`);
    await closed(tracer);
  });

  it('past maxQueueBytes while down, drops the oldest batches, delivers the newest, and counts every span either way', async () => {
    const transport = new SwitchableTransport();
    transport.down = true;
    // Ten spans a batch, about 1,900 bytes: 8,000 bytes hold four batches.
    const reporter = new BatchSpanReporter(transport, { flushIntervalMs: 10, maxQueueBytes: 8000, retry: FAST_RETRY });
    const tracer = tracerWith(reporter);
    for (let i = 0; i < 100; i += 1) tracer.startSpan(`op-${i}`).finish();
    await sleep(200);
    transport.down = false;
    await reporter.flush();
    const { sent, dropped } = reporter.counts();
    assert.equal(sent + (dropped['queue full'] ?? 0), 100);
    assert.ok(dropped['queue full'] >= 50, `${dropped['queue full']} dropped`);
    assert.equal(transport.accepted.at(-1), 'op-99', 'the newest spans are kept');
    assert.ok(!transport.accepted.includes('op-0'), 'the oldest are the ones dropped');
    await closed(tracer);
    await sleep(10);
    assert.match(
      warnings[0],
      /^jaeger-decorators: the queue of spans waiting to be sent was full \(100,000 spans or 8 KiB\).*, so the oldest were dropped: \d+ spans dropped so far/,
    );
  });

  it('drops a batch retried for longer than retry.maxElapsedMs and says so', async () => {
    const transport = new SwitchableTransport();
    transport.down = true;
    const reporter = new BatchSpanReporter(transport, { flushIntervalMs: 10, retry: { ...FAST_RETRY, maxElapsedMs: 150 } });
    const tracer = tracerWith(reporter);
    for (let i = 0; i < 5; i += 1) tracer.startSpan(`op-${i}`).finish();
    await reporter.flush();
    assert.deepEqual(reporter.counts(), { sent: 0, dropped: { 'sending to udp://test:1': 5 } });
    await closed(tracer);
    await sleep(10);
    assert.match(
      warnings[0],
      /could not send spans to the Jaeger agent at udp:\/\/test:1: the connection was refused.*\(tried \d+ times over 0\.\d s\)\. 5 spans dropped so far/,
    );
  });
});
