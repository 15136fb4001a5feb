import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { closeTracer, initTracer, TracerConfigError, type TracerConfig } from 'jaeger-decorators';
import { httpSink } from '../support/fake-jaeger-endpoints';
import { decodeCollectorBatch } from '../reporting/jaeger-idl';
import { otlpFromEnvironment, parseOtlpHeaders } from '../reporting/otlp-modules';
import { decodeOtlpRequest, encodeOtlpPartialSuccess } from '../reporting/otlp-proto';

const SAMPLED = { sampler: { type: 'const', param: 1 } } as const;

/** Runs `fn` with these environment variables set (undefined: unset), then puts the environment back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T | Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

/** The TracingWarnings emitted while `fn` runs (and on the next tick after). */
async function tracingWarnings(fn: () => Promise<void>): Promise<string[]> {
  const messages: string[] = [];
  const listener = (warning: Error) => {
    if (warning.name === 'TracingWarning') messages.push(warning.message);
  };
  process.on('warning', listener);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.removeListener('warning', listener);
  }
  return messages;
}

function rejects(config: TracerConfig, message: RegExp): void {
  assert.throws(
    () => initTracer('svc', config),
    (error: unknown) => error instanceof TracerConfigError && message.test(error.message),
  );
}

/** Sends one span named `name` with `config` and the environment as it is; closes the tracer. */
async function sendOne(name: string, config: TracerConfig = {}): Promise<void> {
  initTracer('otlp-config', { ...SAMPLED, ...config })
    .startSpan(name)
    .finish();
  await closeTracer();
}

const otlpSpanNames = (body: Buffer) => decodeOtlpRequest(body).resourceSpans.flatMap((rs) => rs.scopeSpans!.flatMap((ss) => ss.spans!.map((s) => s.name)));

