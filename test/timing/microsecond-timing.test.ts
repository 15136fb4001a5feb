import assert from 'node:assert/strict';
import http from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import express from 'express';
import log4js from 'log4js';
import { LogErrorsToSpan, Span, withSpan } from 'jaeger-decorators';
import { tracingMiddleware } from 'jaeger-decorators/express';
import { installHttpClientPatches, uninstallHttpClientPatches } from 'jaeger-decorators/http';
import * as jaegerAppender from 'jaeger-decorators/log4js';
import { httpRequest, listen } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordedSpan, type RecordingTracer } from '../support/recording-tracer';

// jaeger-client's own clock is Date.now(): whole milliseconds, a start and a duration with no fraction.
function hasMicroseconds(span: RecordedSpan): boolean {
  return !Number.isInteger(span.startMs) || !Number.isInteger(span.durationMs);
}

function describeTiming(span: RecordedSpan): string {
  return `${span.name}: start ${span.startMs}, duration ${span.durationMs} ms`;
}

describe('spans are timed in microseconds', () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('a @Span around sub-millisecond work lasts a fraction of a millisecond, not 0', () => {
    class Maths {
      @Span()
      square(x: number) {
        return x * x;
      }
    }
    // Several calls: the first pays for warming up, and a loaded machine may stall any one of them.
    for (let i = 0; i < 5; i += 1) new Maths().square(i);
    const durations = recording.spans().map((span) => span.durationMs);
    assert.ok(
      durations.every((ms) => ms > 0),
      durations.join(', '),
    );
    assert.ok(Math.min(...durations) < 1, durations.join(', '));
  });

  it('an error log is timestamped in microseconds, inside its span', () => {
    class Parser {
      @Span()
      @LogErrorsToSpan()
      parse() {
        throw new SyntaxError('unexpected end');
      }
    }
    // Three calls: a time read in microseconds falls on a whole millisecond once in a thousand (a CI run met one),
    // three in a row once in a billion; a millisecond clock gives whole ones every time.
    for (let i = 0; i < 3; i += 1) assert.throws(() => new Parser().parse());
    const spans = recording.spans().filter((span) => span.name === 'Parser.parse');
    assert.equal(spans.length, 3);
    const logTimes = spans.map((span) => span.logTimesMs[0]);
    assert.ok(
      logTimes.some((logTime) => !Number.isInteger(logTime)),
      `logs at ${logTimes.join(', ')}`,
    );
    for (const span of spans) {
      const [logTime] = span.logTimesMs;
      assert.ok(logTime >= span.startMs && logTime <= span.startMs + span.durationMs, `log at ${logTime}; ${describeTiming(span)}`);
    }
  });

  it('the server span of a request (Express middleware)', async () => {
    const app = express();
    app.use(tracingMiddleware());
    app.get('/ping', (_req, res) => {
      res.json({ pong: true });
    });
    const server = await listen(app);
    try {
      assert.equal((await httpRequest(`${server.url}/ping`)).status, 200);
    } finally {
      await server.close();
    }
    const span = recording.span('GET /ping');
    assert.ok(hasMicroseconds(span), describeTiming(span));
  });

  it('the client span of an outgoing call (HTTP client patch)', async () => {
    const server = await listen((_req, res) => res.end('ok'));
    installHttpClientPatches();
    try {
      const parent = recording.tracer.startSpan('parent');
      await withSpan(
        parent,
        () => new Promise<void>((resolve, reject) => http.get(`${server.url}/`, (response) => response.resume().on('end', resolve)).on('error', reject)),
      );
      parent.finish();
      await delay(5);
    } finally {
      uninstallHttpClientPatches();
      await server.close();
    }
    const span = recording.span('HTTP GET');
    assert.ok(hasMicroseconds(span), describeTiming(span));
  });

  it('the span of an error log (log4js appender) lasts a fraction of a millisecond, its log inside it', async () => {
    log4js.configure({
      appenders: { jaeger: { type: jaegerAppender } as never },
      categories: { default: { appenders: ['jaeger'], level: 'error' } },
    });
    try {
      // Several logs: the first pays for warming up, and a loaded machine may stall any one of them.
      for (let i = 0; i < 5; i += 1) {
        const parent = recording.tracer.startSpan('request');
        withSpan(parent, () => log4js.getLogger('orders').error('charge failed'));
        parent.finish();
      }
    } finally {
      await new Promise((resolve) => log4js.shutdown(resolve));
    }
    const spans = recording.spans().filter((span) => span.name === 'logger[orders]');
    assert.equal(spans.length, 5);
    assert.ok(
      spans.every((span) => span.durationMs > 0),
      spans.map(describeTiming).join('; '),
    );
    assert.ok(Math.min(...spans.map((span) => span.durationMs)) < 1, spans.map(describeTiming).join('; '));
    for (const span of spans) {
      assert.ok(span.logTimesMs[0] >= span.startMs && span.logTimesMs[0] <= span.startMs + span.durationMs, `log at ${span.logTimesMs[0]}`);
    }
  });
});
