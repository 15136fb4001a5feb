// What the apps that time one awaited call after another share (bench/apps/db-calls, bench/apps/client-calls):
// their counts, our reporter's flush and tally, and the timed loop. No library is loaded here: those apps enable
// OpenTelemetry's instrumentations before they load what is instrumented.
import type { Tracer } from 'opentracing';
import { median } from './measure';

/** A count the case passes in the environment (WARMUP, BATCHES, PER_BATCH), so the write-up states what ran. */
export function countFromEnv(name: string): number {
  const value = Number(process.env[name]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${process.env[name]}`);
  return value;
}

/** Our reporter, as the figures need it: its flush and its tally of spans sent and dropped. */
export function ourReporter(tracer: Tracer): { flush(): Promise<void>; sent(): number; dropped(): number } {
  // Not public: the figures need to wait for what it holds and to count it.
  const reporter = (tracer as unknown as { _reporter: { flush(): Promise<void>; counts(): { sent: number; dropped: Record<string, number> } } })._reporter;
  return {
    flush: () => reporter.flush(),
    sent: () => reporter.counts().sent,
    dropped: () => Object.values(reporter.counts().dropped).reduce((a, b) => a + b, 0),
  };
}

/** What timing the calls gave: per call, in nanoseconds, the final flush inside the mean and the CPU time. */
export interface SequentialTiming {
  /** Median over batches of the wall time per call. */
  medianNs: number;
  /** All batches and the final flush over all timed calls. */
  meanNs: number;
  /** The final flush's wall time, in ms. */
  flushMs: number;
  /** This process's CPU time (user + system, all threads) per timed call, the final flush included. */
  cpuNs: number;
}

/**
 * Times `batches` batches of `perBatch` calls, each awaited before the next, then `flush` once inside the timed
 * window: reporters and exporters run on their own schedules between calls, as in a service, and what they
 * still hold at the end is counted too.
 */
export async function timeSequentialCalls(
  call: () => Promise<unknown>,
  batches: number,
  perBatch: number,
  flush?: () => Promise<void>,
): Promise<SequentialTiming> {
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let batch = 0; batch < batches; batch += 1) {
    const batchStart = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i += 1) await call();
    samples.push(Number(process.hrtime.bigint() - batchStart) / perBatch);
  }
  const flushStart = process.hrtime.bigint();
  await flush?.();
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuStart);
  const timed = batches * perBatch;
  return {
    medianNs: median(samples),
    meanNs: Number(end - start) / timed,
    flushMs: Number(end - flushStart) / 1e6,
    cpuNs: ((cpu.user + cpu.system) * 1000) / timed,
  };
}
