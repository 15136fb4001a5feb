import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { InMemoryReporter, Tracer as JaegerTracer } from 'jaeger-client';
import { closeTracer, initTracer, traceHeaders } from 'jaeger-decorators';
import { globalTracer } from 'opentracing';
import { httpSink, udpSink } from '../support/fake-jaeger-endpoints';
import { delay } from '../support/recording-tracer';

describe('initTracer', () => {
  afterEach(() => closeTracer());

  it('returns a jaeger-client tracer and makes it the global tracer', () => {
    const reporter = new InMemoryReporter();
    const tracer = initTracer('service_b', { sampler: { type: 'const', param: 1 } }, { reporter });
    assert.ok(tracer instanceof JaegerTracer);
    globalTracer().startSpan('through-global').finish();
    assert.equal(reporter.spans.length, 1);
  });

  it("sends spans where the seed's local_agent says, over UDP", async () => {
    const agent = await udpSink();
    try {
      const tracer = initTracer('service_seed', {
        sampler: { type: 'const', param: 1 },
        local_agent: { reporting_host: '127.0.0.1', reporting_port: agent.port },
        logging: false,
      });
      tracer.startSpan('seed-operation').finish();
      await closeTracer();
      await delay(50);
      const received = Buffer.concat(agent.packets).toString('latin1');
      assert.match(received, /service_seed/);
      assert.match(received, /seed-operation/);
    } finally {
      await agent.close();
    }
  });

  it('sends spans to reporter.collectorEndpoint over HTTP', async () => {
    const collector = await httpSink();
    try {
      const tracer = initTracer('service_http', {
        sampler: { type: 'const', param: 1 },
        reporter: { collectorEndpoint: `${collector.url}/api/traces` },
      });
      tracer.startSpan('http-operation').finish();
      await closeTracer();
      assert.equal(collector.requests.length, 1);
      assert.equal(collector.requests[0].url, '/api/traces');
      assert.match(collector.requests[0].body.toString('latin1'), /http-operation/);
    } finally {
      await collector.close();
    }
  });

  it('closeTracer waits for a batch already posted to the HTTP collector instead of cutting it off, a second call for the same close', async () => {
    // Like Jaeger's collector, this one takes a batch only if the client is still there to hear the answer
    // (a Go handler's request context is cancelled when the client goes away).
    let accepted = 0;
    const collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        setTimeout(() => {
          if (res.destroyed || req.socket.destroyed) return;
          const body = Buffer.concat(chunks);
          accepted += ((req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body).toString('latin1').match(/slow-collector-op/g) ?? []).length;
          res.writeHead(202).end();
        }, 100),
      );
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = collector.address() as AddressInfo;
      const tracer = initTracer('service_drain', {
        sampler: { type: 'const', param: 1 },
        reporter: { collectorEndpoint: `http://127.0.0.1:${port}/api/traces` },
      });
      // 200 spans: the 100th and the 200th each post a batch at once, leaving nothing buffered, so closeTracer()
      // comes while those posts await their answers.
      for (let i = 0; i < 200; i += 1) tracer.startSpan('slow-collector-op').finish();
      // Two calls while the close runs (an exit hook's and the app's own SIGTERM handler's): each waits for it.
      const first = closeTracer();
      await closeTracer();
      assert.equal(accepted, 200);
      await first;
    } finally {
      collector.closeAllConnections();
      await new Promise((resolve) => collector.close(resolve));
    }
  });

  it('asks the remote sampler on reporting_host at local_agent.sampling_port', async () => {
    const sampling = await httpSink(() => ({
      status: 200,
      body: JSON.stringify({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 1 } }),
    }));
    try {
      initTracer('service_remote', {
        sampler: { type: 'remote', param: 0, refreshIntervalMs: 20 },
        local_agent: { reporting_host: '127.0.0.1', sampling_port: sampling.port },
      });
      const deadline = Date.now() + 3000;
      while (sampling.requests.length === 0 && Date.now() < deadline) await delay(10);
      assert.match(sampling.requests[0]?.url ?? '', /^\/sampling\?service=service_remote/);
    } finally {
      await closeTracer();
      await sampling.close();
    }
  });

  it('samples nothing with a const sampler of 0 and everything with 1', () => {
    const none = new InMemoryReporter();
    const noneTracer = initTracer('svc', { sampler: { type: 'const', param: 0 } }, { reporter: none });
    for (let i = 0; i < 20; i += 1) noneTracer.startSpan('x').finish();
    const all = new InMemoryReporter();
    const allTracer = initTracer('svc', { sampler: { type: 'const', param: true } }, { reporter: all });
    for (let i = 0; i < 20; i += 1) allTracer.startSpan('x').finish();
    assert.deepEqual([none.spans.length, all.spans.length], [0, 20]);
  });

  it('with logging: true, logs every reported span through the logger', () => {
    const lines: string[] = [];
    const tracer = initTracer(
      'svc',
      { sampler: { type: 'const', param: 1 }, logging: true },
      { logger: { info: (message) => lines.push(message), error: (message) => lines.push(message) } },
    );
    tracer.startSpan('logged').finish();
    assert.ok(
      lines.some((line) => line.startsWith('Reporting span')),
      lines.join('\n'),
    );
  });

  it('reads JAEGER_* variables for what the config leaves out; the config wins where both are set', () => {
    process.env.JAEGER_SAMPLER_TYPE = 'const';
    process.env.JAEGER_SAMPLER_PARAM = '0';
    try {
      const fromEnv = new InMemoryReporter();
      initTracer('svc', {}, { reporter: fromEnv }).startSpan('x').finish();
      const fromConfig = new InMemoryReporter();
      initTracer('svc', { sampler: { type: 'const', param: 1 } }, { reporter: fromConfig })
        .startSpan('x')
        .finish();
      assert.deepEqual([fromEnv.spans.length, fromConfig.spans.length], [0, 1]);
    } finally {
      delete process.env.JAEGER_SAMPLER_TYPE;
      delete process.env.JAEGER_SAMPLER_PARAM;
    }
  });

  it('passes options through to jaeger-client: process tags and 128-bit trace ids', () => {
    const reporter = new InMemoryReporter();
    const tracer = initTracer('svc', { sampler: { type: 'const', param: 1 } }, { reporter, tags: { region: 'eu' }, traceId128bit: true });
    const span = tracer.startSpan('x');
    span.finish();
    const traceId = (span.context() as unknown as { traceIdStr: string }).traceIdStr;
    assert.ok(traceId.length > 16, `a 128-bit id has more than 16 hex digits: ${traceId}`);
    assert.equal((tracer as unknown as { _tags: Record<string, unknown> })._tags.region, 'eu');
  });

  it('injects the trace context under uber-trace-id and trace-id by default, and under trace_id_header as Python names it', () => {
    const reporter = new InMemoryReporter();
    const jaegerStyle = initTracer('svc', { sampler: { type: 'const', param: 1 } }, { reporter });
    assert.deepEqual(Object.keys(traceHeaders(jaegerStyle.startSpan('x'))).sort(), ['trace-id', 'uber-trace-id']);
    const seedStyle = initTracer('svc', { sampler: { type: 'const', param: 1 }, trace_id_header: 'trace_id' }, { reporter });
    const span = seedStyle.startSpan('x');
    span.setBaggageItem('tenant', 'acme');
    const value = span.context().toString();
    assert.deepEqual(traceHeaders(span), { 'trace-id': value, 'uber-trace-id': value, 'uberctx-tenant': 'acme' });
  });

  it('inject_headers with an underscore is obeyed, with one warning that Python servers drop such headers', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const tracer = initTracer('svc', { sampler: { type: 'const', param: 1 }, inject_headers: ['trace_id'] }, { reporter: new InMemoryReporter() });
      assert.deepEqual(Object.keys(traceHeaders(tracer.startSpan('x'))), ['trace_id']);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /inject_headers lists 'trace_id': Werkzeug >= 2.3 \(Flask\), Django's runserver and nginx drop/);
  });

  it('called again while a tracer is active, replaces it and says so once with a TracingWarning', () => {
    // In a process of its own: the warning is said once per process.
    const fixture = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'init-tracer-again.js');
    const seen = JSON.parse(execFileSync(process.execPath, [fixture], { encoding: 'utf8' })) as { warnings: string[]; spansOfTheLastTracer: number };
    assert.equal(seen.warnings.length, 1, seen.warnings.join('\n'));
    assert.match(seen.warnings[0], /initTracer\(\) was called again while a tracer is active; the new tracer replaces the previous one/);
    assert.equal(seen.spansOfTheLastTracer, 1);
  });

  it('after closeTracer, the global tracer is a no-op and decorated code keeps working', async () => {
    const reporter = new InMemoryReporter();
    initTracer('svc', { sampler: { type: 'const', param: 1 } }, { reporter });
    await closeTracer();
    globalTracer().startSpan('after-close').finish();
    assert.equal(reporter.spans.length, 0);
  });

  it('with disable: true, registers a no-op tracer', () => {
    const tracer = initTracer('svc', { disable: true });
    assert.ok(!(tracer instanceof JaegerTracer));
    assert.deepEqual(traceHeaders(tracer.startSpan('x')), {});
  });
});
