// Server spans: ignoreErrors on @TracedController and the middleware, and @NoSpan() actions of a traced controller
// (Express and Koa drivers), against the real routing-controllers.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import express from 'express';
import Koa from 'koa';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ForbiddenError, Get, HttpError, JsonController, UseBefore, useExpressServer, useKoaServer } from 'routing-controllers';
import { NoSpan, Span } from 'jaeger-decorators';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { answeredErrors } from './apps/answered-errors';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

/** An upstream that is down for maintenance: answered 503, but expected, not a failure of ours. */
class UpstreamMaintenance extends HttpError {
  constructor() {
    super(503, 'payments upstream in maintenance');
    // As routing-controllers' own errors do: its HttpError constructor resets the prototype to HttpError's.
    Object.setPrototypeOf(this, UpstreamMaintenance.prototype);
    this.name = 'UpstreamMaintenance';
  }
}

class Status {
  @Span()
  database() {
    return 'up';
  }
}

@TracedController({ ignoreErrors: [UpstreamMaintenance] })
@JsonController('/ops')
class OpsController {
  @Get('/pay')
  pay() {
    throw new UpstreamMaintenance();
  }

  @Get('/crash')
  crash() {
    throw new Error('disk full');
  }

  @NoSpan()
  @Get('/health')
  health() {
    return { database: new Status().database() };
  }
}

/** Another controller of the same name, as a v2 of the API in a folder of its own declares it: its actions all traced. */
const OpsControllerV2 = (() => {
  @TracedController()
  @JsonController('/v2/ops')
  class OpsController {
    @Get('/health')
    health() {
      return { database: 'up' };
    }
  }
  return OpsController;
})();

for (const driver of ['express', 'koa'] as const) {
  describe(`@TracedController ignoreErrors and @NoSpan() actions (${driver} driver)`, () => {
    let recording: RecordingTracer;
    let server: RunningServer;

    before(async () => {
      if (driver === 'express') {
        const app = express();
        useExpressServer(app, { controllers: [OpsController, OpsControllerV2] });
        app.use(answeredErrors);
        server = await listen(app);
      } else {
        const app = new Koa();
        useKoaServer(app, { controllers: [OpsController, OpsControllerV2] });
        const handle = app.callback();
        server = await listen((req, res) => void handle(req, res));
      }
    });
    after(() => server.close());
    beforeEach(() => {
      recording = recordingTracer();
    });
    afterEach(() => closeTracer());

    const waitForSpans = async (count: number) => {
      for (let i = 0; i < 100 && recording.spans().length < count; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    };

    it('an expected error answered 503: the span is not failed, one expected_error log, the status kept', async () => {
      const response = await httpRequest(`${server.url}/ops/pay`);
      assert.equal(response.status, 503);
      await waitForSpans(1);
      const span = recording.span('OpsController.pay');
      assert.equal(span.tags['http.status_code'], 503);
      assert.equal(span.tags.error, undefined, JSON.stringify(span.logs));
      assert.deepEqual(span.logs, [{ event: 'expected_error', 'error.kind': 'UpstreamMaintenance', message: 'payments upstream in maintenance' }]);
    });

    it('an error no matcher matches is a failure, as before', async () => {
      const response = await httpRequest(`${server.url}/ops/crash`);
      assert.equal(response.status, 500);
      await waitForSpans(1);
      const span = recording.span('OpsController.crash');
      assert.equal(span.tags.error, true);
      assert.equal(span.logs[0].message, 'disk full');
    });

    it('a @NoSpan() action answers as usual and reports no span, nor the spans of the calls it makes', async () => {
      const response = await httpRequest(`${server.url}/ops/health`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json(), { database: 'up' });
      // A traced request after it: once its span is in, the health check's would have been too.
      await httpRequest(`${server.url}/ops/crash`);
      await waitForSpans(1);
      assert.deepEqual(
        recording.spans().map((span) => span.name),
        ['OpsController.crash'],
      );
    });

    it('a @NoSpan() action leaves the same action of another controller of the same class name traced', async () => {
      const response = await httpRequest(`${server.url}/v2/ops/health`);
      assert.equal(response.status, 200);
      await waitForSpans(1);
      assert.deepEqual(
        recording.spans().map((span) => [span.name, span.tags['http.route']]),
        [['OpsController.health', '/v2/ops/health']],
      );
    });
  });
}

@TracedController()
@JsonController('/orders')
class GuardedController {
  // A function middleware that refuses: its error reaches Express's own handler, which answers 500 whatever
  // the error's httpCode.
  @UseBefore((_req: unknown, _res: unknown, next: (error: unknown) => void) => next(new ForbiddenError('not yours')))
  @Get('/:id')
  one() {
    return { id: 1 };
  }
}

describe('@TracedController (express driver): an error judged by the status the response goes out with', () => {
  let recording: RecordingTracer;
  let server: RunningServer;
  before(async () => {
    const app = express();
    useExpressServer(app, { controllers: [GuardedController] });
    server = await listen(app);
  });
  after(() => server.close());
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it("a ForbiddenError Express answers with a 500: one error log, the error's own, no client_error and no status log", async () => {
    const response = await httpRequest(`${server.url}/orders/1`);
    assert.equal(response.status, 500);
    for (let i = 0; i < 100 && recording.spans().length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const [span] = recording.spans();
    assert.equal(span.tags.error, true);
    assert.equal(span.tags['http.status_code'], 500);
    assert.deepEqual(
      span.logs.map((log) => [log.event, log['error.kind'], log.message]),
      [['error', 'ForbiddenError', 'not yours']],
    );
  });
});

describe('tracingMiddleware({ ignoreErrors })', () => {
  let recording: RecordingTracer;
  let server: RunningServer;
  before(async () => {
    const app = express();
    app.use(tracingMiddleware({ ignoreErrors: [(error: { code?: string }) => error.code === 'ENOENT'] }));
    app.get('/files/:name', (_req, _res, next) => next(Object.assign(new Error('no such file'), { code: 'ENOENT', status: 500 })));
    app.use(tracingErrorHandler());
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).json({ message: error.message }));
    server = await listen(app);
  });
  after(() => server.close());
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('an expected error passed to next(): not failed, logged once as expected, the app answers as before', async () => {
    const response = await httpRequest(`${server.url}/files/a.txt`);
    assert.equal(response.status, 500);
    assert.deepEqual(response.json(), { message: 'no such file' });
    for (let i = 0; i < 100 && recording.spans().length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const [span] = recording.spans();
    assert.equal(span.tags.error, undefined);
    assert.deepEqual(span.logs, [{ event: 'expected_error', 'error.kind': 'Error', message: 'no such file' }]);
  });

  it('ignoreErrors is checked when the middleware is made, naming it', () => {
    assert.throws(() => tracingMiddleware({ ignoreErrors: 'ENOENT' as unknown as [] }), {
      name: 'TypeError',
      message: /tracingMiddleware\(\): option ignoreErrors must be a list of error classes and functions/,
    });
  });
});
