// One variant of the database benchmark (bench/cases/opentelemetry-bridge.ts), in its own process: a pg Pool of
// one connection running `SELECT $1::int` in a loop against PG_URL, one query at a time. VARIANT:
// - untraced: pg alone;
// - ours: initTracer() (sampling everything, our UDP reporter to the sink, SINK_PORT) and installAllPatches(),
//   whose pg instrumentation makes its spans through our OpenTelemetry provider; each query is called from a
//   @Span method;
// - opentelemetry: the OpenTelemetry SDK (TracerProvider, batch processor, OTLP/HTTP exporter to the sink,
//   SINK_HTTP_PORT; an AsyncLocalStorage context manager) and the same pg instrumentation; each query is called
//   inside tracer.startActiveSpan.
// A process per variant because an instrumentation patches pg when pg is loaded: it must be enabled before
// require('pg') (so modules are required in order here, not imported), and one process cannot have pg both
// patched and not. Handshake: it tells the benchmark its connection's server process (to pin it) and waits for
// 'start'; it then makes WARMUP queries, times BATCHES batches of PER_BATCH, and answers with its figures.
import type { Pool as PgPool } from 'pg';

const variant = process.env.VARIANT ?? 'untraced';
const SQL = 'SELECT $1::int';

/** A count the benchmark passes (WARMUP, BATCHES, PER_BATCH), so the write-up states the counts that ran. */
function count(name: string): number {
  const value = Number(process.env[name]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${process.env[name]}`);
  return value;
}
const WARMUP = count('WARMUP');
const BATCHES = count('BATCHES');
const PER_BATCH = count('PER_BATCH');

export interface DbRun {
  /** Median over batches of the wall time per query, in nanoseconds. */
  medianNs: number;
  /** All batches and the final flush over all queries: carries what the exporter did between batches. */
  meanNs: number;
  /** The final flush's wall time: for our UDP reporter, mostly waiting for its pacing (16 MB/s) to send the backlog. */
  flushMs: number;
  /** This process's CPU time (user + system, all threads) over all queries, the final flush included. */
  cpuNs: number;
  queries: number;
  /**
   * Spans the variant's reporter or exporter sent over the whole process, warm-up included, against the queries
   * made; and those our reporter dropped (OpenTelemetry's batch processor does not count its drops: they show
   * as fewer spans sent).
   */
  spans?: { sent: number; dropped?: number; queries: number };
}

interface Tracing {
  /** Sends what the reporter or exporter still holds; resolves when it is sent. */
  flush(): Promise<void>;
  spans(): { sent: number; dropped?: number };
  exporterKind?: string;
}

function setUpOpenTelemetry(sinkHttpPort: number): Tracing {
  const { TracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { otlpHttpExporter } = require('../support/otlp-exporter') as typeof import('../support/otlp-exporter');
  const { exporter, kind } = otlpHttpExporter(`http://127.0.0.1:${sinkHttpPort}/v1/traces`);
  // Counts what reaches the exporter: the batch processor drops spans silently when its queue is full, and a
  // drop would flatter the figures; the spans per query show it.
  let sent = 0;
  const counted: typeof exporter = {
    export(spans, done) {
      sent += spans.length;
      exporter.export(spans, done);
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
  const processor = new BatchSpanProcessor({ exporter: counted });
  // What NodeTracerProvider.register() did before OpenTelemetry JS 3: the provider and an AsyncLocalStorage context.
  api.trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [processor] }));
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  registerInstrumentations({ instrumentations: [new PgInstrumentation()] });
  return { flush: () => processor.forceFlush(), spans: () => ({ sent }), exporterKind: kind };
}

function setUpOurs(sinkPort: number): Tracing {
  const { initTracer } = require('jaeger-decorators') as typeof import('jaeger-decorators');
  const { installAllPatches } = require('jaeger-decorators/patches') as typeof import('jaeger-decorators/patches');
  const tracer = initTracer('bench-db', { sampler: { type: 'const', param: 1 }, local_agent: { reporting_host: '127.0.0.1', reporting_port: sinkPort } });
  const { enabled, skipped } = installAllPatches({ log: false });
  // Never measure an untraced pg under this variant's name.
  if (!enabled.some((entry) => entry.startsWith('pg '))) throw new Error(`installAllPatches() did not enable pg: ${JSON.stringify(skipped)}`);
  const reporter = (tracer as unknown as { _reporter: { flush(): Promise<void>; counts(): { sent: number; dropped: Record<string, number> } } })._reporter;
  return {
    flush: () => reporter.flush(),
    spans: () => {
      const { sent, dropped } = reporter.counts();
      return { sent, dropped: Object.values(dropped).reduce((a, b) => a + b, 0) };
    },
  };
}

/** The call each query is made through: a traced method of the app's, or a plain one. */
function callerOf(pool: PgPool): (id: number) => Promise<unknown> {
  if (variant === 'ours') {
    const { Span } = require('jaeger-decorators') as typeof import('jaeger-decorators');
    class Repository {
      @Span('Repository.find')
      async find(id: number) {
        return pool.query(SQL, [id]);
      }
    }
    const repository = new Repository();
    return (id) => repository.find(id);
  }
  if (variant === 'opentelemetry') {
    const tracer = (require('@opentelemetry/api') as typeof import('@opentelemetry/api')).trace.getTracer('bench');
    return (id) =>
      tracer.startActiveSpan('Repository.find', async (span) => {
        try {
          return await pool.query(SQL, [id]);
        } finally {
          span.end();
        }
      });
  }
  return async (id) => pool.query(SQL, [id]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  let tracing: Tracing | undefined;
  if (variant === 'opentelemetry') tracing = setUpOpenTelemetry(Number(process.env.SINK_HTTP_PORT));
  else if (variant === 'ours') tracing = setUpOurs(Number(process.env.SINK_PORT));
  else if (variant !== 'untraced') throw new Error(`unknown VARIANT ${variant}`);

  const { Pool } = require('pg') as typeof import('pg');
  const pool = new Pool({ connectionString: process.env.PG_URL, max: 1 });
  const { rows } = await pool.query<{ pid: number; version: string }>('SELECT pg_backend_pid() AS pid, current_setting($1) AS version', ['server_version']);
  const started = new Promise<void>((resolve) => process.once('message', () => resolve()));
  process.send?.({ backendPid: rows[0].pid, serverVersion: rows[0].version, exporterKind: tracing?.exporterKind });
  await started;

  const find = callerOf(pool);
  let queries = 0;
  for (let i = 0; i < WARMUP; i += 1) await find(queries++);
  await tracing?.flush();

  // The exporters run on their own schedules between queries, as they would in a service: a flush after every
  // batch would add a round trip to the sink that no query waits for. The one flush at the end is inside the
  // CPU window, so the encoding and sending of every measured span is counted.
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let batch = 0; batch < BATCHES; batch += 1) {
    const batchStart = process.hrtime.bigint();
    for (let i = 0; i < PER_BATCH; i += 1) await find(queries++);
    samples.push(Number(process.hrtime.bigint() - batchStart) / PER_BATCH);
  }
  const flushStart = process.hrtime.bigint();
  await tracing?.flush();
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuStart);
  const measured = BATCHES * PER_BATCH;
  const run: DbRun = {
    medianNs: median(samples),
    meanNs: Number(end - start) / measured,
    flushMs: Number(end - flushStart) / 1e6,
    cpuNs: ((cpu.user + cpu.system) * 1000) / measured,
    queries: measured,
    spans: tracing === undefined ? undefined : { ...tracing.spans(), queries },
  };
  process.send?.({ run });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
