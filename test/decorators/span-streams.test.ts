// @Span over methods that return a Node Readable or an RxJS Observable, against the real node:stream and rxjs,
// in both decorator dialects.
import assert from 'node:assert/strict';
import { pipeline, Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BehaviorSubject, connectable, firstValueFrom, from, interval, lastValueFrom, map, Observable, of, Subject, take, throwError } from 'rxjs';
import { Span, getActiveSpan, withSpan } from 'jaeger-decorators';
import { DIALECT } from '../support/dialect';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

const OBSERVABLE_KEY: symbol | '@@observable' = (Symbol as { observable?: symbol }).observable ?? '@@observable';

interface BareObservable {
  subscribe(observer: { next(value: number): void; complete(): void }): { unsubscribe(): void };
  [OBSERVABLE_KEY]: () => BareObservable;
}

class Audit {
  @Span()
  note() {
    return 'noted';
  }
}

class Reports {
  readonly audit = new Audit();
  last: Readable | undefined;

  /** Three rows, 10 ms apart. */
  @Span()
  rows(): Readable {
    const audit = this.audit;
    this.last = Readable.from(
      (async function* produce() {
        for (let i = 0; i < 3; i += 1) {
          await delay(10);
          audit.note();
          yield `row ${i}\n`;
        }
      })(),
    );
    return this.last;
  }

  /** A Readable of its own class that produces on timers it starts in `_read`. */
  @Span()
  counter(): Readable {
    const audit = this.audit;
    let count = 0;
    class Counter extends Readable {
      override _read() {
        setTimeout(() => {
          audit.note();
          count += 1;
          this.push(count > 3 ? null : `${count}`);
        }, 10);
      }
    }
    return new Counter();
  }

  @Span()
  broken(): Readable {
    return new Readable({
      read() {
        this.destroy(new Error('disk read failed'));
      },
    });
  }

  @Span()
  async fromAsync(): Promise<Readable> {
    await delay(1);
    return Readable.from(['a', 'b']);
  }

  @Span()
  ticks(): Observable<number> {
    return interval(10).pipe(
      take(3),
      map((n) => n * 2),
    );
  }

  @Span()
  failing(): Observable<never> {
    return throwError(() => new RangeError('upstream refused'));
  }

  @Span()
  value(): Observable<string> {
    return new Observable<string>((subscriber) => {
      // Work done when subscribed runs with the subscription's span active.
      subscriber.next(this.audit.note());
      subscriber.complete();
    });
  }

  readonly prices = new BehaviorSubject(100);

  @Span()
  priceSubject(): BehaviorSubject<number> {
    return this.prices;
  }

  /** An Observable as a plain object, without RxJS: the interop protocol alone. */
  @Span()
  bare(): BareObservable {
    const bare: BareObservable = {
      subscribe(observer) {
        const timer = setTimeout(() => {
          observer.next(42);
          observer.complete();
        }, 10);
        return { unsubscribe: () => clearTimeout(timer) };
      },
      [OBSERVABLE_KEY]: () => bare,
    };
    return bare;
  }

  @Span()
  plain() {
    return { pipe: 'not a stream' };
  }
}

