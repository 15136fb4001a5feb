import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { httpSink, udpSink } from '../support/fake-jaeger-endpoints';
import { decodeAgentPacket, decodeCollectorBatch } from './jaeger-idl';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

describe('initTracer with the batch span reporter', () => {
  afterEach(() => closeTracer());

  it('sends spans to JAEGER_ENDPOINT over HTTP when the config names no collector', async () => {
    const collector = await httpSink();
    process.env.JAEGER_ENDPOINT = `${collector.url}/api/traces`;
    try {
      initTracer('env-endpoint', { sampler: { type: 'const', param: 1 } })
        .startSpan('from-env')
        .finish();
      await closeTracer();
      assert.equal(collector.requests.length, 1);
      assert.equal(collector.requests[0].headers['content-type'], 'application/x-thrift');
      const batch = decodeCollectorBatch(collector.requests[0].body);
      assert.equal(batch.process.serviceName, 'env-endpoint');
      assert.deepEqual(
        batch.spans.map((span) => span.operationName),
        ['from-env'],
      );
    } finally {
      delete process.env.JAEGER_ENDPOINT;
      await collector.close();
    }
  });

  it("keeps jaeger-client's reporter metrics in options.metrics: jaeger:reporter_spans by result (ok, err, dropped)", async () => {
    // A metrics factory of jaeger-client's shape (its PrometheusMetricsFactory's), counting into one table.
    const counts: Record<string, number> = {};
    const factory = {
      createCounter: (name: string, tags: Record<string, string> = {}) => {
        const key = `${name}${Object.keys(tags).length === 0 ? '' : JSON.stringify(tags)}`;
        return { increment: (delta = 1) => void (counts[key] = (counts[key] ?? 0) + delta) };
      },
      createTimer: () => ({ record() {} }),
      createGauge: () => ({ update() {} }),
    };
    const accepting = await httpSink();
    const refusing = await httpSink(() => ({ status: 400, body: 'bad batch' }));
    try {
      for (const [collector, spans] of [
        [accepting, 3],
        [refusing, 2],
      ] as const) {
        const tracer = initTracer(
          'metrics',
          { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: `${collector.url}/api/traces` } },
          { metrics: factory },
        );
        for (let i = 0; i < spans; i += 1) tracer.startSpan(`op-${i}`).finish();
        await closeTracer();
      }
    } finally {
      await accepting.close();
      await refusing.close();
    }
    assert.equal(counts['jaeger:reporter_spans{"result":"ok"}'], 3);
    assert.equal(counts['jaeger:reporter_spans{"result":"err"}'], 2);
    assert.equal(counts['jaeger:reporter_spans{"result":"dropped"}'] ?? 0, 0);
    // jaeger-client's own counters of the tracer are still kept.
    assert.equal(counts['jaeger:finished_spans'], 5);
  });

  it('reaches an agent at an IPv6 address, bracketed or not, over udp6 unless told otherwise; refuses a socket type that cannot reach it', async () => {
    const agent = await udpSink(6);
    try {
      for (const host of ['::1', '[::1]']) {
        initTracer('udp6-wiring', { sampler: { type: 'const', param: 1 }, local_agent: { reporting_host: host, reporting_port: agent.port } })
          .startSpan(`to ${host}`)
          .finish();
        await closeTracer();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      const names = agent.packets.flatMap((packet) => decodeAgentPacket(packet).body.batch.spans.map((span) => span.operationName));
      assert.deepEqual(names, ['to ::1', 'to [::1]']);
    } finally {
      await agent.close();
    }
    assert.throws(
      () => initTracer('udp6-wiring', { local_agent: { reporting_host: '::1' }, reporter: { agentSocketType: 'udp4' } }),
      /the agent host ::1 is an IPv6 address, but the agent socket type is 'udp4'/,
    );
  });

  it('posts batches no larger than reporter.maxBatchBytes, under a proxy that refuses larger bodies with 413', async () => {
    const limit = 20000;
    const collector = await httpSink((request) => ({ status: request.wireBytes > limit ? 413 : 202 }));
    try {
      const tracer = initTracer('small-batches', {
        sampler: { type: 'const', param: 1 },
        reporter: { collectorEndpoint: `${collector.url}/api/traces`, compression: 'none', maxBatchBytes: 16 * 1024 },
      });
      for (let i = 0; i < 300; i += 1) tracer.startSpan(`span-${i}`, { tags: { note: `${i}`.padEnd(300, '.') } }).finish();
      await closeTracer();
      const names = collector.requests.flatMap((request) => decodeCollectorBatch(request.body).spans.map((span) => span.operationName));
      assert.equal(names.length, 300);
      assert.ok(collector.requests.length > 5, `${collector.requests.length} batches`);
      assert.ok(collector.requests.every((request) => request.wireBytes <= 16 * 1024));
    } finally {
      await collector.close();
    }
    assert.throws(
      () => initTracer('small-batches', { reporter: { collectorEndpoint: 'http://127.0.0.1:1/api/traces', maxBatchBytes: 1000 } }),
      /config\.reporter\.maxBatchBytes must be from 16384 to 4194304 bytes, got 1000/,
    );
  });

  it('sends spans to the agent as emitBatch packets', async () => {
    const agent = await udpSink();
    try {
      const tracer = initTracer('udp-wiring', {
        sampler: { type: 'const', param: 1 },
        local_agent: { reporting_host: '127.0.0.1', reporting_port: agent.port },
      });
      for (let i = 0; i < 3; i += 1) tracer.startSpan(`packet-${i}`).finish();
      await closeTracer();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const names = agent.packets.flatMap((packet) => decodeAgentPacket(packet).body.batch.spans.map((span) => span.operationName));
      assert.deepEqual(names, ['packet-0', 'packet-1', 'packet-2']);
    } finally {
      await agent.close();
    }
  });

  for (const sampler of ['const', 'remote']) {
    it(`a script that never calls closeTracer() exits by itself once its spans are sent (${sampler} sampler)`, async () => {
      const agent = await udpSink();
      try {
        await promisify(execFile)(process.execPath, [path.join(FIXTURES, 'spans-without-close.js')], {
          env: { ...process.env, SERVICE: 'unclosed', AGENT_PORT: String(agent.port), SAMPLER: sampler },
          timeout: 10000,
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        const names = agent.packets.flatMap((packet) => decodeAgentPacket(packet).body.batch.spans.map((span) => span.operationName));
        assert.deepEqual(names, ['unclosed-0', 'unclosed-1', 'unclosed-2']);
      } finally {
        await agent.close();
      }
    });
  }
});
