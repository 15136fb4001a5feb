import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { TracerConfigError, closeTracer, initTracer, type TracerConfig } from 'jaeger-decorators';
import { httpSink } from '../support/fake-jaeger-endpoints';

const SECRET = 's3cret-value-91f2';

function rejects(reporter: unknown, message: RegExp): void {
  assert.throws(
    () => initTracer('svc', { reporter } as TracerConfig),
    (error: unknown) => {
      assert.ok(error instanceof TracerConfigError, `expected a TracerConfigError, got ${String(error)}`);
      assert.match((error as Error).message, message);
      assert.doesNotMatch((error as Error).message, new RegExp(SECRET));
      return true;
    },
  );
}

describe('initTracer: the HTTP reporter options', () => {
  afterEach(() => closeTracer());

  it('rejects headers that are not an object of non-empty strings, naming the header and never its value', () => {
    rejects({ headers: 'Bearer x' }, /config\.reporter\.headers must be an object/);
    rejects({ headers: { authorization: 42 } }, /config\.reporter\.headers\['authorization'\] must be a non-empty string \(got number\)/);
    rejects(
      { headers: { 'x-api-key': `${SECRET}\r\nx-injected: 1` } },
      /config\.reporter\.headers\['x-api-key'\] must hold only visible ASCII or Latin-1 characters, spaces and tabs \(no line breaks/,
    );
    // An en dash pasted into a token: Node would refuse the header at every request, and no batch would arrive.
    rejects(
      { headers: { authorization: `Bearer ${SECRET}\u2013x` } },
      /config\.reporter\.headers\['authorization'\] must hold only visible ASCII or Latin-1 characters/,
    );
    rejects({ headers: { 'bad header': SECRET } }, /a header name in config\.reporter\.headers must be an HTTP header name/);
    rejects({ headers: { 'Content-Encoding': 'br' } }, /config\.reporter\.headers\['Content-Encoding'\] is set by the reporter itself/);
  });

  it('rejects a compression other than gzip or none', () => {
    rejects({ compression: 'br' }, /config\.reporter\.compression must be 'gzip' or 'none', got 'br'/);
  });

  it('rejects TLS material it cannot use, naming the key, and never echoes key material', () => {
    rejects({ tls: { ca: '/no/such/ca.pem' } }, /config\.reporter\.tls\.ca names a file that cannot be read \(ENOENT\): '\/no\/such\/ca\.pem'/);
    rejects({ tls: { key: 42 } }, /config\.reporter\.tls\.key must be PEM text, a Buffer \(Uint8Array\), or the path of a PEM file \(got number\)/);
    rejects(
      { tls: { cert: `-----BEGIN CERTIFICATE-----\n${SECRET}\n-----END CERTIFICATE-----` } },
      /config\.reporter\.tls\.cert and config\.reporter\.tls\.key go together/,
    );
    rejects({ tls: { rejectUnauthorized: 'no' } }, /config\.reporter\.tls\.rejectUnauthorized must be true or false/);
    rejects({ tls: { verify: false } }, /unknown key config\.reporter\.tls\.verify; expected one of ca, cert, key, rejectUnauthorized/);
  });

  it('rejects queue and retry limits that are not positive numbers, and unknown keys in them', () => {
    rejects({ queue: { maxSpans: 0 } }, /config\.reporter\.queue\.maxSpans must be a positive number, got 0/);
    rejects({ queue: { maxBytes: 1.5 } }, /config\.reporter\.queue\.maxBytes must be a whole number, got 1\.5/);
    rejects({ queue: { size: 10 } }, /unknown key config\.reporter\.queue\.size; expected one of maxSpans, maxBytes/);
    rejects({ retry: { maxElapsedMs: -1 } }, /config\.reporter\.retry\.maxElapsedMs must be a positive number, got -1/);
    rejects({ retry: { attempts: 3 } }, /unknown key config\.reporter\.retry\.attempts; expected one of maxElapsedMs, initialDelayMs, maxDelayMs/);
  });

  it('an authorization header in the config wins over JAEGER_AUTH_TOKEN, which wins over nothing', async () => {
    const collector = await httpSink();
    const endpoint = `${collector.url}/api/traces`;
    process.env.JAEGER_AUTH_TOKEN = 'from-env';
    try {
      initTracer('svc', { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: endpoint } })
        .startSpan('a')
        .finish();
      await closeTracer();
      initTracer('svc', { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: endpoint, headers: { Authorization: 'Bearer from-config' } } })
        .startSpan('b')
        .finish();
      await closeTracer();
      assert.deepEqual(
        collector.requests.map((request) => request.headers.authorization),
        ['Bearer from-env', 'Bearer from-config'],
      );
    } finally {
      delete process.env.JAEGER_AUTH_TOKEN;
      await collector.close();
    }
  });

  it("keeps jaeger-client's reporter keys working beside the new ones", async () => {
    const collector = await httpSink();
    try {
      initTracer('svc', {
        sampler: { type: 'const', param: 1 },
        reporter: {
          collectorEndpoint: `${collector.url}/api/traces`,
          username: 'ada',
          password: 'pw',
          timeoutMs: 2000,
          flushIntervalMs: 100,
          compression: 'none',
          headers: { 'x-tenant': 'blue' },
          queue: { maxSpans: 1000, maxBytes: 1048576 },
          retry: { maxElapsedMs: 1000 },
        },
      })
        .startSpan('c')
        .finish();
      await closeTracer();
      const [request] = collector.requests;
      assert.equal(request.headers.authorization, `Basic ${Buffer.from('ada:pw').toString('base64')}`);
      assert.equal(request.headers['x-tenant'], 'blue');
      assert.equal(request.headers['content-encoding'], undefined);
    } finally {
      await collector.close();
    }
  });
});