describe(`@Span over streams and Observables (${DIALECT})`, () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it("a Readable is returned as the same object; its span covers its consumption, the stream's work nested", async () => {
    const reports = new Reports();
    const root = recording.tracer.startSpan('request');
    const returned = withSpan(root, () => reports.rows());
    assert.equal(returned, reports.last);
    assert.deepEqual(recording.spans(), [], 'not ended before it is read');
    const chunks: string[] = [];
    await promisify(pipeline)(
      returned,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk.toString());
          done();
        },
      }),
    );
    await delay(5);
    root.finish();
    assert.deepEqual(chunks, ['row 0\n', 'row 1\n', 'row 2\n']);
    const span = recording.span('Reports.rows');
    assert.equal(span.parentId, recording.span('request').spanId);
    assert.ok(span.durationMs >= 25, `covers the reading: ${span.durationMs} ms`);
    assert.equal(span.tags.canceled, undefined);
    assert.equal(span.tags.error, undefined);
    // The stream's own work, done as it is read, nests under the stream's span.
    const notes = recording.spans().filter((each) => each.name === 'Audit.note');
    assert.equal(notes.length, 3);
    for (const note of notes) assert.equal(note.parentId, span.spanId);
  });

  it('a Readable the consumer stops early: canceled=true, no error', async () => {
    const stream = new Reports().rows();
    for await (const chunk of stream) {
      assert.equal(String(chunk), 'row 0\n');
      break; // destroys the stream, which closes once its generator is done with the step it is in
    }
    for (let i = 0; i < 40 && recording.spans().every((span) => span.name !== 'Reports.rows'); i += 1) await delay(5);
    const span = recording.span('Reports.rows');
    assert.equal(span.tags.canceled, true);
    assert.equal(span.tags.error, undefined);
  });

  it('a Readable that errors: the error is recorded on its span and reaches the consumer unchanged', async () => {
    const stream = new Reports().broken();
    await assert.rejects(async () => {
      for await (const chunk of stream) void chunk;
    }, /disk read failed/);
    await delay(5);
    const span = recording.span('Reports.broken');
    assert.equal(span.tags.error, true);
    assert.equal(span.logs[0].message, 'disk read failed');
  });

  it('a Readable the consumer destroys: canceled=true, no error', async () => {
    const stream = new Reports().rows();
    stream.once('data', () => stream.destroy());
    for (let i = 0; i < 40 && recording.spans().every((span) => span.name !== 'Reports.rows'); i += 1) await delay(5);
    const span = recording.span('Reports.rows');
    assert.equal(span.tags.canceled, true);
    assert.equal(span.tags.error, undefined);
    assert.deepEqual(span.logs, []);
  });

  it("a Readable's error is only watched: the decorator adds no 'error' listener, so an unhandled one still crashes as before", async () => {
    const stream = new Reports().broken();
    assert.equal(stream.listenerCount('error'), 0);
    const error = await new Promise<Error>((resolve) => {
      stream.once('error', resolve);
      stream.resume();
    });
    assert.equal(error.message, 'disk read failed');
    await delay(5);
    assert.equal(recording.span('Reports.broken').tags.error, true);
  });

  it('a Readable piped into a Writable that fails: the stream is destroyed with that error, recorded on its span', async () => {
    const stream = new Reports().rows();
    const failingSink = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('disk full'));
      },
    });
    await assert.rejects(promisify(pipeline)(stream, failingSink), /disk full/);
    for (let i = 0; i < 40 && recording.spans().every((span) => span.name !== 'Reports.rows'); i += 1) await delay(5);
    const span = recording.span('Reports.rows');
    assert.equal(span.tags.error, true);
    assert.equal(span.logs[0].message, 'disk full');
  });

  it("a Readable of its own class: the timers its _read starts run with the stream's span active", async () => {
    const reports = new Reports();
    const root = recording.tracer.startSpan('request');
    const stream = withSpan(root, () => reports.counter());
    assert.deepEqual((await stream.toArray()).map(String), ['1', '2', '3']);
    await delay(5);
    root.finish();
    const span = recording.span('Reports.counter');
    assert.equal(span.parentId, recording.span('request').spanId);
    assert.ok(span.durationMs >= 35, `covers the reading: ${span.durationMs} ms`);
    const notes = recording.spans().filter((each) => each.name === 'Audit.note');
    assert.equal(notes.length, 4);
    for (const note of notes) assert.equal(note.parentId, span.spanId);
  });

  it("the body of a for await loop over a Readable runs in the consumer's context, not the stream's span", async () => {
    const reports = new Reports();
    const root = recording.tracer.startSpan('request');
    await withSpan(root, async () => {
      for await (const chunk of reports.rows()) {
        void chunk;
        assert.equal(getActiveSpan(), root);
      }
    });
    root.finish();
  });

  it('an async method resolving to a Readable: the span lasts until the stream is read', async () => {
    const stream = await new Reports().fromAsync();
    await delay(5);
    assert.deepEqual(recording.spans(), []);
    assert.deepEqual(await stream.toArray(), ['a', 'b']);
    await delay(5);
    assert.equal(recording.span('Reports.fromAsync').tags.error, undefined);
  });

  it('an Observable stays an Observable of its class; its span starts at subscription and ends at complete', async () => {
    const reports = new Reports();
    const ticks = reports.ticks();
    assert.ok(ticks instanceof Observable);
    await delay(20);
    assert.deepEqual(recording.spans(), [], 'nothing before subscription');
    assert.deepEqual(await lastValueFrom(ticks.pipe(map((n) => n + 1))), 5);
    const span = recording.span('Reports.ticks');
    assert.ok(span.durationMs >= 25, `covers the subscription: ${span.durationMs} ms`);
    assert.equal(span.tags.canceled, undefined);
  });

  it('a cold Observable subscribed twice makes two spans, each a child of the span active at the call', async () => {
    const reports = new Reports();
    const root = recording.tracer.startSpan('request');
    const value = withSpan(root, () => reports.value());
    assert.equal(await firstValueFrom(value), 'noted');
    assert.equal(await firstValueFrom(value), 'noted');
    root.finish();
    const spans = recording.spans().filter((span) => span.name === 'Reports.value');
    assert.equal(spans.length, 2);
    for (const span of spans) assert.equal(span.parentId, recording.span('request').spanId);
    // The work done at subscription nests under the subscription's span.
    const notes = recording.spans().filter((span) => span.name === 'Audit.note');
    assert.deepEqual(notes.map((note) => note.parentId).sort(), spans.map((span) => span.spanId).sort());
  });

  it('an Observable unsubscribed early: canceled=true, its span from subscribe to unsubscribe', async () => {
    const root = recording.tracer.startSpan('request');
    const ticks = withSpan(root, () => new Reports().ticks());
    const values: number[] = [];
    const subscription = ticks.subscribe((value) => values.push(value));
    await delay(15);
    subscription.unsubscribe();
    root.finish();
    const span = recording.span('Reports.ticks');
    assert.equal(span.tags.canceled, true);
    assert.equal(span.tags.error, undefined);
    assert.equal(span.parentId, recording.span('request').spanId);
    assert.ok(span.durationMs >= 10 && span.durationMs < 100, `from subscribe to unsubscribe: ${span.durationMs} ms`);
    assert.deepEqual(values, [0]);
  });

  it('an Observable that errors: the error is recorded on its span and reaches the subscriber unchanged', async () => {
    await assert.rejects(lastValueFrom(new Reports().failing()), RangeError);
    const failed = recording.span('Reports.failing');
    assert.equal(failed.tags.error, true);
    assert.equal(failed.tags.canceled, undefined);
    assert.equal(failed.logs[0]['error.kind'], 'RangeError');
    assert.equal(failed.logs[0].message, 'upstream refused');
  });

  it("values an Observable emits from timers started at subscription reach the subscriber with the subscription's span active", async () => {
    const reports = new Reports();
    await new Promise<void>((resolve) => reports.ticks().subscribe({ next: () => reports.audit.note(), complete: resolve }));
    const notes = recording.spans().filter((span) => span.name === 'Audit.note');
    assert.equal(notes.length, 3);
    for (const note of notes) assert.equal(note.parentId, recording.span('Reports.ticks').spanId);
  });

  it('a traced Observable keeps the interop protocol: its Symbol.observable method returns itself, and RxJS from() takes it', async () => {
    const ticks = new Reports().ticks() as unknown as Record<symbol | string, () => unknown>;
    assert.equal(ticks[OBSERVABLE_KEY](), ticks);
    assert.equal(await lastValueFrom(from(ticks as unknown as Observable<number>)), 4);
    assert.equal(recording.spans().filter((span) => span.name === 'Reports.ticks').length, 1);
  });

  it('a plain-object Observable, without RxJS, gets a span per subscription', async () => {
    const bare = new Reports().bare();
    assert.equal(await lastValueFrom(from(bare as unknown as Observable<number>)), 42);
    const span = recording.span('Reports.bare');
    assert.ok(span.durationMs >= 8, `covers the subscription: ${span.durationMs} ms`);
    const again = bare.subscribe({ next: () => {}, complete: () => {} });
    again.unsubscribe();
    const spans = recording.spans().filter((each) => each.name === 'Reports.bare');
    assert.equal(spans.length, 2);
    assert.equal(spans[1].tags.canceled, true);
  });

  it('a Subject is returned as it is, a value: the same object, still fed by its owner', async () => {
    const reports = new Reports();
    const returned = reports.priceSubject();
    assert.equal(returned, reports.prices);
    assert.equal(returned.value, 100);
    assert.ok(recording.span('Reports.priceSubject').durationMs >= 0, 'ended at the return, as a value');
    reports.prices.next(101);
    assert.equal(await firstValueFrom(returned), 101);
    assert.equal(recording.spans().length, 1);
  });

  it('a connectable() Observable is returned as it is, its connect() kept', () => {
    class Feed {
      @Span()
      quotes() {
        return connectable(new Subject<number>());
      }
    }
    const quotes = new Feed().quotes();
    assert.equal(typeof quotes.connect, 'function');
    quotes.connect().unsubscribe();
    assert.equal(recording.spans().length, 1);
  });

  it('an object that only looks partly like a stream is a plain value, as before', () => {
    assert.deepEqual(new Reports().plain(), { pipe: 'not a stream' });
    assert.ok(recording.span('Reports.plain').durationMs >= 0);
    assert.equal(getActiveSpan(), undefined);
  });

  it('of() and other synchronous Observables complete within the subscription', async () => {
    class Sync {
      @Span()
      items() {
        return of(1, 2, 3);
      }
    }
    assert.equal(await lastValueFrom(new Sync().items()), 3);
    assert.equal(recording.spans().length, 1);
  });

  it('a synchronous Observable the consumer stops early (take, firstValueFrom) stops producing, as undecorated', async () => {
    let produced = 0;
    class Endless {
      @Span()
      numbers(): Observable<number> {
        return new Observable<number>((subscriber) => {
          // A source that emits until its subscriber is closed: endless unless closing reaches it.
          for (let i = 0; !subscriber.closed && i < 100_000; i += 1) {
            produced += 1;
            subscriber.next(i);
          }
          subscriber.complete();
        });
      }
    }
    assert.equal(
      await lastValueFrom(
        new Endless().numbers().pipe(
          take(3),
          map((value) => value * 2),
        ),
      ),
      4,
    );
    assert.equal(produced, 3);
    produced = 0;
    assert.equal(await firstValueFrom(new Endless().numbers()), 0);
    assert.equal(produced, 1);
    assert.deepEqual(
      recording.spans().map((span) => span.tags.canceled),
      [true, true],
    );
  });

  it('a Readable returned again by later calls keeps one watcher: no listener or wrapper piled up per call, read whole', async () => {
    const shared = Readable.from(['a', 'b', 'c']);
    class Feed {
      @Span()
      stream(): Readable {
        return shared;
      }
    }
    const feed = new Feed();
    for (let i = 0; i < 50; i += 1) assert.equal(feed.stream(), shared);
    assert.equal(shared.listenerCount('end'), 1);
    assert.equal(shared.listenerCount('close'), 1);
    let text = '';
    for await (const chunk of shared) text += String(chunk);
    assert.equal(text, 'abc');
    await delay(0);
    assert.equal(recording.spans().length, 50);
  });
});
