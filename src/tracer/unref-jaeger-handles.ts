import { guard } from '../core/guard';

const TIMER_FIELDS = ['_refreshIntervalHandle', '_initialDelayTimeoutHandle'] as const;

function unrefFields(holder: unknown): void {
  if (typeof holder !== 'object' || holder === null) return;
  const fields = holder as Record<string, { unref?: () => void } | undefined>;
  for (const field of TIMER_FIELDS) fields[field]?.unref?.();
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
