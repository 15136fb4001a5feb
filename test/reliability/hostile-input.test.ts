import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, afterEach, before, it } from 'node:test';
import express from 'express';
import { LogErrorsToSpan, closeTracer, initTracer } from 'jaeger-decorators';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { plainExpressApp } from '../http/apps/plain-apps';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import { describeWithJaeger, findTraces, parentIdOf, requireJaeger, spanNamed, uniqueService } from '../support/jaeger-api';
import { load, watchProcessHealth } from './process-health';

// A value that would join a trace; the fuzzer throws those away, so every request must start a new one.
const WELL_FORMED = /^[0-9a-f]{1,32}:[0-9a-f]{1,16}:[0-9a-f]{1,16}:[0-9a-f]{1,2}$/i;

/** A random header value Node will send: printable ASCII and latin-1, shaped like a trace context or not. */
function malformedValue(): string {
  const pick = randomInt(6);
  const printable = () =>
    Array.from({ length: randomInt(1, 60) }, () => String.fromCharCode(randomInt(2) === 0 ? randomInt(0x20, 0x7f) : randomInt(0xa0, 0x100))).join('');
  const hex = (n: number) => randomBytes(n).toString('hex');
  const candidates = [
    printable(),
    `${hex(randomInt(0, 20))}:${hex(randomInt(0, 12))}:${printable()}:${hex(1)}`,
    `${hex(17)}${hex(randomInt(1, 4))}:${hex(8)}:0:1`, // trace id too long
    `${'0'.repeat(randomInt(1, 33))}:${hex(8)}:0:1`, // zero trace id
    `${hex(8)}:${hex(8)}:0:${hex(2)}${hex(1)}`, // flags too long
    encodeURIComponent(printable()).replace(/%/g, randomInt(2) ? '%' : '%%'),
  ];
  const value = candidates[pick].trim() || 'x';
  return WELL_FORMED.test(value) ? `z${value}` : value;
}

describeWithJaeger('reliability: hostile input against the real Jaeger', () => {
  let server: RunningServer;
  before(async () => {
    server = await listen(plainExpressApp());
  });
  after(() => server.close());
  afterEach(() => closeTracer());

  it('10,000 requests with random malformed uber-trace-id, trace_id and uberctx-* values: no failure, each a new root', async () => {
    const service = uniqueService('fuzz');
    initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 100 } });
    const health = watchProcessHealth();
    try {
      const statuses = await load(10000, 50, (i) =>
        httpRequest(`${server.url}/users/${i}`, {
          headers: {
            'uber-trace-id': malformedValue(),
            trace_id: malformedValue(),
            [`uberctx-${randomBytes(3).toString('hex')}`]: malformedValue(),
            'jaeger-baggage': malformedValue(),
          },
        }).then((response) => response.status),
      );
      await closeTracer();
      const traces = await findTraces(service, { minSpans: 30000, timeoutMs: 30000 });
      assert.deepEqual(
        {
          failed: statuses.filter((status) => status !== 200).length,
          traces: traces.length,
          notRoot: traces.filter((trace) => parentIdOf(spanNamed(trace, 'GET /users/:id')) !== undefined).length,
          unhandled: health.unhandled.length,
          tracingWarnings: health.tracingWarnings,
        },
        { failed: 0, traces: 10000, notRoot: 0, unhandled: 0, tracingWarnings: [] },
      );
    } finally {
      health.stop();
    }
  });

  it('nothing secret reaches Jaeger and a huge error is capped', async () => {
    const service = uniqueService('secrets');
    initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl } });
    class Accounts {
      @LogErrorsToSpan()
      login(): never {
        throw new Error(`login refused: ${'x'.repeat(1_000_000)}`);
      }
    }
    const app = express();
    app.use(tracingMiddleware({ recordBody: true }));
    app.use(express.json());
    app.post('/login', () => new Accounts().login());
    app.use(tracingErrorHandler());
    app.use((_error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ message: 'login refused' });
    });
    const secretsServer = await listen(app);
    try {
      const response = await httpRequest(`${secretsServer.url}/login?password=qz-pass-7781&user=ada`, {
        method: 'POST',
        headers: { authorization: 'Bearer qz-bearer-5521', cookie: 'session=qz-cookie-9931', 'content-type': 'application/json' },
        body: JSON.stringify({ password: 'qz-body-pass-4417', remember: true }),
      });
      assert.equal(response.status, 500);
      await closeTracer();
      const [trace] = await findTraces(service);
      const stored = JSON.stringify(trace);
      for (const secret of ['qz-pass-7781', 'qz-bearer-5521', 'qz-cookie-9931', 'qz-body-pass-4417'])
        assert.ok(!stored.includes(secret), `${secret} reached Jaeger`);
      const values = trace.spans.flatMap((span) => [...span.tags, ...span.logs.flatMap((log) => log.fields)]).map((field) => String(field.value));
      const longest = Math.max(...values.map((value) => value.length));
      assert.ok(longest <= 4200, `a stored value has ${longest} characters`);
      assert.ok(stored.length < 64 * 1024, `the trace takes ${stored.length} bytes`);
      assert.ok(values.some((value) => value.startsWith('login refused: xxx') && value.endsWith('more characters]')));
    } finally {
      await secretsServer.close();
    }
  });
});
