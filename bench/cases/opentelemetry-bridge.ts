// Case 5: the OpenTelemetry API served by our tracer (jaeger-decorators/opentelemetry, and installAllPatches()
// from jaeger-decorators/patches, which enables OpenTelemetry's instrumentations on it). Two parts:
// - per call (bench/apps/otel-api-calls, see there why in a process of its own), in several such processes, as the
//   method case runs (bench/support/forks): an OpenTelemetry span made through our provider beside a sampled
//   @Span, and @Span with and without the API registered, side by side;
// - per database query against a real PostgreSQL (bench/apps/db-calls): pg untraced, traced through our
//   provider, and traced by the OpenTelemetry SDK, each variant in its own process, in interleaved rounds.
// With taskset, the app and the PostgreSQL server process serving its connection have core 1 to themselves (a
// query is a ping-pong: they take turns, never both at once), and the span sink and this process share core 0,
// so receiving spans (a collector's work, elsewhere in production) never delays a query.
import { fork } from 'node:child_process';
import path from 'node:path';
import type { DbRun } from '../apps/db-calls';
import { messageWith, stopChild } from '../support/child-process';
import { hasTaskset, pin } from '../support/cpu-pinning';
import { combineForks, type ForkedCallCost } from '../support/forks';
import { median, type CallCost } from '../support/measure';
import { packageVersion } from '../support/package-version';
import { fullOrQuick } from '../support/quick';
import { startSinks } from '../support/sinks';

const { startPostgres } = require(path.resolve(__dirname, '..', '..', '..', 'test', 'servers', 'postgres.js')) as {
  startPostgres(options?: { log?: (message: string) => void }): Promise<{ url: string; stop(): Promise<void> }>;
};

export const DB_VARIANTS = ['untraced', 'ours', 'opentelemetry'] as const;
/** Queries each app process makes: a warm-up (JIT, the connection), then timed batches. */
const QUERIES = { warmup: fullOrQuick(3000, 300), batches: fullOrQuick(60, 5), perBatch: 100 };

export interface DbCost {
  variant: (typeof DB_VARIANTS)[number];
  /** Medians over rounds of each round's median wall time per query, its mean, and its CPU time per query, in ns. */
  medianNs: number;
  meanNs: number;
  cpuNs: number;
  /** Median over rounds of the final flush's wall time, in ms (inside the mean). */
  flushMs: number;
  /** Each round's median wall time per query, for the spread. */
  roundsMedianNs: number[];
  /** Spans sent per query made over every round, and those our reporter dropped (the traced variants). */
  spansPerQuery?: number;
  droppedSpans?: number;
}

export interface OpenTelemetryBridgeResult {
  /** The per-call variants, side by side in each of CALL_FORKS processes: medians over the forks. */
  calls: ForkedCallCost[];
  queries: DbCost[];
  /** What the query loop is, which packages and which server, for the write-up. */
  workload: string;
  rounds: number;
  placement: string;
  otlpExporter: string;
}

/**
 * Processes the per-call part runs in, one after the other. One process is one draw of V8's optimizing: on one
 * afternoon, five runs of the same code read `startActiveSpan` at 1.05 to 1.42× the sampled `@Span` beside it.
 */
export const CALL_FORKS = fullOrQuick(5, 1);

