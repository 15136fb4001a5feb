import { guard } from '../core/guard';

const TIMER_FIELDS = ['_refreshIntervalHandle', '_initialDelayTimeoutHandle'] as const;

interface TimerLike {
  unref?: () => void;
}

/**
 * Unrefs the timer each of `holder`'s timer fields holds, and every timer assigned to them later: the remote
 * sampler and throttler start their refresh interval only after an initial delay of up to a minute, so the
 * interval does not exist yet when the tracer is made. An accessor on the instance sees it assigned.
 */
function unrefFields(holder: unknown): void {
  if (typeof holder !== 'object' || holder === null) return;
  for (const field of TIMER_FIELDS) {
    let timer = (holder as Record<string, TimerLike | null | undefined>)[field];
    timer?.unref?.();
    Object.defineProperty(holder, field, {
      configurable: true,
      enumerable: true,
      get: () => timer,
      set: (value: TimerLike | null | undefined) => {
        value?.unref?.();
        timer = value;
      },
    });
  }
}

/**
 * jaeger-client's sampling and throttling timers (the remote sampler, the default, polls its strategy server
 * every minute) keep a process alive forever, so a script that never calls closeTracer() never exits and never
 * reaches `beforeExit`. They poll for the tracer's sake, not the app's: they stop holding the process. (The
 * reporter is ours, src/reporting, and holds the process only while spans wait.) jaeger-client exposes no API
 * for this; the fields are read defensively and a layout change only loses the unref.
 */
export function unrefJaegerHandles(tracer: unknown): void {
  guard('releasing jaeger-client timers', () => {
    const internals = tracer as Record<string, unknown>;
    for (const part of [internals._sampler, internals._debugThrottler]) unrefFields(part);
  });
}
