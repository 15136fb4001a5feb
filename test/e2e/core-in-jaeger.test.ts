import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, it } from 'node:test';
import { LogErrorsToSpan, Span, closeTracer, getActiveSpan, initTracer, type TracerConfig } from 'jaeger-decorators';
import {
  countSpans,
  describeWithJaeger,
  findTraces,
  logsOf,
  parentIdOf,
  requireJaeger,
  sameId,
  serviceOf,
  spanNamed,
  tagsOf,
  uniqueService,
  waitForTrace,
} from '../support/jaeger-api';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

class Repository {
  @Span('repository.query', { tags: { 'db.type': 'sql' } })
  async query(id: number) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return { id };
  }
}

class UserService {
  constructor(private readonly repository = new Repository()) {}

  @Span()
  async find(id: number) {
    return this.repository.query(id);
  }

  @LogErrorsToSpan()
  async save(): Promise<never> {
    throw new TypeError('email is required');
  }
}

class UserController {
  constructor(private readonly users = new UserService()) {}

  /** The root of a small tree: two finds (each with a query below) and a failing save. */
  @Span()
  async handle(): Promise<string> {
    await this.users.find(1);
    await this.users.find(2);
    await this.users.save().catch(() => undefined);
    return (getActiveSpan()!.context() as unknown as { traceIdStr: string }).traceIdStr;
  }
}

async function sendTreeAndRead(service: string, config: TracerConfig) {
  initTracer(service, config);
  const traceId = await new UserController().handle();
  await closeTracer();
  return waitForTrace(traceId, { spans: 5 });
}

function runFixture(script: string, env: Record<string, string>, { signalAfterReady }: { signalAfterReady?: NodeJS.Signals } = {}) {
  const child = spawn(process.execPath, [path.join(FIXTURES, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (signalAfterReady !== undefined && output.includes('ready')) child.kill(signalAfterReady);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    }),
  );
}

