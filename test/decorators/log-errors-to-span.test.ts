import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LogErrorsToSpan, Span, withSpan } from 'jaeger-decorators';
import { DIALECT } from '../support/dialect';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

describe(`@LogErrorsToSpan (${DIALECT})`, () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  function inRequestSpan<T>(fn: () => T): T {
    const span = recording.tracer.startSpan('request');
    try {
      return withSpan(span, fn);
    } finally {
      span.finish();
    }
  }

  it('logs a thrown error on the active span and rethrows the same object', () => {
    const failure = new Error('disk full');
    class Store {
      @LogErrorsToSpan()
      save() {
        throw failure;
      }
    }
    assert.throws(
      () => inRequestSpan(() => new Store().save()),
      (error) => error === failure,
    );
    const request = recording.span('request');
    assert.equal(request.tags.error, true);
    assert.deepEqual(
      request.logs.map((log) => [log.event, log['error.kind'], log.message]),
      [['error', 'Error', 'disk full']],
    );
  });

  it('logs a rejection, which reaches the caller as the same error object', async () => {
    const failure = new Error('timeout');
    class Client {
      @LogErrorsToSpan()
      call() {
        return delay(1).then(() => Promise.reject(failure));
      }
    }
    const span = recording.tracer.startSpan('request');
    await withSpan(span, async () => {
      await assert.rejects(new Client().call(), (error) => error === failure);
    });
    span.finish();
    assert.equal(recording.span('request').logs[0].message, 'timeout');
  });

  it('returns a Promise subclass as the very same object, and still logs its rejection', async () => {
    class QueryPromise<T> extends Promise<T> {}
    const failure = new Error('lost connection');
    const query = new QueryPromise<never>((_resolve, reject) => setTimeout(() => reject(failure), 1));
    class Repository {
      @LogErrorsToSpan()
      find() {
        return query;
      }
    }
    const span = recording.tracer.startSpan('request');
    const returned = withSpan(span, () => new Repository().find());
    assert.equal(returned, query);
    await assert.rejects(returned, (error) => error === failure);
    span.finish();
    assert.equal(recording.span('request').logs[0].message, 'lost connection');
  });

  it('never calls then on a lazy thenable', () => {
    let thenCalls = 0;
    const query = {
      then(onFulfilled: (value: number) => void) {
        thenCalls += 1;
        onFulfilled(1);
      },
    };
    class Repository {
      @LogErrorsToSpan()
      query() {
        return query;
      }
    }
    assert.equal(
      inRequestSpan(() => new Repository().query()),
      query,
    );
    assert.equal(thenCalls, 0);
  });

  it('changes nothing on the happy path: sync stays sync, values pass through', async () => {
    class Maths {
      @LogErrorsToSpan()
      add(a: number, b: number) {
        return a + b;
      }
      @LogErrorsToSpan()
      async later(value: string) {
        return value;
      }
    }
    const maths = new Maths();
    assert.equal(
      inRequestSpan(() => maths.add(1, 2)),
      3,
    );
    assert.equal(await maths.later('v'), 'v');
    assert.equal(recording.span('request').tags.error, undefined);
    assert.deepEqual(recording.span('request').logs, []);
  });

  it('with no active span, runs as if undecorated', () => {
    const failure = new Error('nobody listens');
    class Quiet {
      @LogErrorsToSpan()
      fail() {
        throw failure;
      }
    }
    assert.throws(
      () => new Quiet().fail(),
      (error) => error === failure,
    );
    assert.equal(recording.spans().length, 0);
  });

  it('with no active span, leaves a rejection nobody handles to unhandledRejection, as undecorated', () => {
    // In a process of its own: the test runner counts any unhandled rejection as a failure of its own.
    const fixture = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'unhandled-rejection-without-span.js');
    const output = execFileSync(process.execPath, [fixture], { encoding: 'utf8' });
    assert.equal(output.trim(), 'unhandledRejection: nobody awaits me');
  });

  it('logs an error rising through five decorated frames once', async () => {
    const failure = new Error('deep');
    class Layers {
      @LogErrorsToSpan()
      async one(): Promise<never> {
        throw failure;
      }
      @LogErrorsToSpan()
      async two() {
        return this.one();
      }
      @LogErrorsToSpan()
      three() {
        return this.two();
      }
      @LogErrorsToSpan()
      async four() {
        await delay(1);
        return this.three();
      }
      @LogErrorsToSpan()
      five() {
        return this.four();
      }
    }
    const span = recording.tracer.startSpan('request');
    await assert.rejects(
      withSpan(span, () => new Layers().five()),
      (error) => error === failure,
    );
    await delay(1);
    span.finish();
    assert.equal(recording.span('request').logs.length, 1);
  });

  it('beside @Span, logs the error once on the span @Span started', () => {
    const failure = new Error('both');
    class Service {
      @Span()
      @LogErrorsToSpan()
      run() {
        throw failure;
      }
    }
    assert.throws(
      () => inRequestSpan(() => new Service().run()),
      (error) => error === failure,
    );
    const run = recording.span('Service.run');
    assert.equal(run.logs.length, 1);
    assert.equal(run.tags.error, true);
    assert.deepEqual(recording.span('request').logs, [], 'the error is on the inner span, not on the request span');
  });

  it('as a class decorator, covers every own method', () => {
    @LogErrorsToSpan()
    class Jobs {
      first() {
        throw new Error('first');
      }
      second() {
        throw new Error('second');
      }
    }
    inRequestSpan(() => {
      assert.throws(() => new Jobs().first());
      assert.throws(() => new Jobs().second());
    });
    assert.deepEqual(
      recording.span('request').logs.map((log) => log.message),
      ['first', 'second'],
    );
    // Both failures logged, the span marked failed once.
    assert.deepEqual(recording.span('request').tagKeys, ['sampler.type', 'sampler.param', 'error']);
  });

  it('caps a huge error message', () => {
    class Noisy {
      @LogErrorsToSpan()
      fail() {
        throw new Error('x'.repeat(100_000));
      }
    }
    assert.throws(() => inRequestSpan(() => new Noisy().fail()));
    const message = String(recording.span('request').logs[0].message);
    assert.ok(message.length < 5000, `message length ${message.length}`);
    assert.match(message, /more characters\]$/);
  });

  it('takes only its options and must be called', () => {
    assert.throws(() => (LogErrorsToSpan as (...args: unknown[]) => unknown)({ level: 1 }), {
      message: /unknown option 'level'; expected one of ignoreErrors/,
    });
    assert.throws(
      () => {
        class Wrong {
          // @ts-expect-error: the factory must be called
          @LogErrorsToSpan
          run() {}
        }
        void Wrong;
      },
      { message: /@LogErrorsToSpan must be called/ },
    );
  });
});
