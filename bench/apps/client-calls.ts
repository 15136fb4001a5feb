// One variant of the outgoing-call case (bench/cases/client-call), in its own process: one kind of call
// (CLIENT: fetch | http.get) to the target server (TARGET_PORT: keep-alive, loopback, another process), awaited
// one at a time with its body read, each made from a method of the app's. VARIANT:
// - untraced: a plain async method, no tracer loaded;
// - span-only: the method traced with @Span (initTracer() sampling everything, our UDP reporter to the sink,
//   SINK_PORT), no client tracing: what the parent span costs alone;
// - ours: the same and installHttpClientPatches() (public API only): the call gets a client span and the headers;
// - opentelemetry-span-only: the OpenTelemetry SDK (batch processor, OTLP/HTTP exporter to the sink,
//   SINK_HTTP_PORT), the method's call inside startActiveSpan, no instrumentation;
// - opentelemetry: the same and OpenTelemetry's instrumentation of that client (undici's for fetch, http's for
//   http.get).
// A process per variant: client tracing is global (patches, diagnostics channels, instrumentations). It makes
// WARMUP calls, flushes, times BATCHES batches of PER_BATCH calls, flushes again inside the CPU window (so
// reporting every timed span counts), and answers with its figures. Modules are required in order, not
// imported: OpenTelemetry's instrumentations must be enabled before what they patch is loaded.
import type { Agent } from 'node:http';
import { countFromEnv, ourReporter, timeSequentialCalls, type SequentialTiming } from '../support/sequential-calls';

export interface ClientRun extends SequentialTiming {
  /** Spans sent over the whole process (warm-up included) per call made; undefined untraced. */
  spansPerCall?: number;
  exporterKind?: string;
}

const variant = process.env.VARIANT ?? 'untraced';
const client = process.env.CLIENT ?? 'fetch';
const url = `http://127.0.0.1:${Number(process.env.TARGET_PORT)}/`;

interface Tracing {
  flush(): Promise<void>;
  spansSent(): number;
  exporterKind?: string;
}

function setUpOpenTelemetry(withInstrumentation: boolean): Tracing {
  const { startOpenTelemetrySdk } = require('../support/opentelemetry-sdk') as typeof import('../support/opentelemetry-sdk');
  const instrumentation = () => {
    if (client === 'fetch') {
      const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
      return new UndiciInstrumentation();
    }
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    return new HttpInstrumentation();
  };
  return startOpenTelemetrySdk(Number(process.env.SINK_HTTP_PORT), withInstrumentation ? [instrumentation()] : []);
}

function setUpOurs(withClientTracing: boolean): Tracing {
  const { initTracer } = require('jaeger-decorators') as typeof import('jaeger-decorators');
  const tracer = initTracer('bench-client', {
    sampler: { type: 'const', param: 1 },
    local_agent: { reporting_host: '127.0.0.1', reporting_port: Number(process.env.SINK_PORT) },
  });
  if (withClientTracing) (require('jaeger-decorators/http') as typeof import('jaeger-decorators/http')).installHttpClientPatches();
  const reporter = ourReporter(tracer);
  return { flush: () => reporter.flush(), spansSent: () => reporter.sent() };
}

/** The outgoing call itself, made the same way in every variant. */
function callOf(): () => Promise<string> {
  if (client === 'fetch') return async () => (await fetch(url)).text();
  if (client !== 'http.get') throw new Error(`unknown CLIENT ${client}`);
  const http = require('http') as typeof import('http');
  // One kept-alive socket, as fetch's pool keeps one for calls made one at a time.
  const agent: Agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return () =>
    new Promise((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(body));
          res.on('error', reject);
        })
        .on('error', reject);
    });
}

/** The app's method that makes the call: traced by @Span, inside startActiveSpan, or plain. */
function methodOf(call: () => Promise<string>): () => Promise<string> {
  if (variant === 'span-only' || variant === 'ours') {
    const { Span } = require('jaeger-decorators') as typeof import('jaeger-decorators');
    class UserClient {
      @Span('UserClient.fetchUser')
      async fetchUser() {
        return call();
      }
    }
    const users = new UserClient();
    return () => users.fetchUser();
  }
  if (variant.startsWith('opentelemetry')) {
    const tracer = (require('@opentelemetry/api') as typeof import('@opentelemetry/api')).trace.getTracer('bench');
    return () =>
      tracer.startActiveSpan('UserClient.fetchUser', async (span) => {
        try {
          return await call();
        } finally {
          span.end();
        }
      });
  }
  return async () => call();
}

async function main(): Promise<void> {
  const [warmup, batches, perBatch] = [countFromEnv('WARMUP'), countFromEnv('BATCHES'), countFromEnv('PER_BATCH')];
  let tracing: Tracing | undefined;
  if (variant === 'span-only' || variant === 'ours') tracing = setUpOurs(variant === 'ours');
  else if (variant === 'opentelemetry-span-only' || variant === 'opentelemetry') tracing = setUpOpenTelemetry(variant === 'opentelemetry');
  else if (variant !== 'untraced') throw new Error(`unknown VARIANT ${variant}`);
  const fetchUser = methodOf(callOf());

  let calls = 0;
  for (; calls < warmup; calls += 1) await fetchUser();
  await tracing?.flush();

  const timing = await timeSequentialCalls(fetchUser, batches, perBatch, tracing?.flush);
  calls += batches * perBatch;
  const run: ClientRun = {
    ...timing,
    spansPerCall: tracing === undefined ? undefined : tracing.spansSent() / calls,
    exporterKind: tracing?.exporterKind,
  };
  process.send?.({ run }, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
