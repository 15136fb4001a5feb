// @TracedController names a request's span after its handler before the controller's @UseBefore middlewares run,
// and again as the action runs. A name the app gave the span in between is the app's: it is kept.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import { getActiveSpan } from 'jaeger-decorators';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { Get, JsonController, UseBefore, useExpressServer } from 'routing-controllers';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

/** Renames the active span when asked to by the request's query (`?rename=NAME`). */
function renameWhenAsked(req: express.Request, _res: express.Response, next: express.NextFunction): void {
  if (typeof req.query.rename === 'string') getActiveSpan()?.setOperationName(req.query.rename);
  next();
}

@TracedController()
@JsonController('/reports')
@UseBefore(renameWhenAsked)
class NamingReportController {
  @Get('/daily')
  daily() {
    return { report: 'daily' };
  }
}

describe('@TracedController: the span name', () => {
  let server: RunningServer;
  let recording: RecordingTracer;
  before(async () => {
    const app = express();
    useExpressServer(app, { controllers: [NamingReportController], development: false });
    server = await listen(app);
  });
  after(() => server.close());
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  async function nameOf(path: string): Promise<string> {
    assert.equal((await httpRequest(`${server.url}${path}`)).status, 200);
    for (let i = 0; i < 50 && recording.spans().length === 0; i += 1) await delay(5);
    const [span] = recording.spans();
    return span.name;
  }

  it('is the handler', async () => {
    assert.equal(await nameOf('/reports/daily'), 'NamingReportController.daily');
  });

  it("is the app's when a @UseBefore middleware renamed the span before the action ran", async () => {
    assert.equal(await nameOf('/reports/daily?rename=daily-report'), 'daily-report');
  });
});
