import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { initTracer as initJaegerTracer } from 'jaeger-client';
import { getActiveSpan, withSpan } from 'jaeger-decorators';
import type { Tracer } from 'opentracing';
import { decodeAgentPacket } from './jaeger-idl';
import { BatchSpanReporter, type SendOutcome, type SpanTransport } from './reporting-modules';

/** A transport that keeps what it is sent and answers as told. */
class RecordingTransport implements SpanTransport {
  readonly framing = 'agent' as const;
  readonly maxBatchBytes = 65000;
  readonly batchSpans = 256;
  readonly maxInFlight = 2;
  readonly destination = 'udp://test:1';
  readonly sent: Buffer[] = [];
  /** The active span (jaeger-decorators' context) at each send. */
  readonly activeAtSend: unknown[] = [];
  closed = false;
  answer: (attempt: number) => SendOutcome | Promise<SendOutcome> = () => ({ ok: true });
  private _attempts = 0;

  send(bytes: Buffer): Promise<SendOutcome> {
    this._attempts += 1;
    this.sent.push(bytes);
    this.activeAtSend.push(getActiveSpan());
    return Promise.resolve(this.answer(this._attempts));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Operation names of every span in every batch sent. */
  names(): string[] {
    return this.sent.flatMap((bytes) => decodeAgentPacket(bytes).body.batch.spans.map((span) => span.operationName));
  }
}

function tracerWith(reporter: InstanceType<typeof BatchSpanReporter>): Tracer {
  return initJaegerTracer({ serviceName: 'reporter-test', sampler: { type: 'const', param: 1 } }, { reporter });
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const closed = (tracer: Tracer) => new Promise<void>((resolve) => (tracer as unknown as { close(callback: () => void): void }).close(resolve));

describe('the batch span reporter', () => {
  let warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  beforeEach(() => {
    warnings = [];
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('finishing a span only queues it: nothing is encoded or sent during the call', async () => {
    const transport = new RecordingTransport();
    const tracer = tracerWith(new BatchSpanReporter(transport));
    for (let i = 0; i < 500; i += 1) tracer.startSpan(`op-${i}`).finish();
    assert.equal(transport.sent.length, 0);
    await turn();
    assert.ok(transport.sent.length > 0, 'a batch goes out on a later turn of the event loop');
    await closed(tracer);
  });

  it("sends batches outside the context of the request whose span filled them: no post is a request's child", async () => {
    const transport = new RecordingTransport();
    const reporter = new BatchSpanReporter(transport);
    const tracer = tracerWith(reporter);
    const request = tracer.startSpan('request');
    withSpan(request, () => {
      for (let i = 0; i < 500; i += 1) tracer.startSpan(`op-${i}`, { childOf: request }).finish();
    });
    await turn(); // the turn the 200th span asked for, from inside the request's context
    await reporter.flush();
    assert.ok(transport.activeAtSend.length > 0);
    assert.deepEqual(
      transport.activeAtSend.filter((span) => span !== undefined),
      [],
    );
    await closed(tracer);
  });

  it('sends spans that wait fewer than a batch after the flush interval', async () => {
    const transport = new RecordingTransport();
    const tracer = tracerWith(new BatchSpanReporter(transport, { flushIntervalMs: 20 }));
    tracer.startSpan('lonely').finish();
    await turn();
    assert.equal(transport.sent.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(transport.names(), ['lonely']);
    await closed(tracer);
  });

  it('does a bounded amount of encoding per turn of the event loop, and catches up over later turns', async () => {
    const transport = new RecordingTransport();
    const reporter = new BatchSpanReporter(transport, { turnBudgetMs: 0 });
    const tracer = tracerWith(reporter);
    for (let i = 0; i < 5000; i += 1) tracer.startSpan(`op-${i}`).finish();
    await turn();
    const afterOneTurn = transport.names().length;
    assert.ok(afterOneTurn > 0 && afterOneTurn <= 256, `${afterOneTurn} spans encoded in the first turn`);
    await reporter.flush();
    assert.equal(transport.names().length, 5000);
    await closed(tracer);
  });

  it('close() sends every waiting span, waits for sends in flight, then closes the transport', async () => {
    const transport = new RecordingTransport();
    transport.answer = () => new Promise((resolve) => setTimeout(() => resolve({ ok: true }), 30));
    const reporter = new BatchSpanReporter(transport);
    const tracer = tracerWith(reporter);
    for (let i = 0; i < 1000; i += 1) tracer.startSpan(`op-${i}`).finish();
    await closed(tracer);
    assert.equal(transport.closed, true);
    assert.equal(transport.names().length, 1000);
    assert.equal(reporter.counts().sent, 1000);
  });

  it('a burst larger than the unencoded limit, to a collector that answers slowly, loses nothing', async () => {
    // As the HTTP collector transport: spans gather while every send is out. 30,000 spans made in a few
    // turns, three times the 10,000 held unencoded, each send answered after 20 ms.
    const transport = Object.assign(new RecordingTransport(), { gathersWhileBusy: true, batchSpans: 1000 });
    transport.answer = () => new Promise((resolve) => setTimeout(() => resolve({ ok: true }), 20));
    const reporter = new BatchSpanReporter(transport);
    const tracer = tracerWith(reporter);
    for (let i = 0; i < 30_000; i += 1) {
      tracer.startSpan(`op-${i}`).finish();
      if (i % 1000 === 999) await turn();
    }
    await closed(tracer);
    assert.equal(reporter.counts().sent, 30_000);
    assert.deepEqual(reporter.counts().dropped, {});
    assert.deepEqual(warnings, []);
  });

  const burstTransports: Array<[string, Partial<SpanTransport>]> = [
    ['an HTTP collector', { gathersWhileBusy: true, batchSpans: 1000 }],
    ['the UDP agent', { fillsBatches: true }],
  ];
  for (const [kind, shape] of burstTransports) {
    it(`a burst that never yields, past the unencoded limit, to ${kind}: nothing is dropped while the queue has room`, async () => {
      // 25,000 spans finished in one synchronous loop, as a batch job does, two and a half times the 10,000 held
      // unencoded: the queue's limit (100,000 spans, 32 MiB) is what holds them.
      const transport: RecordingTransport = Object.assign(new RecordingTransport(), shape);
      const reporter = new BatchSpanReporter(transport);
      const tracer = tracerWith(reporter);
      for (let i = 0; i < 25_000; i += 1) tracer.startSpan(`op-${i}`).finish();
      await closed(tracer);
      assert.equal(reporter.counts().sent, 25_000);
      assert.deepEqual(reporter.counts().dropped, {});
      assert.deepEqual(warnings, []);
      // Each once, in the order they were finished.
      assert.deepEqual(
        transport.names(),
        Array.from({ length: 25_000 }, (_, i) => `op-${i}`),
      );
    });
  }

  it('close() gives up after closeTimeoutMs, counts what was left and says so once', async () => {
    const transport = new RecordingTransport();
    transport.answer = () => new Promise(() => {}); // a transport that never answers
    const reporter = new BatchSpanReporter(transport, { closeTimeoutMs: 50 });
    const tracer = tracerWith(reporter);
    for (let i = 0; i < 10; i += 1) tracer.startSpan(`op-${i}`).finish();
    const started = Date.now();
    await closed(tracer);
    assert.ok(Date.now() - started < 1000);
    assert.equal(transport.closed, true);
    await turn();
    assert.deepEqual(warnings, ['jaeger-decorators: close() gave up after 50 ms with spans still waiting to be sent: 10 spans dropped so far.']);
  });

  it('tries a batch again after a failure worth another try, and delivers it', async () => {
    const transport = new RecordingTransport();
    transport.answer = (attempt) => (attempt === 1 ? { ok: false, retryable: true, reason: 'connect ECONNREFUSED' } : { ok: true });
    const reporter = new BatchSpanReporter(transport);
    const tracer = tracerWith(reporter);
    tracer.startSpan('retried').finish();
    await reporter.flush();
    assert.equal(transport.sent.length, 2);
    assert.deepEqual(reporter.counts(), { sent: 1, dropped: {} });
    await closed(tracer);
  });

  it('drops a batch after a final failure, counts its spans and warns once with the count', async () => {
    const transport = new RecordingTransport();
    transport.answer = () => ({ ok: false, retryable: false, reason: 'the collector answered HTTP 400' });
    const reporter = new BatchSpanReporter(transport);
    const tracer = tracerWith(reporter);
    for (let i = 0; i < 7; i += 1) tracer.startSpan(`op-${i}`).finish();
    await reporter.flush();
    for (let i = 0; i < 3; i += 1) tracer.startSpan(`more-${i}`).finish();
    await reporter.flush();
    await turn();
    assert.deepEqual(reporter.counts().dropped, { 'sending to udp://test:1': 10 });
    assert.deepEqual(warnings, [
      'jaeger-decorators: could not send spans to the Jaeger agent at udp://test:1: the collector answered HTTP 400. 7 spans dropped so far. This is said once; closeTracer() gives the total.',
    ]);
    await closed(tracer);
    await turn();
    assert.equal(warnings[1], 'jaeger-decorators: 10 spans dropped in all: they could not be sent to the Jaeger agent at udp://test:1.');
  });

  it('past maxQueueSpans drops the oldest spans, keeps the newest, counts the dropped and says so once', async () => {
    const transport = new RecordingTransport();
    const reporter = new BatchSpanReporter(transport, { maxQueueSpans: 100 });
    const tracer = tracerWith(reporter);
    for (let i = 0; i < 150; i += 1) tracer.startSpan(`op-${i}`).finish();
    await reporter.flush();
    assert.deepEqual(reporter.counts(), { sent: 100, dropped: { 'queue full': 50 } });
    assert.deepEqual(
      transport.names(),
      Array.from({ length: 100 }, (_, i) => `op-${i + 50}`),
    );
    await turn();
    assert.deepEqual(warnings, [
      'jaeger-decorators: the queue of spans waiting to be sent was full (100 spans not yet encoded), so the oldest were dropped: 1 span dropped so far. This is said once; closeTracer() gives the total.',
    ]);
    await closed(tracer);
    await turn();
    assert.equal(warnings[1], 'jaeger-decorators: 50 spans dropped in all: they were dropped, oldest first, from a full queue.');
  });
});
