import { fullOrQuick } from './quick';

/** What one benchmark variant costs per call. */
export interface CallCost {
  name: string;
  /** Median over samples of the time per call in one batch, in nanoseconds. */
  medianNs: number;
  /** Total time over total calls, in nanoseconds: carries the reporter's and the garbage collector's share. */
  meanNs: number;
  /** This process's CPU time (user + system, all threads) over total calls: the work without the waiting. */
  cpuMeanNs: number;
}

/** Results land here so V8 cannot drop the work as dead code. */
export const sink: { value: number; last: unknown } = { value: 0, last: undefined };

/**
 * Keeps a call's result whole, not only the number read from it: a plain call inlined into a loop that reads
 * only `.id` of its result had the object, and the string in it, optimized away (12 ns per call where building
 * them costs 21), while a decorated call, which V8 does not inline through, built them: the ratio then measured
 * V8's escape analysis. Every variant pays the same for this.
 */
export function keep(result: { id: number }): void {
  sink.last = result;
  sink.value ^= result.id;
}

/**
 * A loop that calls `target[method](i)` for i below `count` and keeps each result, compiled for one variant alone
 * (its own function, so its own type feedback). A loop written once and run by several variants has one call site
 * for all their classes: V8 finds it megamorphic and every call through it pays a generic lookup, where the call
 * site of a service method in an app sees one class. In an ad-hoc loop on Node 24 a shared site took a decorated
 * call in an unsampled trace from 25 to 43 ns and a plain call from 16 to 31; with the plain method in a loop of
 * its own and the decorated ones sharing one, their ratio measured the shared site.
 */
export function ownCallLoop(target: object, method: string): (count: number) => void {
  return compileLoop(target, method, 'function', '');
}

/** ownCallLoop for an async method, each call awaited before the next. */
export function ownAwaitLoop(target: object, method: string): (count: number) => Promise<void> {
  return compileLoop(target, method, 'async function', 'await ');
}

function compileLoop<R>(target: object, method: string, kind: string, awaiting: string): (count: number) => R {
  if (!/^[A-Za-z_$][\w$]*$/.test(method)) throw new Error(`not a method name: ${method}`);
  // Compiled from source on purpose: a function of its own per variant, where closures of one function literal share theirs.
  const make = new Function('target', 'keep', `return ${kind} callLoop(count) { for (let i = 0; i < count; i += 1) keep(${awaiting}target.${method}(i)); };`);
  return make(target, keep) as (count: number) => R;
}

export interface Variant {
  name: string;
  /** Runs the measured call `count` times; an async variant awaits each call and resolves when all are done. */
  run(count: number): void | Promise<void>;
  /**
   * Finishes the batch's deferred work inside the timed window: a reporter that encodes and sends later
   * (ours, OpenTelemetry's batch processor) flushes here, so its cost counts like the cost jaeger-client's
   * reporter pays on the spot.
   */
  settle?(): Promise<void>;
}

async function timeBatch(variant: Variant, count: number, cpu?: { ns: number }): Promise<number> {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const running = variant.run(count);
  // Only async variants pay for the await: a sync batch is timed before control leaves it.
  if (running !== undefined) await running;
  if (variant.settle !== undefined) await variant.settle();
  const ns = Number(process.hrtime.bigint() - start);
  if (cpu !== undefined) {
    const used = process.cpuUsage(cpuStart);
    cpu.ns += (used.user + used.system) * 1000;
  }
  return ns;
}

/** The timed rounds measureSideBySide runs by default (the text of the results quotes it). */
export const SIDE_BY_SIDE_ROUNDS = fullOrQuick(150, 10);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Measures the variants side by side: each round times one batch of every variant in turn, so drift in the
 * machine's speed (another process, turbo, GC pressure) touches them all alike. Batch sizes are calibrated so
 * a batch takes about `batchMs`.
 */
export async function measureSideBySide(
  variants: Variant[],
  { rounds = SIDE_BY_SIDE_ROUNDS, batchMs = 2, warmupRounds = fullOrQuick(20, 3) } = {},
): Promise<CallCost[]> {
  const counts: number[] = [];
  for (const variant of variants) {
    let count = 64;
    // Sized on the calls alone: a flush's fixed wait (a socket's callback, an HTTP round trip) is then spread
    // over as many calls as any other variant makes in a batch.
    while ((await timeBatch({ name: variant.name, run: variant.run }, count)) < batchMs * 1e6 && count < 1 << 24) count *= 2;
    if (variant.settle !== undefined) await variant.settle();
    counts.push(count);
  }
  const samples = variants.map(() => [] as number[]);
  const totals = variants.map(() => ({ ns: 0, calls: 0 }));
  const cpuTotals = variants.map(() => ({ ns: 0 }));
  for (let round = 0; round < warmupRounds + rounds; round += 1) {
    // Let timers and sockets run between rounds, as they would in a service: reporters flush here.
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < variants.length; i += 1) {
      const ns = await timeBatch(variants[i], counts[i], round < warmupRounds ? undefined : cpuTotals[i]);
      if (round < warmupRounds) continue;
      samples[i].push(ns / counts[i]);
      totals[i].ns += ns;
      totals[i].calls += counts[i];
    }
  }
  return variants.map((variant, i) => ({
    name: variant.name,
    medianNs: median(samples[i]),
    meanNs: totals[i].ns / totals[i].calls,
    cpuMeanNs: cpuTotals[i].ns / totals[i].calls,
  }));
}

export { median };
