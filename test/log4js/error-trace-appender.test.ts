import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import log4js from 'log4js';
import { initTracer, withSpan } from 'jaeger-decorators';
import * as jaegerAppender from 'jaeger-decorators/log4js';
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
  });
});
