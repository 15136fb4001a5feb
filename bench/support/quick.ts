// BENCH_QUICK=1 is for smoke runs that prove a case still works after a change: fewer rounds, shorter loads,
// fewer calls. Its figures mean nothing, so a quick run never writes bench/RESULTS.md or the README.
export const QUICK = process.env.BENCH_QUICK === '1';

/** `full` normally, `quick` under BENCH_QUICK=1. */
export function fullOrQuick<T>(full: T, quick: T): T {
  return QUICK ? quick : full;
}
