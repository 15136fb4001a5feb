// The 4xx rule of the decorators: an error that carries an HTTP status below 500 is the caller's mistake, logged
// once as `client_error` without failing the span, unless `errorOn4xx`; every other error is a failure.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LogErrorsToSpan, Span, withSpan } from 'jaeger-decorators';
import { DIALECT } from '../support/dialect';
import { closeTracer, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

// Nest's HttpException keeps its status behind getStatus(); Fastify's errors carry statusCode; routing-controllers' httpCode.
class StatusMethodError extends Error {
  constructor(private readonly code: number) {
    super(`refused with ${code}`);
  }
  getStatus(): number {
    return this.code;
  }
}

const withStatusCode = (statusCode: number) => Object.assign(new Error(`statusCode ${statusCode}`), { statusCode });
const withHttpCode = (httpCode: number) => Object.assign(new Error(`httpCode ${httpCode}`), { httpCode });
// The common AppError: a word in `status`, the number in `statusCode`.
const appError = (statusCode: number) => Object.assign(new Error(`AppError ${statusCode}`), { status: 'fail', statusCode });

class Users {
  @Span()
  find(error: unknown): never {
    throw error;
  }

  @Span({ errorOn4xx: true })
  strict(error: unknown): never {
    throw error;
  }

  @LogErrorsToSpan()
  log(error: unknown): Promise<never> {
    return Promise.reject(error);
  }

  @LogErrorsToSpan({ errorOn4xx: true })
  logStrict(error: unknown): never {
    throw error;
  }

  @Span()
  @LogErrorsToSpan()
  both(error: unknown): never {
    throw error;
  }
}

describe(`the 4xx rule of @Span and @LogErrorsToSpan (${DIALECT})`, () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('@Span: an error with a 4xx status reaches the caller unchanged; its span gets one client_error log, no error tag', () => {
    const error = new HttpError(404, 'user 7 not found');
    assert.throws(
      () => new Users().find(error),
      (thrown) => thrown === error,
    );
    const span = recording.span('Users.find');
    assert.equal(span.tags.error, undefined);
    assert.deepEqual(span.logs, [{ event: 'client_error', 'error.kind': 'HttpError', message: 'user 7 not found', 'http.status_code': 404 }]);
  });

  it('reads the status from status, statusCode, httpCode and getStatus(); a 5xx or no status is a failure', () => {
    const users = new Users();
    for (const error of [new StatusMethodError(403), withStatusCode(400), withHttpCode(409), appError(404)]) assert.throws(() => users.find(error));
    for (const error of [new StatusMethodError(503), new Error('plain')]) assert.throws(() => users.find(error));
    const spans = recording.spans().filter((span) => span.name === 'Users.find');
    assert.deepEqual(
      spans.map((span) => [span.logs[0].event, span.logs[0]['http.status_code'], span.tags.error]),
      [
        ['client_error', 403, undefined],
        ['client_error', 400, undefined],
        ['client_error', 409, undefined],
        ['client_error', 404, undefined],
        ['error', undefined, true],
        ['error', undefined, true],
      ],
    );
  });

  it('@Span({ errorOn4xx: true }): a 4xx is a failure, with the seed error log and its stack', () => {
    assert.throws(() => new Users().strict(new HttpError(404, 'gone')));
    const span = recording.span('Users.strict');
    assert.equal(span.tags.error, true);
    assert.equal(span.logs.length, 1);
    assert.equal(span.logs[0].event, 'error');
    assert.match(String(span.logs[0].stack), /HttpError: gone/);
  });

  it('@LogErrorsToSpan: a rejected 4xx is logged as client_error on the active span; with errorOn4xx as a failure', async () => {
    const root = recording.tracer.startSpan('request');
    await assert.rejects(withSpan(root, () => new Users().log(withStatusCode(422))));
    assert.throws(() => withSpan(root, () => new Users().logStrict(withStatusCode(409))));
    root.finish();
    const span = recording.span('request');
    assert.equal(span.tags.error, true);
    assert.deepEqual(
      span.logs.map((log) => [log.event, log['http.status_code'] ?? log['error.kind']]),
      [
        ['client_error', 422],
        ['error', 'Error'],
      ],
    );
  });

  it('one log per failure per span, whichever decorators see it', () => {
    const root = recording.tracer.startSpan('request');
    assert.throws(() => withSpan(root, () => new Users().both(new HttpError(404, 'nobody'))));
    assert.throws(() => withSpan(root, () => new Users().both(new Error('broken'))));
    root.finish();
    const spans = recording.spans().filter((span) => span.name === 'Users.both');
    assert.deepEqual(
      spans.map((span) => span.logs.map((log) => log.event)),
      [['client_error'], ['error']],
    );
  });

  it('a wrong errorOn4xx is refused when decorating, naming the option', () => {
    assert.throws(() => Span({ errorOn4xx: 'yes' as unknown as boolean }), /@Span\(\): option errorOn4xx must be true or false/);
    assert.throws(() => LogErrorsToSpan({ errorOn4xx: 1 as unknown as boolean }), /@LogErrorsToSpan\(\): option errorOn4xx must be true or false/);
  });
});
