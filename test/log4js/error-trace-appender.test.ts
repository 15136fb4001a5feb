import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import vm from 'node:vm';
import express from 'express';
import log4js from 'log4js';
import { initTracer, withSpan } from 'jaeger-decorators';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import * as jaegerAppender from 'jaeger-decorators/log4js';
import { httpRequest, listen } from '../support/http-client';
import { closeTracer, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

function configureLog4js(appender: Record<string, unknown> = {}, lines: string[] = []): void {
  log4js.configure({
    appenders: {
      // a memory appender that keeps formatted lines, to check the trace id layout tokens
      lines: {
        type: {
          configure: (config: { layout: unknown }, layouts: any) => {
            const layout = layouts.layout('pattern', config.layout);
            return (event: unknown) => lines.push(layout(event));
          },
        },
        layout: { pattern: '%p %c [%x{trace_id}/%x{span_id}] %m', tokens: jaegerAppender.traceTokens },
      } as never,
      jaeger: { type: jaegerAppender, ...appender } as never,
    },
    categories: { default: { appenders: ['lines', 'jaeger'], level: 'debug', enableCallStack: true } },
  });
}

describe('log4js appender', () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(async () => {
    await new Promise((resolve) => log4js.shutdown(resolve));
    await closeTracer();
  });

  function inRequest(fn: () => void): { spanId: string } {
    const span = recording.tracer.startSpan('request');
    withSpan(span, fn);
    span.finish();
    return { spanId: (span.context() as unknown as { spanIdStr: string }).spanIdStr };
  }

  it("records an error log as a child span logger[<category>] in the seed's shape", () => {
    configureLog4js();
    const logger = log4js.getLogger('payments');
    const { spanId } = inRequest(() => logger.error('charge failed for order %d', 42));
    const span = recording.span('logger[payments]');
    assert.equal(span.parentId, spanId);
    assert.equal(span.tags['span.kind'], 'log');
    assert.equal(span.tags.logger, 'payments');
    const [log] = span.logs;
    assert.equal(log.event, 'log.error');
    assert.equal(log.message, 'charge failed for order 42');
    assert.equal(log.level, 'ERROR');
    assert.equal(log.category, 'payments');
    assert.equal(log.pid, process.pid);
    assert.match(String(log.time), /^\d{4}-\d\d-\d\dT/);
    assert.match(String(log['log.filename']), /error-trace-appender\.test\.js$/);
    assert.equal(typeof log['log.lineno'], 'number');
  });

  it('adds error.kind, the error message and stack when an Error is among the arguments', () => {
    configureLog4js();
    inRequest(() => log4js.getLogger('db').fatal('query failed', new RangeError('bad offset')));
    const [log] = recording.span('logger[db]').logs;
    assert.equal(log.level, 'FATAL');
    assert.equal(log['error.kind'], 'RangeError');
    assert.equal(log['error.message'], 'bad offset');
    assert.match(String(log.stack), /RangeError: bad offset/);
  });

  it('ignores events below the level, which is configurable', () => {
    configureLog4js({ level: 'WARN' });
    inRequest(() => {
      log4js.getLogger('app').info('fine');
      log4js.getLogger('app').warn('careful');
    });
    assert.deepEqual(
      recording
        .spans()
        .map((s) => s.name)
        .sort(),
      ['logger[app]', 'request'],
    );
    assert.equal(recording.span('logger[app]').logs[0].message, 'careful');
  });

  it('with onActiveSpan, logs on the active span itself', () => {
    configureLog4js({ onActiveSpan: true });
    inRequest(() => log4js.getLogger('app').error('on the request'));
    assert.deepEqual(
      recording.spans().map((s) => s.name),
      ['request'],
    );
    assert.equal(recording.span('request').logs[0].message, 'on the request');
  });

  it('records nothing and throws nothing with no active span', () => {
    configureLog4js();
    assert.doesNotThrow(() => log4js.getLogger('app').error('no span here'));
    assert.equal(recording.spans().length, 0);
  });

  it('caps a large message', () => {
    configureLog4js({ maxMessageLength: 100 });
    inRequest(() => log4js.getLogger('app').error('y'.repeat(50_000)));
    assert.ok(String(recording.span('logger[app]').logs[0].message).length < 150);
  });

  it('gives every log line the active trace and span id through the layout tokens', () => {
    const lines: string[] = [];
    configureLog4js({}, lines);
    log4js.getLogger('app').info('outside');
    const span = recording.tracer.startSpan('request');
    withSpan(span, () => log4js.getLogger('app').info('inside'));
    const context = span.context() as unknown as { traceIdStr: string; spanIdStr: string };
    // Zero-padded, as Jaeger prints ids, so a log line's id can be pasted into Jaeger's search.
    const traceId = context.traceIdStr.padStart(16, '0');
    assert.deepEqual(lines, ['INFO app [-/-] outside', `INFO app [${traceId}/${context.spanIdStr.padStart(16, '0')}] inside`]);
  });

  it("does not record the tracer's own log lines: logging: true through a log4js logger, the appender at INFO, one error is one log span", async () => {
    await closeTracer();
    const lines: string[] = [];
    configureLog4js({ level: 'INFO' }, lines);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      // Reported over UDP to a port nobody listens on: the tracer logs each span it reports through log4js.
      const tracer = initTracer(
        'svc',
        { sampler: { type: 'const', param: 1 }, logging: true, local_agent: { reporting_host: '127.0.0.1', reporting_port: 9 } },
        { logger: log4js.getLogger('jaeger') },
      );
      const span = tracer.startSpan('request');
      withSpan(span, () => log4js.getLogger('orders').error('charge failed'));
      span.finish();
      await closeTracer();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.ok(lines.length < 10, `${lines.length} log lines: ${lines.slice(0, 5).join(' | ')}`);
    assert.equal(lines.filter((line) => line.includes('charge failed')).length, 1);
    assert.deepEqual(
      warnings.filter((message) => message.includes('Maximum call stack')),
      [],
    );
  });

  it('rejects an unknown option and an unknown level, naming them', () => {
    assert.throws(() => configureLog4js({ levels: 'ERROR' }), /unknown option 'levels'/);
    assert.throws(() => configureLog4js({ level: 'LOUD' }), /option level must be a log4js level such as ERROR, got 'LOUD'/);
    assert.throws(() => configureLog4js({ maxEventsPerSpan: 0 }), /option maxEventsPerSpan must be a positive whole number, got 0/);
  });

  it('marks ERROR and FATAL log spans error=true, not a WARN it was asked to record, nor a MARK line', () => {
    configureLog4js({ level: 'WARN' });
    inRequest(() => {
      log4js.getLogger('cache').warn('cache miss, falling back to the database');
      log4js.getLogger('boot').mark('listening on :8080');
      log4js.getLogger('db').error('query failed');
      log4js.getLogger('disk').fatal('disk full');
    });
    const errorTag = (name: string) => recording.span(name).tags.error;
    assert.deepEqual(['logger[cache]', 'logger[boot]', 'logger[db]', 'logger[disk]'].map(errorTag), [undefined, undefined, true, true]);
  });

  it('in a trace not sampled, records nothing and does not even format the event', async () => {
    await closeTracer();
    recording = recordingTracer({ sampler: { type: 'const', param: 0 } });
    let formatted = 0;
    const payload = { [inspect.custom]: () => `payload #${(formatted += 1)}` };
    for (const onActiveSpan of [false, true]) {
      configureLog4js({ onActiveSpan });
      inRequest(() => log4js.getLogger('app').error('failed with', payload));
    }
    // The memory appender beside it formats each event once, for its own line.
    assert.equal(formatted, 2);
    assert.deepEqual(recording.spans(), []);
  });

  it("takes the error fields of an Error from another realm (Jest's vm context, a Node error there)", () => {
    configureLog4js();
    const foreign = vm.runInNewContext('new TypeError("made in another realm")') as Error;
    assert.equal(foreign instanceof Error, false);
    inRequest(() => log4js.getLogger('app').error('failed', foreign));
    const [log] = recording.span('logger[app]').logs;
    assert.equal(log['error.kind'], 'TypeError');
    assert.equal(log['error.message'], 'made in another realm');
    assert.match(String(log.stack), /TypeError: made in another realm/);
  });

  it('with onActiveSpan, an event logged after the span finished goes on a child span of its own, not into the finished one', async () => {
    configureLog4js({ onActiveSpan: true });
    const span = recording.tracer.startSpan('request');
    const late = withSpan(span, () => new Promise<void>((resolve) => setImmediate(() => (log4js.getLogger('app').error('after the response'), resolve()))));
    span.finish();
    await late;
    assert.deepEqual(recording.span('request').logs, []);
    const child = recording.span('logger[app]');
    assert.equal(child.parentId, (span.context() as unknown as { spanIdStr: string }).spanIdStr);
    assert.equal(child.logs[0].message, 'after the response');
    assert.equal(child.tags.error, true);
  });

  it('counts maxEventsPerSpan per appender: two appenders on one category each record what is under their limit', () => {
    log4js.configure({
      appenders: {
        spans: { type: jaegerAppender, maxEventsPerSpan: 3 } as never,
        onRequest: { type: jaegerAppender, onActiveSpan: true, maxEventsPerSpan: 3 } as never,
      },
      categories: { default: { appenders: ['spans', 'onRequest'], level: 'error' } },
    });
    inRequest(() => {
      for (let i = 1; i <= 3; i += 1) log4js.getLogger('loop').error(`message ${i} failed`);
    });
    assert.equal(recording.spans().filter((span) => span.name === 'logger[loop]').length, 3);
    assert.deepEqual(
      recording.span('request').logs.map((log) => log.event),
      ['log.error', 'log.error', 'log.error'],
    );
  });

  it('records at most maxEventsPerSpan events under one span, then says once that it dropped the rest', () => {
    for (const onActiveSpan of [false, true]) {
      configureLog4js({ onActiveSpan, maxEventsPerSpan: 3 });
      inRequest(() => {
        for (let i = 1; i <= 6; i += 1) log4js.getLogger('loop').error(`message ${i} failed`);
      });
    }
    const [childMode, activeMode] = recording.spans().filter((span) => span.name === 'request');
    const messages = (logs: Array<Record<string, unknown>>) => logs.map((log) => `${String(log.event)}: ${String(log.message)}`);
    const dropped = 'log.dropped: more than 3 log events under this span: the rest are not recorded (maxEventsPerSpan)';
    assert.deepEqual(
      recording
        .spans()
        .filter((span) => span.name === 'logger[loop]')
        .flatMap((span) => messages(span.logs)),
      ['log.error: message 1 failed', 'log.error: message 2 failed', 'log.error: message 3 failed'],
    );
    assert.deepEqual(messages(childMode.logs), [dropped]);
    assert.deepEqual(messages(activeMode.logs), ['log.error: message 1 failed', 'log.error: message 2 failed', 'log.error: message 3 failed', dropped]);
  });

  it("takes a request's secrets out of what is logged on its span, as out of the errors it records", async () => {
    configureLog4js({ onActiveSpan: true });
    const app = express();
    app.use(tracingMiddleware());
    app.use(express.json());
    app.get('/stock', (_req, res) => {
      // A line about something else the request did: quoted as written, though the query holds a short "secret".
      const logger = log4js.getLogger('stock');
      logger.error('customer 1024 (2024-12-02): upstream returned 502');
      try {
        JSON.parse('<html><body>maintenance</body></html>');
      } catch (error) {
        logger.error('GET "http://inventory/stock/42" answered 200 with a body that is not JSON:', error);
      }
      res.status(502).end();
    });
    app.post('/login', (req, res) => {
      const refused = new Error(`login refused for ${JSON.stringify(req.body)}`);
      log4js.getLogger('auth').error('login failed', refused);
      res.status(401).end();
    });
    app.use(tracingErrorHandler());
    const server = await listen(app);
    try {
      const response = await httpRequest(`${server.url}/login?token=QUERY-S3CRET`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'bob', password: 'hunter2' }),
      });
      assert.equal(response.status, 401);
      assert.equal((await httpRequest(`${server.url}/stock?pageToken=2`)).status, 502);
    } finally {
      await server.close();
    }
    await new Promise((resolve) => setImmediate(resolve));
    const [log] = recording.span('POST /login').logs.filter((entry) => entry.event === 'log.error');
    assert.match(String(log.message), /login refused for \{"user":"bob","password":"\[REDACTED\]"\}/);
    const stockLogs = recording.span('GET /stock').logs.filter((entry) => entry.event === 'log.error');
    assert.deepEqual(
      stockLogs.map((entry) => String(entry.message).split('\n')[0]),
      [
        'customer 1024 (2024-12-02): upstream returned 502',
        `GET "http://inventory/stock/42" answered 200 with a body that is not JSON: SyntaxError: ${String(stockLogs[1]?.['error.message'])}`,
      ],
    );
    assert.match(String(stockLogs[1]['error.message']), /"<html><bod"\.\.\. is not valid JSON|Unexpected token/);
    assert.doesNotMatch(String(stockLogs[1]['error.message']), /REDACTED/);
    const everything = JSON.stringify(recording.spans());
    assert.equal(everything.includes('hunter2'), false, 'the password is nowhere in the trace');
    assert.equal(everything.includes('QUERY-S3CRET'), false, 'the query token is nowhere in the trace');
  });
});
