import { performance } from 'node:perf_hooks';

// jaeger-client's clock is Date.now(): whole milliseconds, so most short spans lasted "0 ms", and Jaeger v2
// rewrites every span whose end is not after its start, with a warning on it. jaeger-client takes the times it
// is given instead (startSpan's startTime, finish(finishTime), log(fields, timestamp)), in milliseconds with
// any fraction, and encodes them as microseconds (times 1000, truncated) on the wire.
//
// A reading is the monotonic clock (performance.now()) placed on the wall clock by an offset, so a duration is
// monotonic time: an NTP step in the middle of a span does not stretch it or make it negative. The offset
// starts at performance.timeOrigin and is checked against Date.now() at most once a second, so a wall clock
// that was stepped (NTP, a VM resumed, an admin) is followed within a second; a check moves the offset only as
// far as the millisecond-grained Date.now() proves it wrong.

/** How often, in monotonic milliseconds, the offset is checked against the wall clock. */
const WALL_CLOCK_CHECK_MS = 1000;

/**
 * The shortest duration a span is given, in milliseconds: Jaeger stores whole microseconds and wants an end
 * after the start, so 1 µs, plus half a microsecond because a double near 1.7e12 ms is exact only to about
 * 0.24 µs and `end - start` must still come to 1 µs or more after that rounding.
 */
const MIN_SPAN_DURATION_MS = 0.0015;

const MICROSECOND_MS = 0.001;

let wallMinusMonotonicMs = performance.timeOrigin;
let lastCheckMs = Number.NEGATIVE_INFINITY;

function followWallClock(monotonicMs: number): void {
  lastCheckMs = monotonicMs;
  // Date.now() rounds down to the millisecond: the true time lies in [wall, wall + 1).
  const wall = Date.now();
  const estimate = wallMinusMonotonicMs + monotonicMs;
  if (estimate < wall) wallMinusMonotonicMs = wall - monotonicMs;
  else if (estimate >= wall + 1) wallMinusMonotonicMs = wall + 1 - MICROSECOND_MS - monotonicMs;
}

/** Now, in milliseconds since the Unix epoch, with microsecond precision. */
export function epochNowMs(): number {
  const monotonicMs = performance.now();
  if (monotonicMs - lastCheckMs >= WALL_CLOCK_CHECK_MS) followWallClock(monotonicMs);
  return wallMinusMonotonicMs + monotonicMs;
}

/** The finish time of a span started at `startMs` (from epochNowMs): now, and at least 1 µs after the start. */
export function finishTimeMs(startMs: number): number {
  return laterThanStartMs(epochNowMs(), startMs);
}

/** `endMs`, or 1 µs after `startMs` if it is not after it (a duration Jaeger keeps as it is). */
export function laterThanStartMs(endMs: number, startMs: number): number {
  return Math.max(endMs, startMs + MIN_SPAN_DURATION_MS);
}