describeWithJaeger('the real Jaeger receives what the decorators record', () => {
  afterEach(() => closeTracer());

  it("receives every span over UDP from the seed's config, as the same tree, with tags and error logs", async () => {
    const jaeger = requireJaeger();
    const service = uniqueService('e2e-seed-udp');
    const trace = await sendTreeAndRead(service, {
      sampler: { type: 'const', param: 1 },
      local_agent: { reporting_host: jaeger.agentHost, reporting_port: jaeger.agentPort },
      logging: false,
    });

    assert.equal(trace.spans.length, 5, trace.spans.map((s) => s.operationName).join(', '));
    for (const span of trace.spans) assert.equal(serviceOf(trace, span), service);
    const root = spanNamed(trace, 'UserController.handle');
    assert.equal(parentIdOf(root), undefined);
    const finds = trace.spans.filter((s) => s.operationName === 'UserService.find');
    const queries = trace.spans.filter((s) => s.operationName === 'repository.query');
    assert.equal(finds.length, 2);
    for (const find of finds) assert.equal(parentIdOf(find), root.spanID);
    assert.deepEqual(queries.map(parentIdOf).sort(), finds.map((f) => f.spanID).sort());
    for (const query of queries) assert.equal(tagsOf(query)['db.type'], 'sql');

    // @LogErrorsToSpan logged the rejection on the span active at the call: the controller's.
    assert.equal(tagsOf(root).error, true);
    const errorLogs = logsOf(root).filter((log) => log.event === 'error');
    assert.equal(errorLogs.length, 1);
    assert.equal(errorLogs[0]['error.kind'], 'TypeError');
    assert.equal(errorLogs[0].message, 'email is required');
    assert.match(String(errorLogs[0].stack), /TypeError: email is required\n\s+at /);
  });

  it('receives every span over the HTTP collector endpoint', async () => {
    const jaeger = requireJaeger();
    const service = uniqueService('e2e-http');
    const trace = await sendTreeAndRead(service, {
      sampler: { type: 'const', param: 1 },
      reporter: { collectorEndpoint: jaeger.collectorUrl },
    });
    assert.deepEqual(trace.spans.map((s) => s.operationName).sort(), [
      'UserController.handle',
      'UserService.find',
      'UserService.find',
      'repository.query',
      'repository.query',
    ]);
    assert.ok(trace.spans.every((span) => sameId(span.traceID, trace.traceID)));
  });

  it("takes the remote sampler's strategy from Jaeger (probability 1: everything sampled)", async () => {
    const jaeger = requireJaeger();
    const service = uniqueService('e2e-remote');
    const tracer = initTracer(service, {
      // param 0: until Jaeger answers, nothing is sampled
      sampler: { type: 'remote', param: 0, refreshIntervalMs: 100 },
      local_agent: { reporting_host: jaeger.agentHost, reporting_port: jaeger.agentPort, sampling_port: jaeger.samplingPort },
    });
    const isSampled = (span: ReturnType<typeof tracer.startSpan>) => (span.context() as unknown as { isSampled(): boolean }).isSampled();
    const beforeStrategy = tracer.startSpan('before-strategy');
    assert.equal(isSampled(beforeStrategy), false, 'the initial probability is 0');

    const deadline = Date.now() + 5000;
    let probe = tracer.startSpan('probe');
    while (!isSampled(probe) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      probe = tracer.startSpan('probe');
    }
    assert.equal(isSampled(probe), true, "the strategy from Jaeger's sampling endpoint never arrived");

    for (let i = 0; i < 20; i += 1) tracer.startSpan(`sampled-${i}`).finish();
    await closeTracer();
    const traces = await findTraces(service, { minSpans: 20 });
    assert.equal(countSpans(traces), 20);
  });

  it('after closeTracer() at the end of a short script, every finished span is in Jaeger and the process exits by itself', async () => {
    const jaeger = requireJaeger();
    const service = uniqueService('e2e-script');
    const run = await runFixture('short-script.js', {
      SERVICE: service,
      AGENT_HOST: jaeger.agentHost,
      AGENT_PORT: String(jaeger.agentPort),
      SPANS: '300',
      CLOSE: 'closeTracer',
    });
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /finished 300 spans/);
    const traces = await findTraces(service, { minSpans: 300 });
    assert.equal(countSpans(traces), 300);
  });

  it('with closeOnExit, a script that never calls closeTracer() still exits by itself with every span in Jaeger', async () => {
    const jaeger = requireJaeger();
    const service = uniqueService('e2e-before-exit');
    const run = await runFixture('short-script.js', {
      SERVICE: service,
      AGENT_HOST: jaeger.agentHost,
      AGENT_PORT: String(jaeger.agentPort),
      SPANS: '300',
      CLOSE: 'closeOnExit',
    });
    assert.equal(run.code, 0, run.output);
    assert.equal(countSpans(await findTraces(service, { minSpans: 300 })), 300);
  });

  it('with closeOnExit, SIGTERM flushes every buffered span over HTTP before the process ends', async () => {
    const jaeger = requireJaeger();
    const service = uniqueService('e2e-sigterm');
    const run = await runFixture(
      'server-until-signal.js',
      { SERVICE: service, COLLECTOR_URL: jaeger.collectorUrl, SPANS: '500' },
      { signalAfterReady: 'SIGTERM' },
    );
    assert.equal(run.signal, 'SIGTERM', `the process should end by the re-raised signal (code ${run.code})`);
    assert.equal(countSpans(await findTraces(service, { minSpans: 500 })), 500);
  });

  it("with closeOnExit beside the app's own SIGTERM handler, the spans its drain finishes after the signal arrive too", async () => {
    const jaeger = requireJaeger();
    const service = uniqueService('e2e-sigterm-drain');
    const run = await runFixture(
      'server-until-signal.js',
      { SERVICE: service, COLLECTOR_URL: jaeger.collectorUrl, SPANS: '500', DRAIN_SPANS: '50' },
      { signalAfterReady: 'SIGTERM' },
    );
    // The app's handler decides how the process ends.
    assert.equal(run.code, 0, `exited by ${run.signal ?? run.code}`);
    const spans = (await findTraces(service, { minSpans: 550 })).flatMap((trace) => trace.spans);
    assert.equal(spans.filter((span) => span.operationName.startsWith('draining-')).length, 50);
    assert.equal(spans.length, 550);
  });
});
