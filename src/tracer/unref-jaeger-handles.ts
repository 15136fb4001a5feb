import { guard } from '../core/guard';
import { reporterParts } from './jaeger-reporter-parts';

const TIMER_FIELDS = ['_intervalHandle', '_refreshIntervalHandle', '_initialDelayTimeoutHandle'] as const;

function unrefFields(holder: unknown): void {
  if (typeof holder !== 'object' || holder === null) return;
  const fields = holder as Record<string, { unref?: () => void } | undefined>;
  for (const field of TIMER_FIELDS) fields[field]?.unref?.();
  // The UDP sender's socket keeps the loop alive once it has sent a packet.
  (fields._client as { unref?: () => void } | undefined)?.unref?.();
}

/**
 * jaeger-client's flush and sampling timers and its UDP socket keep a process alive forever, so a script that
 * never calls closeTracer() never exits and never reaches `beforeExit`. With `closeOnExit` the beforeExit
 * hook does the final flush, so these handles may stop holding the process. jaeger-client exposes no API for
 * this; the fields are read defensively and a layout change only loses the unref.
 */
export function unrefJaegerHandles(tracer: unknown): void {
  guard('releasing jaeger-client timers', () => {
    const internals = tracer as Record<string, unknown>;
    for (const part of [...reporterParts(tracer), internals._sampler, internals._debugThrottler]) {
      unrefFields(part);
      unrefFields((part as Record<string, unknown> | undefined)?._sender);
    }
  });
}
