// BullMQ, the job queue of Node services on Redis, with its own OpenTelemetry telemetry (bullmq-otel) served by
// this tracer: a job added in a `@Span` method is processed by a worker in another process, in the same trace,
// read back from the real Jaeger; a failing job is logged there, and BullMQ reports it as it always does.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { Span, closeTracer, getActiveSpan, initTracer } from 'jaeger-decorators';
import { installAllPatches } from 'jaeger-decorators/patches';
import {
  logsOf,
  parentIdOf,
  requireJaeger,
  serviceOf,
  spanNamed,
  tagsOf,
  uniqueService,
  waitForTraceWhere,
  jaeger,
  type JaegerSpan,
  type JaegerTrace,
} from '../support/jaeger-api';
import { describeWithServers, redisConnection, servers } from './apps/server-urls';

const service = uniqueService('signup');
const workerService = uniqueService('email-worker');
const queueName = `emails-${process.pid}`;

// As the README says for CommonJS: the tracer and the patches first, the clients after.
if (jaeger !== undefined && servers.redis !== undefined) {
  initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 100 } });
  installAllPatches({ log: false });
}

type Queue = import('bullmq').Queue;

class SignupService {
  constructor(private readonly emails: Queue) {}

  /** Queues the welcome e-mail; returns the job's id and the trace it was added in. */
  @Span('SignupService.signup')
  async signup(to: string, template: string): Promise<{ jobId: string; traceId: string }> {
    const job = await this.emails.add('welcome', { to, template }, { attempts: 1 });
    return { jobId: job.id!, traceId: (getActiveSpan()!.context() as unknown as { toTraceId(): string }).toTraceId() };
  }
}

/** The trace, once both services' spans have reached Jaeger: the producer's method and the worker's. */
function bothServicesOf(traceId: string): Promise<JaegerTrace> {
  const names = (trace: JaegerTrace) => new Set(trace.spans.map((span) => span.operationName));
  return waitForTraceWhere(traceId, (trace) => names(trace).has('SignupService.signup') && names(trace).has('EmailSender.send'));
}

function childNamed(trace: JaegerTrace, parent: JaegerSpan, name: string): JaegerSpan {
  const child = trace.spans.find((span) => parentIdOf(span) === parent.spanID && span.operationName === name);
  assert.ok(child, `a "${name}" span under "${parent.operationName}", found ${trace.spans.map((span) => span.operationName).join(', ')}`);
  return child;
}

describeWithServers('BullMQ jobs in the trace that added them (bullmq-otel on the OpenTelemetry API, real Redis, real Jaeger)', () => {
  let queue: Queue;
  let signups: SignupService;
  let worker: ChildProcess;
  let workerExit: Promise<number | null>;

  before(async () => {
    const { Queue } = require('bullmq') as typeof import('bullmq');
    const { BullMQOtel } = require('bullmq-otel') as typeof import('bullmq-otel');
    queue = new Queue(queueName, { connection: redisConnection(), telemetry: new BullMQOtel({ tracerName: 'signup' }) });
    signups = new SignupService(queue);
    worker = spawn(process.execPath, [path.join(__dirname, 'apps', 'email-worker.js')], {
      env: {
        ...process.env,
        SERVICE_NAME: workerService,
        EMAILS_QUEUE: queueName,
        EMAILS_EXPECTED: '2',
        E2E_JAEGER_COLLECTOR_URL: requireJaeger().collectorUrl,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    workerExit = new Promise((resolve) => worker.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      worker.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      worker.once('exit', (code) => reject(new Error(`the worker exited early (${code})`)));
    });
  });

  after(async () => {
    worker?.kill();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await closeTracer();
  });

  let welcome: { jobId: string; traceId: string };
  let refused: { jobId: string; traceId: string };

  it('the worker finishes both jobs, the refused one failed with its own error, as without tracing', async () => {
    welcome = await signups.signup('ada.secret@example.com', 'welcome');
    refused = await signups.signup('bob.secret@example.com', 'refused');
    // The worker exits once it has finished both and closed its tracer.
    assert.equal(await workerExit, 0);
    const [done, failed] = await Promise.all([queue.getJob(welcome.jobId), queue.getJob(refused.jobId)]);
    assert.deepEqual(done!.returnvalue, { sent: 'welcome' });
    assert.equal(await failed!.getState(), 'failed');
    assert.equal(failed!.failedReason, '550 mailbox unavailable');
  });

  it('a job is processed in the trace that added it: add (producer) under the @Span method, process (consumer) in the worker service, its @Span below', async () => {
    const trace = await bothServicesOf(welcome.traceId);
    const signup = spanNamed(trace, 'SignupService.signup');
    const add = childNamed(trace, signup, `add ${queueName}.welcome`);
    assert.equal(tagsOf(add)['span.kind'], 'producer');
    assert.equal(tagsOf(add)['bullmq.job.id'], welcome.jobId);
    assert.equal(serviceOf(trace, add), service);
    // BullMQ's own Redis commands (ioredis, traced by installAllPatches()) are under the add.
    // BullMQ adds a job by a Lua script: the command keeps its keys, the script's values (the job) are left out.
    const script = trace.spans.find((span) => parentIdOf(span) === add.spanID && tagsOf(span)['db.system.name'] === 'redis');
    assert.ok(script, 'a Redis command under the add');
    assert.match(String(tagsOf(script)['db.query.text']), new RegExp(`^evalsha [0-9a-f]{40} (\\d+)( bull:${queueName}:\\w+)+ \\[\\d+ other arguments\\]$`));

    const processed = childNamed(trace, add, `process ${queueName}`);
    assert.equal(serviceOf(trace, processed), workerService);
    assert.equal(tagsOf(processed)['span.kind'], 'consumer');
    assert.equal(tagsOf(processed).error, undefined);
    const send = childNamed(trace, processed, 'EmailSender.send');
    assert.equal(serviceOf(trace, send), workerService);
    // The job's data (the address) is recorded nowhere: bullmq-otel records ids, names and the return value.
    assert.doesNotMatch(JSON.stringify(trace.spans.map((span) => [span.tags, span.logs])), /ada\.secret/);
  });

  it("a failing job: the @Span method is error=true with the error's stack, the consumer span logs the error and BullMQ's failure", async () => {
    const trace = await bothServicesOf(refused.traceId);
    const processed = childNamed(trace, childNamed(trace, spanNamed(trace, 'SignupService.signup'), `add ${queueName}.welcome`), `process ${queueName}`);
    const send = childNamed(trace, processed, 'EmailSender.send');
    assert.equal(tagsOf(send).error, true);
    const [sendLog] = logsOf(send);
    assert.equal(sendLog.message, '550 mailbox unavailable');
    assert.match(String(sendLog.stack), /^Error: 550 mailbox unavailable\n {4}at EmailSender\.send /);
    // bullmq-otel records the exception and a "job failed" event, but sets no status: its span is not error=true.
    assert.deepEqual(
      logsOf(processed).map((log) => [log.event, log.message ?? log['bullmq.job.failed.reason']]),
      [
        ['error', '550 mailbox unavailable'],
        ['job failed', '550 mailbox unavailable'],
      ],
    );
    assert.equal(tagsOf(processed).error, undefined);
  });
});
