import type { HrTime, TimeInput } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { epochNowMs } from '../core/clock';

function isHrTime(value: unknown): value is HrTime {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number';
}

/**
 * An OpenTelemetry time as jaeger-client takes it: milliseconds since the Unix epoch, with the fraction.
 * OpenTelemetry passes `[seconds, nanoseconds]`, a Date, epoch milliseconds, or `performance.now()` readings;
 * like its SDK, a number below `performance.timeOrigin` is taken for the latter. No time: now, by our clock.
 */
export function epochMsOf(time: TimeInput | undefined): number {
  if (time === undefined) return epochNowMs();
  if (typeof time === 'number') return time < performance.timeOrigin ? performance.timeOrigin + time : time;
  if (time instanceof Date) return time.getTime();
  if (isHrTime(time)) return time[0] * 1000 + time[1] / 1e6;
  return epochNowMs();
}
