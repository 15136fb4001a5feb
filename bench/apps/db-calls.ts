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
import { countFromEnv, ourReporter, timeSequentialCalls, type SequentialTiming } from '../support/sequential-calls';

const variant = process.env.VARIANT ?? 'untraced';
const SQL = 'SELECT $1::int';

const WARMUP = countFromEnv('WARMUP');
const BATCHES = countFromEnv('BATCHES');
const PER_BATCH = countFromEnv('PER_BATCH');

/**
 * Per query (see SequentialTiming). The mean carries what the exporter did between batches; the final flush, for
 * our UDP reporter, is mostly waiting for its pacing (see the UDP transport) to send the backlog.
 */
export interface DbRun extends SequentialTiming {
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
  const { startOpenTelemetrySdk } = require('../support/opentelemetry-sdk') as typeof import('../support/opentelemetry-sdk');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  // The SDK's count of what reaches the exporter: the batch processor drops spans silently when its queue is
  // full, and a drop would flatter the figures; the spans per query show it.
  const sdk = startOpenTelemetrySdk(sinkHttpPort, [new PgInstrumentation()]);
  return { flush: sdk.flush, spans: () => ({ sent: sdk.spansSent() }), exporterKind: sdk.exporterKind };
}

function setUpOurs(sinkPort: number): Tracing {
  const { initTracer } = require('jaeger-decorators') as typeof import('jaeger-decorators');
  const { installAllPatches } = require('jaeger-decorators/patches') as typeof import('jaeger-decorators/patches');
  const tracer = initTracer('bench-db', { sampler: { type: 'const', param: 1 }, local_agent: { reporting_host: '127.0.0.1', reporting_port: sinkPort } });
  const { enabled, skipped } = installAllPatches({ log: false });
  // Never measure an untraced pg under this variant's name.
  if (!enabled.some((entry) => entry.startsWith('pg '))) throw new Error(`installAllPatches() did not enable pg: ${JSON.stringify(skipped)}`);
  const reporter = ourReporter(tracer);
  return { flush: reporter.flush, spans: () => ({ sent: reporter.sent(), dropped: reporter.dropped() }) };
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
  const timing = await timeSequentialCalls(() => find(queries++), BATCHES, PER_BATCH, tracing?.flush);
  const run: DbRun = {
    ...timing,
    queries: BATCHES * PER_BATCH,
    spans: tracing === undefined ? undefined : { ...tracing.spans(), queries },
  };
  process.send?.({ run });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
