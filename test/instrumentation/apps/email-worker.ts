// A BullMQ worker in a process of its own, as a team's worker service would be: it processes the jobs the test
// adds to `EMAILS_QUEUE`, each sent by a `@Span` method, and exits after `EMAILS_EXPECTED` of them. BullMQ's
// telemetry (bullmq-otel, on the OpenTelemetry API this library serves) carries the trace in the job, so its
// spans must join the producer's trace.
import { Span, closeTracer, initTracer } from 'jaeger-decorators';
import { installAllPatches } from 'jaeger-decorators/patches';
import { redisConnection } from './server-urls';

initTracer(process.env.SERVICE_NAME!, {
  sampler: { type: 'const', param: 1 },
  reporter: { collectorEndpoint: process.env.E2E_JAEGER_COLLECTOR_URL!, flushIntervalMs: 200 },
});
installAllPatches({ log: false });

// Required after installAllPatches(), as the README says for CommonJS (BullMQ's ioredis is then traced too).

const { Worker } = require('bullmq') as typeof import('bullmq');

const { BullMQOtel } = require('bullmq-otel') as typeof import('bullmq-otel');

class EmailSender {
  @Span('EmailSender.send')
  async send(email: { to: string; template: string }): Promise<{ sent: string }> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (email.template === 'refused') throw new Error('550 mailbox unavailable');
    return { sent: email.template };
  }
}

const sender = new EmailSender();
const expected = Number(process.env.EMAILS_EXPECTED ?? 1);
let finished = 0;
const worker = new Worker(process.env.EMAILS_QUEUE!, (job) => sender.send(job.data as { to: string; template: string }), {
  connection: redisConnection(),
  telemetry: new BullMQOtel({ tracerName: 'email-worker' }),
});
const oneFinished = async (): Promise<void> => {
  finished += 1;
  if (finished !== expected) return;
  await worker.close();
  await closeTracer();
};
// worker.close() waits for the job in hand, so its spans have ended when the tracer closes.
worker.on('completed', () => void oneFinished());
worker.on('failed', () => void oneFinished());
worker.on('error', (error) => console.error(error));
void worker.waitUntilReady().then(() => console.log('ready'));