describe('OTLP settings: reporter.otlpEndpoint and the OTEL_EXPORTER_OTLP_* variables', () => {
  afterEach(() => closeTracer());

  it('posts protobuf requests to reporter.otlpEndpoint', async () => {
    const receiver = await httpSink(() => ({ status: 200 }));
    try {
      await sendOne('to-config-endpoint', { reporter: { otlpEndpoint: `${receiver.url}/v1/traces` } });
      assert.equal(receiver.requests.length, 1);
      assert.equal(receiver.requests[0].url, '/v1/traces');
      assert.equal(receiver.requests[0].headers['content-type'], 'application/x-protobuf');
      assert.deepEqual(otlpSpanNames(receiver.requests[0].body), ['to-config-endpoint']);
    } finally {
      await receiver.close();
    }
  });

  it("sends OTEL_EXPORTER_OTLP_HEADERS and honours OTEL_EXPORTER_OTLP_COMPRESSION on the wire; headers merge name by name, the config's winning", async () => {
    const receiver = await httpSink(() => ({ status: 200 }));
    try {
      await withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k%20123,x-team=orders' }, () => sendOne('gzipped'));
      await withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_COMPRESSION: 'none' }, () => sendOne('plain'));
      await withEnv({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=from-env' }, () =>
        sendOne('config-headers', { reporter: { otlpEndpoint: `${receiver.url}/v1/traces`, headers: { 'X-Api-Key': 'from-config' } } }),
      );
      // Each source adds its own: the environment's API key, JAEGER_AUTH_TOKEN's authorization, the config's tenant.
      await withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=from-env', JAEGER_AUTH_TOKEN: 't0ken' }, () =>
        sendOne('merged-headers', { reporter: { headers: { 'x-tenant': 'orders' } } }),
      );
      const [gzipped, plain, configured, merged] = receiver.requests;
      assert.deepEqual(otlpSpanNames(gzipped.body), ['gzipped']);
      assert.equal(gzipped.headers['x-api-key'], 'k 123');
      assert.equal(gzipped.headers['x-team'], 'orders');
      assert.equal(gzipped.headers['content-encoding'], 'gzip');
      assert.deepEqual(otlpSpanNames(plain.body), ['plain']);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.wireBytes, plain.body.length);
      assert.equal(configured.headers['x-api-key'], 'from-config');
      assert.deepEqual(otlpSpanNames(merged.body), ['merged-headers']);
      assert.equal(merged.headers['x-api-key'], 'from-env');
      assert.equal(merged.headers.authorization, 'Bearer t0ken');
      assert.equal(merged.headers['x-tenant'], 'orders');
    } finally {
      await receiver.close();
    }
  });

  it('rejects an otlpEndpoint that is not an http(s) URL, and one set beside another destination, naming both keys', () => {
    rejects({ reporter: { otlpEndpoint: 'localhost:4318' } }, /config\.reporter\.otlpEndpoint must be an http\(s\) URL/);
    rejects(
      { reporter: { otlpEndpoint: 'http://localhost:4318/v1/traces', collectorEndpoint: 'http://localhost:14268/api/traces' } },
      /config\.reporter\.otlpEndpoint and config\.reporter\.collectorEndpoint both say where spans go/,
    );
    rejects(
      { reporter: { otlpEndpoint: 'http://localhost:4318/v1/traces' }, local_agent: { reporting_port: 6832 } },
      /config\.reporter\.otlpEndpoint and config\.local_agent\.reporting_port both say where spans go/,
    );
  });

  it('sends to OTEL_EXPORTER_OTLP_ENDPOINT plus /v1/traces, and to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, which wins', async () => {
    const receiver = await httpSink(() => ({ status: 200 }));
    try {
      await withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/base/` }, () => sendOne('from-base'));
      await withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/base`, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/path` }, () =>
        sendOne('from-traces-variable'),
      );
      assert.deepEqual(
        receiver.requests.map((request) => [request.url, otlpSpanNames(request.body)]),
        [
          ['/base/v1/traces', ['from-base']],
          ['/custom/path', ['from-traces-variable']],
        ],
      );
    } finally {
      await receiver.close();
    }
  });

  it('config wins over the environment: a config destination keeps OTEL_* out, a config otlpEndpoint keeps JAEGER_ENDPOINT out', async () => {
    const receiver = await httpSink(() => ({ status: 200 }));
    const collector = await httpSink(() => ({ status: 202 }));
    try {
      const warnings = await tracingWarnings(async () => {
        await withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, () =>
          sendOne('thrift-by-config', { reporter: { collectorEndpoint: `${collector.url}/api/traces` } }),
        );
        await withEnv({ JAEGER_ENDPOINT: `${collector.url}/api/traces` }, () =>
          sendOne('otlp-by-config', { reporter: { otlpEndpoint: `${receiver.url}/v1/traces` } }),
        );
      });
      assert.deepEqual(
        collector.requests.map((request) => decodeCollectorBatch(request.body).spans.map((span) => span.operationName)),
        [['thrift-by-config']],
      );
      assert.deepEqual(
        receiver.requests.map((request) => otlpSpanNames(request.body)),
        [['otlp-by-config']],
      );
      assert.deepEqual(warnings, [], 'the config decided: nothing to warn about');
    } finally {
      await receiver.close();
      await collector.close();
    }
  });

  it("between variables, Jaeger's win: JAEGER_ENDPOINT over OTEL_EXPORTER_OTLP_ENDPOINT, said once as a TracingWarning", async () => {
    const receiver = await httpSink(() => ({ status: 200 }));
    const collector = await httpSink(() => ({ status: 202 }));
    try {
      const warnings = await tracingWarnings(() =>
        withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, JAEGER_ENDPOINT: `${collector.url}/api/traces`, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, () =>
          sendOne('thrift-by-env'),
        ),
      );
      assert.equal(receiver.requests.length, 0);
      assert.deepEqual(
        collector.requests.map((request) => decodeCollectorBatch(request.body).spans.map((span) => span.operationName)),
        [['thrift-by-env']],
      );
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0], /^jaeger-decorators: OTEL_EXPORTER_OTLP_ENDPOINT is ignored: JAEGER_ENDPOINT is set/);
    } finally {
      await receiver.close();
      await collector.close();
    }
  });

  it('with the OTLP receiver down, the app goes on and one TracingWarning says where spans could not go, and how many', async () => {
    const receiver = await httpSink(() => ({ status: 503 }));
    const warnings = await tracingWarnings(async () => {
      const tracer = initTracer('otlp-down', {
        ...SAMPLED,
        reporter: { otlpEndpoint: `${receiver.url}/v1/traces`, flushIntervalMs: 10, retry: { maxElapsedMs: 300 } },
      });
      for (let i = 0; i < 5; i += 1) tracer.startSpan(`lost-${i}`).finish();
      await closeTracer();
    });
    await receiver.close();
    assert.ok(receiver.requests.length >= 1);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.ok(
      warnings[0].startsWith(`jaeger-decorators: could not send spans to the OTLP receiver at ${receiver.url}/v1/traces: the collector answered HTTP 503`),
      warnings[0],
    );
    assert.match(warnings[0], /5 spans dropped so far/);
  });

  it("a receiver's partial success: the spans it rejected are counted as dropped, with its words, and not sent again", async () => {
    const receiver = await httpSink(() => ({
      status: 200,
      body: encodeOtlpPartialSuccess(2, 'attribute limit exceeded'),
      headers: { 'content-type': 'application/x-protobuf' },
    }));
    const warnings = await tracingWarnings(async () => {
      const tracer = initTracer('otlp-partial', { ...SAMPLED, reporter: { otlpEndpoint: `${receiver.url}/v1/traces`, flushIntervalMs: 10 } });
      for (let i = 0; i < 5; i += 1) tracer.startSpan(`span-${i}`).finish();
      await closeTracer();
    });
    await receiver.close();
    assert.equal(receiver.requests.length, 1);
    assert.equal(otlpSpanNames(receiver.requests[0].body).length, 5);
    // Said once: the batch went out as the tracer closed, so that line is the total too.
    assert.deepEqual(warnings, [
      `jaeger-decorators: the OTLP receiver at ${receiver.url}/v1/traces took spans but rejected some (attribute limit exceeded): 2 spans dropped so far.`,
    ]);
  });

  it('names an OTEL_* variable it cannot use, without quoting header values (they may be credentials)', async () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, /environment variable OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/],
      [{ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /OTEL_EXPORTER_OTLP_PROTOCOL is 'grpc', which jaeger-decorators does not send.*http\/protobuf/],
      [{ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }, /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL is 'http\/json'/],
      [{ ...endpoint, OTEL_EXPORTER_OTLP_TIMEOUT: '10s' }, /OTEL_EXPORTER_OTLP_TIMEOUT must be a positive whole number of milliseconds, got '10s'/],
      [{ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'br' }, /OTEL_EXPORTER_OTLP_TRACES_COMPRESSION must be 'gzip' or 'none', got 'br'/],
      [{ ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'authorization' }, /OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs/],
      [{ ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'bad name=s3cr3t' }, /a header name in environment variable OTEL_EXPORTER_OTLP_HEADERS/],
      [{ ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'x-key=s3cr3t%zz' }, /OTEL_EXPORTER_OTLP_HEADERS: the value of header x-key is not valid percent-encoding/],
    ];
    for (const [vars, message] of cases) {
      await withEnv(vars, () =>
        assert.throws(
          () => initTracer('svc', SAMPLED),
          (error: unknown) => error instanceof TracerConfigError && message.test(error.message) && !error.message.includes('s3cr3t'),
          `${JSON.stringify(vars)} → ${message}`,
        ),
      );
    }
  });

  it('reads headers, timeout and compression, the traces variables first; a config endpoint or destination wins', () => {
    assert.deepEqual(parseOtlpHeaders('V', 'api-key=a%20b%3Dc , X-Tenant=t1,'), { 'api-key': 'a b=c', 'x-tenant': 't1' });
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-shared=1',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-traces=2',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    };
    assert.deepEqual(otlpFromEnvironment({}, env), {
      otlpEndpoint: 'http://collector:4318/v1/traces',
      headers: { 'x-traces': '2' },
      timeoutMs: 2500,
      compression: 'gzip',
    });
    assert.equal(otlpFromEnvironment({ otlpEndpoint: 'https://other/v1/traces' }, env)?.otlpEndpoint, 'https://other/v1/traces');
    assert.equal(otlpFromEnvironment({ agentPort: 6832 }, env), undefined);
    assert.equal(otlpFromEnvironment({}, {}), undefined);
  });
});
