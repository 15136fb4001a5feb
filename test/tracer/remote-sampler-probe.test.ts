// A tracer whose remote sampler (jaeger-client's default) cannot reach its strategy server says so once, with
// what it samples meanwhile; one that reaches it says nothing.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, it } from 'node:test';
import { closeTracer, initTracer } from 'jaeger-decorators';
import { collectTracingWarnings } from '../support/tracing-warnings';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterEach(() => closeTracer());

// First: the warning is said once per process, so the quiet case must come before the loud one.
it('a strategy server that answers: no warning, and it was asked for this service', async () => {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ strategyType: 0, probabilisticSampling: { samplingRate: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const warnings = collectTracingWarnings();
  try {
    initTracer(
      'probe-quiet',
      { sampler: { type: 'remote', hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}` }, reporter: { logSpans: false } },
      { reporter: { report() {}, close: (done?: () => void) => done?.(), setProcess() {} } as never },
    );
    for (let i = 0; i < 50 && asked.length === 0; i += 1) await sleep(20);
    await sleep(100);
    assert.deepEqual(asked, ['/sampling?service=probe-quiet']);
    assert.deepEqual(
      warnings.messages.filter((message) => message.includes('strategy server')),
      [],
    );
  } finally {
    warnings.stop();
    server.close();
  }
});

it('no strategy server: one TracingWarning naming where it asked, why, what is sampled meanwhile, and the fix', async () => {
  const port = await closedPort();
  const warnings = collectTracingWarnings();
  try {
    initTracer(
      'probe-loud',
      { sampler: { type: 'remote', hostPort: `127.0.0.1:${port}`, param: 0.002 } },
      { reporter: { report() {}, close: (done?: () => void) => done?.(), setProcess() {} } as never },
    );
    initTracer(
      'probe-loud',
      { sampler: { type: 'remote', hostPort: `127.0.0.1:${port}` } },
      { reporter: { report() {}, close: (done?: () => void) => done?.(), setProcess() {} } as never },
    );
    for (let i = 0; i < 100 && !warnings.messages.some((message) => message.includes('strategy server')); i += 1) await sleep(20);
    await sleep(100);
    const said = warnings.messages.filter((message) => message.includes('strategy server'));
    assert.equal(said.length, 1, said.join('\n'));
    assert.match(said[0], new RegExp(`strategy server at http://127\\.0\\.0\\.1:${port}/sampling cannot be reached \\(ECONNREFUSED\\)`));
    assert.match(said[0], /until it answers, 0\.2% of traces are sampled/);
    assert.match(said[0], /Set config\.sampler \(e\.g\. \{ type: 'const', param: 1 \}/);
  } finally {
    warnings.stop();
  }
});

it('a const sampler asks no strategy server at all', async () => {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    initTracer(
      'probe-const',
      { sampler: { type: 'const', param: 1, hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}` } },
      { reporter: { report() {}, close: (done?: () => void) => done?.(), setProcess() {} } as never },
    );
    await sleep(200);
    assert.deepEqual(asked, []);
  } finally {
    server.close();
  }
});
