import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Span, getActiveSpan, withSpan } from 'jaeger-decorators';
import { DIALECT } from '../support/dialect';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

class Pricing {
  @Span()
  price(sku: string) {
    return sku.length;
  }
}

describe(`@Span on a generator method (${DIALECT})`, () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('spans the iteration, from the first next() to the end, not the call', async () => {
    class Catalog {
      @Span()
      *items() {
        yield 'a';
        yield 'b';
      }
    }
    const items = new Catalog().items();
    await delay(5);
    const firstNext = Date.now();
    items.next();
    await delay(5);
    items.next();
    await delay(5);
    assert.equal(items.next().done, true);
    const span = recording.span('Catalog.items');
    assert.ok(span.startMs >= firstNext - 1, `the span starts at the first next(), ${firstNext - span.startMs} ms early`);
    assert.ok(span.durationMs >= 9, `the span covers the iteration: ${span.durationMs} ms`);
  });

  it('nests the calls made while iterating below its span, itself below the caller', () => {
    const pricing = new Pricing();
    class Catalog {
      @Span()
      *prices(skus: string[]) {
        for (const sku of skus) yield pricing.price(sku);
      }
    }
    const request = recording.tracer.startSpan('request');
    const prices = withSpan(request, () => new Catalog().prices(['ab', 'cde']));
    assert.deepEqual([...prices], [2, 3]);
    request.finish();
    const generator = recording.span('Catalog.prices');
    assert.equal(generator.parentId, recording.span('request').spanId);
    const calls = recording.spans().filter((span) => span.name === 'Pricing.price');
    assert.deepEqual(
      calls.map((call) => call.parentId),
      [generator.spanId, generator.spanId],
    );
  });

  it('runs every step inside its span, passing sent values and the return value through', () => {
    const activeAtEachStep: unknown[] = [];
    class Echo {
      @Span()
      *echo(): Generator<string, string, string> {
        activeAtEachStep.push(getActiveSpan());
        const first = yield 'ready';
        activeAtEachStep.push(getActiveSpan());
        const second = yield `got ${first}`;
        activeAtEachStep.push(getActiveSpan());
        return `done with ${second}`;
      }
    }
    const echo = new Echo().echo();
    assert.deepEqual(echo.next('ignored'), { value: 'ready', done: false });
    assert.deepEqual(echo.next('one'), { value: 'got one', done: false });
    assert.deepEqual(echo.next('two'), { value: 'done with two', done: true });
    const spanId = recording.span('Echo.echo').spanId;
    assert.deepEqual(
      activeAtEachStep.map((span) => (span as { context(): { spanIdStr: string } } | undefined)?.context().spanIdStr),
      [spanId, spanId, spanId],
    );
  });

  it('records an error thrown while iterating and hands it to the caller unchanged', () => {
    const failure = new RangeError('page out of range');
    class Pages {
      @Span()
      *pages() {
        yield 1;
        throw failure;
      }
    }
    const pages = new Pages().pages();
    pages.next();
    assert.throws(
      () => pages.next(),
      (error) => error === failure,
    );
    const span = recording.span('Pages.pages');
    assert.equal(span.tags.error, true);
    assert.equal(span.logs[0]['error.kind'], 'RangeError');
  });

  it('ends the span without an error when the caller stops early (break, return())', async () => {
    let cleanedUp = false;
    class Feed {
      @Span()
      *entries() {
        try {
          for (let i = 0; ; i += 1) yield i;
        } finally {
          cleanedUp = true;
        }
      }
    }
    const entries = new Feed().entries();
    entries.next();
    await delay(5);
    assert.deepEqual(entries.return(undefined), { value: undefined, done: true });
    assert.equal(cleanedUp, true, "the method's own finally ran");
    const span = recording.span('Feed.entries');
    assert.ok(span.durationMs >= 4, `the span lasts until return(): ${span.durationMs} ms`);
    assert.equal(span.tags.error, undefined);
  });

  it('hands an error sent in by throw() to the method, and records it only when the method lets it out', () => {
    class Worker {
      @Span()
      *recovers() {
        try {
          yield 'first';
        } catch {
          yield 'recovered';
        }
      }
      @Span()
      *givesUp() {
        yield 'first';
      }
    }
    const recovers = new Worker().recovers();
    recovers.next();
    assert.deepEqual(recovers.throw(new Error('retry')), { value: 'recovered', done: false });
    recovers.next();
    const givesUp = new Worker().givesUp();
    givesUp.next();
    const failure = new Error('cancelled');
    assert.throws(
      () => givesUp.throw(failure),
      (error) => error === failure,
    );
    assert.equal(recording.span('Worker.recovers').tags.error, undefined);
    assert.equal(recording.span('Worker.givesUp').logs[0].message, 'cancelled');
  });

  it('starts no span for a generator that is never iterated', () => {
    class Catalog {
      @Span()
      *items() {
        yield 1;
      }
    }
    new Catalog().items();
    assert.equal(recording.spans().length, 0);
  });
});

describe(`@Span on an async generator method (${DIALECT})`, () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('spans the iteration across awaits, with the calls made while iterating below it', async () => {
    const pricing = new Pricing();
    class Rows {
      @Span()
      async *rows() {
        for (const sku of ['ab', 'cde']) {
          await delay(3);
          yield pricing.price(sku);
        }
      }
    }
    const seen: number[] = [];
    for await (const row of new Rows().rows()) seen.push(row);
    assert.deepEqual(seen, [2, 3]);
    const span = recording.span('Rows.rows');
    assert.ok(span.durationMs >= 5, `the span covers the iteration: ${span.durationMs} ms`);
    const calls = recording.spans().filter((s) => s.name === 'Pricing.price');
    assert.deepEqual(
      calls.map((call) => call.parentId),
      [span.spanId, span.spanId],
    );
  });

  it('records an error thrown while iterating and rejects with it unchanged', async () => {
    const failure = new Error('cursor closed');
    class Rows {
      @Span()
      async *rows() {
        yield 1;
        await delay(1);
        throw failure;
      }
    }
    const rows = new Rows().rows();
    await rows.next();
    await assert.rejects(rows.next(), (error) => error === failure);
    const span = recording.span('Rows.rows');
    assert.equal(span.tags.error, true);
    assert.equal(span.logs[0].message, 'cursor closed');
  });

  it('ends the span without an error when the caller stops early', async () => {
    let closed = false;
    class Stream {
      @Span()
      async *events() {
        try {
          for (let i = 0; ; i += 1) {
            await delay(3);
            yield i;
          }
        } finally {
          closed = true;
        }
      }
    }
    for await (const event of new Stream().events()) if (event === 1) break;
    assert.equal(closed, true);
    const span = recording.span('Stream.events');
    assert.ok(span.durationMs >= 5, `the span lasts until the break: ${span.durationMs} ms`);
    assert.equal(span.tags.error, undefined);
  });
});
