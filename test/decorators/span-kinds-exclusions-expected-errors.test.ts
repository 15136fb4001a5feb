// What users of the best tracing decorators ask for: span kinds, exclusions on a traced class, and expected
// errors that are not failures, in both decorator dialects.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LogErrorsToSpan, NoSpan, Span, withSpan } from 'jaeger-decorators';
import { DIALECT } from '../support/dialect';
import { closeTracer, recordingTracer, type RecordingTracer } from '../support/recording-tracer';
import { collectTracingWarnings } from '../support/tracing-warnings';

class NotFoundError extends Error {
  override name = 'NotFoundError';
}

class MissingFileError extends Error {
  constructor(readonly code: string) {
    super(`${code}: no such file`);
  }
}

describe(`@Span kind, exclusions and ignoreErrors (${DIALECT})`, () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  describe('kind', () => {
    it("tags span.kind as Jaeger and the OTLP translation read it, beside the span's other tags", () => {
      class Queue {
        @Span({ kind: 'producer', tags: { 'messaging.system': 'rabbitmq' } })
        publish() {}

        @Span('payments.charge', { kind: 'client' })
        charge() {}
      }
      new Queue().publish();
      new Queue().charge();
      assert.deepEqual(recording.span('Queue.publish').tags, {
        'sampler.type': 'const',
        'sampler.param': true,
        'messaging.system': 'rabbitmq',
        'span.kind': 'producer',
      });
      assert.equal(recording.span('payments.charge').tags['span.kind'], 'client');
    });

    it('refuses a kind that is not one of the five, at decoration time, naming the choices', () => {
      assert.throws(() => Span({ kind: 'database' as 'client' }), {
        name: 'TypeError',
        message: "@Span(): option kind must be one of 'client', 'server', 'producer', 'consumer', 'internal', got \"database\".",
      });
    });
  });

  describe('exclusions', () => {
    it('@NoSpan() on a method of a @Span() class leaves that method untraced and unchanged', () => {
      @Span()
      class Inventory {
        count() {
          return this.healthCheck() ? 3 : 0;
        }

        @NoSpan()
        healthCheck() {
          return true;
        }
      }
      assert.equal(new Inventory().count(), 3);
      assert.deepEqual(
        recording.spans().map((span) => span.name),
        ['Inventory.count'],
      );
    });

    it('exclude on a class skips methods by name and pattern', () => {
      @Span({ exclude: ['ping', /^_/] })
      class Orders {
        place() {
          this._validate();
          this.ping();
          return 'placed';
        }

        ping() {}

        _validate() {}
      }
      assert.equal(new Orders().place(), 'placed');
      assert.deepEqual(
        recording.spans().map((span) => span.name),
        ['Orders.place'],
      );
    });

    it('exclude on a method is a TypeError at decoration time', () => {
      assert.throws(
        () => {
          class Wrong {
            @Span({ exclude: ['x'] })
            run() {}
          }
          return Wrong;
        },
        { name: 'TypeError', message: /option exclude names methods a class-wide @Span\(\) leaves alone; on the method run it means nothing/ },
      );
      assert.throws(() => Span({ exclude: 'ping' as unknown as string[] }), {
        name: 'TypeError',
        message: /option exclude must be a list of method names and regular expressions/,
      });
    });

    it('@NoSpan() refuses anything but a method', () => {
      assert.throws(() => (NoSpan as (...args: unknown[]) => unknown)({}), { message: /takes no arguments/ });
      assert.throws(
        () => {
          // @ts-expect-error: a class is not what @NoSpan() decorates
          @NoSpan()
          class Wrong {}
          return Wrong;
        },
        { name: 'TypeError', message: /@NoSpan\(\) decorates methods of a traced class/ },
      );
    });
  });

  describe('ignoreErrors', () => {
    class Files {
      @Span({ ignoreErrors: [NotFoundError, (error: { code?: string }) => error.code === 'ENOENT'] })
      async read(kind: string): Promise<string> {
        if (kind === 'missing-record') throw new NotFoundError('no record 7');
        if (kind === 'missing-file') throw new MissingFileError('ENOENT');
        if (kind === 'no-permission') throw new MissingFileError('EACCES');
        return 'content';
      }
    }

    it('a matching error reaches the caller unchanged; its span is not failed and gets one expected_error log, no stack', async () => {
      const thrown = await new Files().read('missing-record').catch((error: unknown) => error);
      assert.ok(thrown instanceof NotFoundError);
      const span = recording.span('Files.read');
      assert.equal(span.tags.error, undefined);
      assert.deepEqual(span.logs, [{ event: 'expected_error', 'error.kind': 'NotFoundError', message: 'no record 7' }]);
    });

    it('a function matcher matches by what the error carries; an error no matcher matches is a failure as before', async () => {
      await assert.rejects(new Files().read('missing-file'), MissingFileError);
      await assert.rejects(new Files().read('no-permission'), MissingFileError);
      const [missing, denied] = recording.spans();
      assert.equal(missing.tags.error, undefined);
      assert.equal(missing.logs[0].event, 'expected_error');
      assert.equal(denied.tags.error, true);
      assert.equal(denied.logs[0].event, 'error');
      assert.equal(denied.logs[0].message, 'EACCES: no such file');
    });

    it('a matcher that throws is reported once, and the error counts as a failure', async () => {
      class Flaky {
        @Span({
          ignoreErrors: [
            (error: { detail: { code: string } }) => error.detail.code === 'x', // no detail: throws
          ],
        })
        run() {
          throw new Error('boom');
        }
      }
      const warnings = collectTracingWarnings();
      try {
        assert.throws(() => new Flaky().run(), /boom/);
        assert.throws(() => new Flaky().run(), /boom/);
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(recording.spans().filter((span) => span.tags.error === true).length, 2);
        assert.equal(warnings.messages.filter((message) => message.includes('an ignoreErrors function')).length, 1);
      } finally {
        warnings.stop();
      }
    });

    it('@LogErrorsToSpan({ ignoreErrors }) logs an expected error on the active span without failing it', async () => {
      class Repository {
        @LogErrorsToSpan({ ignoreErrors: [NotFoundError] })
        async find(): Promise<never> {
          throw new NotFoundError('no user 9');
        }

        @LogErrorsToSpan({ ignoreErrors: [NotFoundError] })
        save(): never {
          throw new RangeError('name too long');
        }
      }
      const root = recording.tracer.startSpan('request');
      await withSpan(root, async () => {
        await assert.rejects(new Repository().find(), NotFoundError);
        assert.throws(() => new Repository().save(), RangeError);
      });
      root.finish();
      const span = recording.span('request');
      assert.equal(span.tags.error, true, 'the RangeError is a failure');
      assert.deepEqual(
        span.logs.map((log) => [log.event, log['error.kind']]),
        [
          ['expected_error', 'NotFoundError'],
          ['error', 'RangeError'],
        ],
      );
    });

    it('ignoreErrors must be a list of classes and functions, said at decoration time', () => {
      assert.throws(() => Span({ ignoreErrors: NotFoundError as unknown as [] }), {
        name: 'TypeError',
        message: /@Span\(\): option ignoreErrors must be a list of error classes and functions/,
      });
      assert.throws(() => LogErrorsToSpan({ ignoreErrors: ['ENOENT' as unknown as () => boolean] }), {
        name: 'TypeError',
        message: /@LogErrorsToSpan\(\): option ignoreErrors must be a list/,
      });
    });
  });
});
