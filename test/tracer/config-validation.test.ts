import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { TracerConfigError, closeTracer, initTracer, type TracerConfig } from 'jaeger-decorators';

function rejects(config: unknown, message: RegExp, serviceName = 'svc'): void {
  assert.throws(
    () => initTracer(serviceName, config as TracerConfig),
    (error: unknown) => {
      assert.ok(error instanceof TracerConfigError, `expected a TracerConfigError, got ${String(error)}`);
      assert.match((error as Error).message, message);
      return true;
    },
  );
}

describe('initTracer config validation', () => {
  afterEach(() => closeTracer());

  it("rejects the seed README's placeholder port, naming key, value and expectation", () => {
    rejects(
      { local_agent: { reporting_host: 'jaeger', reporting_port: 'your-reporting-port' } },
      /config\.local_agent\.reporting_port must be a port number from 1 to 65535, got 'your-reporting-port'/,
    );
  });

  it('rejects out-of-range and fractional ports', () => {
    rejects({ local_agent: { reporting_port: 70000 } }, /reporting_port .*got 70000/);
    rejects({ local_agent: { sampling_port: 0 } }, /sampling_port .*got 0/);
    rejects({ reporter: { agentPort: 68.5 } }, /config\.reporter\.agentPort .*got 68\.5/);
  });

  it('accepts a port written as a string of digits, as Python configs often do', () => {
    assert.doesNotThrow(() => initTracer('svc', { sampler: { type: 'const', param: 1 }, local_agent: { reporting_port: '6832' } }));
  });

  it('rejects an unknown key and says where it belongs', () => {
    rejects({ collectorEndpoint: 'http://localhost:14268/api/traces' }, /unknown key config\.collectorEndpoint \(did you mean reporter\.collectorEndpoint\?\)/);
    rejects(
      { local_agent: { reporting_prot: 6832 } },
      /unknown key config\.local_agent\.reporting_prot; expected one of reporting_host, reporting_port, sampling_port/,
    );
    rejects({ sampler: { type: 'const', param: 1, rate: 2 } }, /unknown key config\.sampler\.rate/);
  });

  it('rejects an unknown sampler type, listing the valid ones', () => {
    rejects({ sampler: { type: 'always', param: 1 } }, /config\.sampler\.type must be one of const, probabilistic, ratelimiting, remote, got 'always'/);
  });

  it('rejects a sampler param that does not fit the type', () => {
    rejects({ sampler: { type: 'const', param: 2 } }, /config\.sampler\.param must be 1 or 0 .* got 2/);
    rejects({ sampler: { type: 'probabilistic', param: 1.5 } }, /config\.sampler\.param must be a probability from 0 to 1 .* got 1\.5/);
    rejects({ sampler: { type: 'probabilistic', param: '0.5' } }, /got '0\.5'/);
    rejects({ sampler: { type: 'ratelimiting', param: -1 } }, /traces per second/);
  });

  it('rejects propagation settings it cannot use, naming the key', () => {
    rejects({ inject_headers: 'traceparent' }, /config\.inject_headers must be a non-empty list of header names .* got 'traceparent'/);
    rejects({ inject_headers: [] }, /config\.inject_headers must be a non-empty list/);
    rejects({ inject_headers: ['uber-trace-id', 'bad header'] }, /config\.inject_headers\[1\] must be an HTTP header name, got 'bad header'/);
    rejects({ inject_headers: ['tracestate'] }, /config\.inject_headers lists 'tracestate'; list 'traceparent' instead/);
    rejects({ trace_id_header: 'trace id' }, /config\.trace_id_header must be an HTTP header name/);
    rejects({ baggage_header_prefix: '' }, /config\.baggage_header_prefix must be a non-empty string/);
    rejects({ generate_128bit_trace_id: 'yes' }, /config\.generate_128bit_trace_id must be true or false, got 'yes'/);
  });

  it('rejects a collector endpoint that is not an http(s) URL', () => {
    rejects({ reporter: { collectorEndpoint: 'localhost:14268' } }, /config\.reporter\.collectorEndpoint must be an http\(s\) URL/);
  });

  it('rejects the same setting given twice, seed and jaeger-client style', () => {
    rejects({ local_agent: { reporting_host: 'a' }, reporter: { agentHost: 'b' } }, /local_agent\.reporting_host and config\.reporter\.agentHost both set/);
  });

  it('rejects a trace_id_header that is not a header name', () => {
    rejects({ trace_id_header: 'trace id' }, /config\.trace_id_header must be an HTTP header name, got 'trace id'/);
  });

  it('rejects a missing service name and a non-object config', () => {
    rejects({}, /serviceName \(the first argument\) must be a non-empty string, got ''/, '');
    rejects('const', /config must be an object, got 'const'/);
  });

  it('rejects unknown options and a bad closeOnExit', () => {
    assert.throws(() => initTracer('svc', {}, { reportr: {} } as never), /unknown key options\.reportr/);
    assert.throws(
      () => initTracer('svc', {}, { closeOnExit: ['SIGKILL'] as never }),
      /options\.closeOnExit must be true, false or a list of SIGTERM, SIGINT, beforeExit/,
    );
  });

  it('names a jaeger-client option it would only call later: a logger without error(), a metrics factory without counters, tags that are no object', () => {
    const named = (options: object, message: RegExp) =>
      assert.throws(
        () => initTracer('svc', { sampler: { type: 'const', param: 1 } }, options as never),
        (error: unknown) => error instanceof TracerConfigError && message.test(error.message),
      );
    // jaeger-client calls logger.error() each time its sampler's poll fails: it threw into the app then.
    named({ logger: { info() {} } }, /options\.logger must have the methods info, error; error is missing/);
    named(
      { metrics: {} },
      /options\.metrics must have the methods createCounter, createTimer, createGauge; createCounter, createTimer, createGauge are missing/,
    );
    named({ tags: 'team=payments' }, /options\.tags must be an object, got 'team=payments'/);
    named({ reporter: { report() {} } }, /options\.reporter must have the methods report, close, setProcess; close, setProcess are missing/);
    named({ traceId128bit: 'yes' }, /options\.traceId128bit must be true or false/);
    // A logger of the right shape is taken, a function with the methods too; null asks jaeger-client for its default.
    assert.doesNotThrow(() => initTracer('svc', { sampler: { type: 'const', param: 1 } }, { logger: { info() {}, error() {} } }));
    assert.doesNotThrow(() => initTracer('svc', { sampler: { type: 'const', param: 1 } }, { logger: Object.assign(() => {}, { info() {}, error() {} }) }));
    assert.doesNotThrow(() => initTracer('svc', { sampler: { type: 'const', param: 1 } }, { logger: null, metrics: null, tags: null } as never));
    // A refresh interval past a timer's range fired every millisecond: the sampler polled its server without pause.
    rejects(
      { sampler: { type: 'remote', refreshIntervalMs: 99999999999 } },
      /config\.sampler\.refreshIntervalMs must be a positive number of milliseconds, at most/,
    );
  });

  it("takes jaeger-client's own config object as it is, serviceName included, when it names the same service", () => {
    const tracer = initTracer('payments', { serviceName: 'payments', sampler: { type: 'const', param: 1 } } as TracerConfig);
    assert.equal((tracer as unknown as { _serviceName: string })._serviceName, 'payments');
    rejects({ serviceName: 'billing' }, /config\.serviceName is 'billing', but initTracer's first argument names the service 'payments'/, 'payments');
  });

  it('names a JAEGER_* environment variable with a bad value, when the config leaves that setting to it', () => {
    process.env.JAEGER_AGENT_PORT = 'six-eight-three-two';
    try {
      rejects(
        { sampler: { type: 'const', param: 1 } },
        /environment variable JAEGER_AGENT_PORT must be a port number from 1 to 65535, got 'six-eight-three-two'/,
      );
      assert.doesNotThrow(
        () => initTracer('svc', { sampler: { type: 'const', param: 1 }, local_agent: { reporting_port: 6832 } }),
        'the config wins, so the variable is not used',
      );
    } finally {
      delete process.env.JAEGER_AGENT_PORT;
    }
  });

  it("checks the sampler and tag variables as it checks the config: a param that does not fit the type, a missing one, a JAEGER_TAGS entry without '='", () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      // A const sampler's 0.5 sampled nothing, without a word.
      [
        { JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '0.5' },
        /environment variable JAEGER_SAMPLER_PARAM must be 1 or 0 \(or true\/false\) for a const sampler, got 0\.5/,
      ],
      [{ JAEGER_SAMPLER_TYPE: 'probabilistic', JAEGER_SAMPLER_PARAM: '2' }, /environment variable JAEGER_SAMPLER_PARAM must be a probability from 0 to 1/],
      [
        { JAEGER_SAMPLER_TYPE: 'remote' },
        /JAEGER_SAMPLER_TYPE is 'remote', and JAEGER_SAMPLER_PARAM is not set: jaeger-client needs it \(the probability used until the first strategy is fetched, e\.g\. 0\.001\)/,
      ],
      [{ JAEGER_TAGS: 'team=pay,bad' }, /environment variable JAEGER_TAGS must be key=value pairs separated by commas, got the entry 'bad'/],
    ];
    for (const [variables, message] of cases) {
      Object.assign(process.env, variables);
      try {
        assert.throws(
          () => initTracer('svc', {}),
          (error: unknown) => error instanceof TracerConfigError && message.test(error.message),
          JSON.stringify(variables),
        );
      } finally {
        for (const name of Object.keys(variables)) delete process.env[name];
      }
    }
    // What jaeger-client takes and the config leaves in force: taken (a refresh interval of 0 polls once; a
    // host:port without a port, or as a URL, is read with its default port).
    for (const variables of [{ JAEGER_SAMPLER_REFRESH_INTERVAL: '0' }, { JAEGER_SAMPLER_MANAGER_HOST_PORT: 'jaeger-agent' }]) {
      Object.assign(process.env, variables);
      try {
        assert.doesNotThrow(() => initTracer('svc', { sampler: { type: 'const', param: 1 } }), JSON.stringify(variables));
      } finally {
        for (const name of Object.keys(variables)) delete process.env[name];
      }
    }
    process.env.JAEGER_SAMPLER_TYPE = 'const';
    process.env.JAEGER_SAMPLER_PARAM = '1';
    process.env.JAEGER_TAGS = 'team=pay,host=${HOSTNAME:local}';
    try {
      assert.doesNotThrow(() => initTracer('svc', {}));
    } finally {
      delete process.env.JAEGER_SAMPLER_TYPE;
      delete process.env.JAEGER_SAMPLER_PARAM;
      delete process.env.JAEGER_TAGS;
    }
  });

  it('names the timing and socket variables with a bad value: a timeout, a flush interval, a socket type (a bad one crashed the app later)', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['JAEGER_REPORTER_TIMEOUT', 'abc', /environment variable JAEGER_REPORTER_TIMEOUT must be a positive whole number of milliseconds, got 'abc'/],
      ['JAEGER_REPORTER_TIMEOUT', '-5', /environment variable JAEGER_REPORTER_TIMEOUT must be a positive whole number of milliseconds, got '-5'/],
      ['JAEGER_REPORTER_FLUSH_INTERVAL', 'abc', /environment variable JAEGER_REPORTER_FLUSH_INTERVAL must be a positive whole number of milliseconds/],
      ['JAEGER_REPORTER_FLUSH_INTERVAL', '99999999999', /JAEGER_REPORTER_FLUSH_INTERVAL must be a positive number of milliseconds, at most 2147483647/],
      ['JAEGER_AGENT_SOCKET_TYPE', 'tcp', /environment variable JAEGER_AGENT_SOCKET_TYPE must be 'udp4' or 'udp6', got 'tcp'/],
    ];
    for (const [name, value, message] of cases) {
      process.env[name] = value;
      try {
        rejects({ sampler: { type: 'const', param: 1 } }, message);
      } finally {
        delete process.env[name];
      }
    }
    rejects({ reporter: { timeoutMs: 1e10 } }, /config\.reporter\.timeoutMs must be a positive number of milliseconds, at most 2147483647, got 10000000000/);
  });

  it('never quotes the credentials of an endpoint URL it refuses, and names one whose credentials do not decode', () => {
    const refused: Array<[unknown, RegExp]> = [
      [{ reporter: { collectorEndpoint: 'http://jaeger:S3cretPassw0rd@collector.example.com:99999/api/traces' } }, /got 'http:\/\/\*\*\*@collector/],
      [{ reporter: { collectorEndpoint: 'ftp://jaeger:S3cretPassw0rd@collector.example.com/api/traces' } }, /must be an http\(s\) URL, got 'ftp:\/\/\*\*\*@/],
      [
        { reporter: { collectorEndpoint: 'http://jaeger:pw%zz@127.0.0.1:14268/api/traces' } },
        /collectorEndpoint: the user name or password in the URL is not valid percent-encoding/,
      ],
    ];
    for (const [config, message] of refused) {
      assert.throws(
        () => initTracer('svc', config as TracerConfig),
        (error: unknown) => {
          assert.ok(error instanceof TracerConfigError);
          assert.match((error as Error).message, message);
          assert.ok(!/S3cretPassw0rd|pw%zz/.test((error as Error).message), (error as Error).message);
          return true;
        },
      );
    }
  });

  it('warns when the agent port is the compact-protocol port 6831', async () => {
    const warnings: string[] = [];
    const listener = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listener);
    try {
      initTracer('svc', { sampler: { type: 'const', param: 1 }, local_agent: { reporting_port: 6831 } });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.removeListener('warning', listener);
    }
    assert.ok(
      warnings.some((w) => /6831.*compact.*6832/s.test(w)),
      warnings.join('\n'),
    );
  });
});