/** The per-call variants, measured by bench/apps/otel-api-calls in a process of its own. */
async function measureCallsOnce(): Promise<CallCost[]> {
  const child = fork(path.join(__dirname, '..', 'apps', 'otel-api-calls.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    return (await messageWith<{ costs: CallCost[] }>(child, 'costs', 'the per-call benchmark')).costs;
  } finally {
    await stopChild(child);
  }
}

interface Ready {
  backendPid: number;
  serverVersion: string;
  exporterKind?: string;
}

async function runVariant(variant: string, env: Record<string, string>, appCpu: string | undefined): Promise<DbRun & Ready> {
  const child = fork(path.join(__dirname, '..', 'apps', 'db-calls.js'), [], {
    env: { ...process.env, ...env, VARIANT: variant },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(appCpu === undefined ? {} : { execPath: 'taskset', execArgv: ['-c', appCpu, process.execPath] }),
  });
  try {
    const ready = await messageWith<Ready>(child, 'backendPid', `the ${variant} app`);
    if (appCpu !== undefined) pin(ready.backendPid, appCpu);
    const finished = messageWith<{ run: DbRun }>(child, 'run', `the ${variant} app`);
    child.send('start');
    return { ...(await finished).run, ...ready };
  } finally {
    await stopChild(child);
  }
}

/** The per-call part, then `rounds` rounds of every database variant in turn; medians over rounds. */
export async function openTelemetryBridge({ rounds = fullOrQuick(7, 1) } = {}): Promise<OpenTelemetryBridgeResult> {
  const forks: CallCost[][] = [];
  for (let fork = 0; fork < CALL_FORKS; fork += 1) forks.push(await measureCallsOnce());
  const calls = combineForks(forks);

  const pinned = hasTaskset();
  if (pinned) pin(process.pid, '0');
  const sinks = await startSinks(pinned ? '0' : undefined);
  const samples = new Map<string, (DbRun & Ready)[]>();
  try {
    const postgres = await startPostgres({ log: (message) => console.log(message) });
    try {
      const env = {
        PG_URL: postgres.url,
        SINK_PORT: String(sinks.udpPort),
        SINK_HTTP_PORT: new URL(sinks.otlpUrl).port,
        WARMUP: String(QUERIES.warmup),
        BATCHES: String(QUERIES.batches),
        PER_BATCH: String(QUERIES.perBatch),
      };
      for (let round = 0; round < rounds; round += 1) {
        for (const variant of DB_VARIANTS) {
          const sample = await runVariant(variant, env, pinned ? '1' : undefined);
          samples.set(variant, [...(samples.get(variant) ?? []), sample]);
        }
      }
    } finally {
      await postgres.stop();
    }
  } finally {
    await sinks.close();
    if (pinned) pin(process.pid, '0-1');
  }

  const queries = DB_VARIANTS.map((variant): DbCost => {
    const runs = samples.get(variant)!;
    const spans = runs.map((run) => run.spans).filter((counted) => counted !== undefined);
    const total = (key: 'sent' | 'dropped' | 'queries') => spans.reduce((sum, counted) => sum + (counted[key] ?? 0), 0);
    return {
      variant,
      medianNs: median(runs.map((run) => run.medianNs)),
      meanNs: median(runs.map((run) => run.meanNs)),
      cpuNs: median(runs.map((run) => run.cpuNs)),
      flushMs: median(runs.map((run) => run.flushMs)),
      roundsMedianNs: runs.map((run) => run.medianNs),
      ...(spans.length === 0
        ? {}
        : {
            spansPerQuery: total('sent') / total('queries'),
            droppedSpans: spans.some((counted) => counted.dropped !== undefined) ? total('dropped') : undefined,
          }),
    };
  });
  const first = samples.get('untraced')![0];
  const workload =
    `a pg Pool of one connection (pg ${packageVersion('pg')}) running \`SELECT $1::int\` one query at a time against PostgreSQL ${first.serverVersion} on the loopback; ` +
    `both traced variants use @opentelemetry/instrumentation-pg ${packageVersion('@opentelemetry/instrumentation-pg')}. ` +
    `Each process warms up with ${QUERIES.warmup} queries, then times ${QUERIES.batches} batches of ${QUERIES.perBatch}`;
  const placement = pinned
    ? 'The app and the PostgreSQL server process serving its connection run on core 1 (taskset); the span sink and the benchmark on core 0.'
    : 'taskset was not found: the app, PostgreSQL and the span sink share both cores, so read the CPU column first.';
  const otlpExporter = samples.get('opentelemetry')?.find((run) => run.exporterKind !== undefined)?.exporterKind ?? 'unknown exporter';
  return { calls, queries, workload, rounds, placement, otlpExporter };
}
