// Whether tracing is suppressed where an outgoing call is made. OpenTelemetry's SDK wraps each export of its
// processors and readers (spans, logs, metrics) in a context that says so, and so do some instrumentations around
// calls they make themselves. Our HTTP client patches stand in for OpenTelemetry's http and undici
// instrumentations, so they leave such calls alone as those would. Only code that loads the OpenTelemetry API can
// read that context (see registerOpenTelemetryApi): until then nothing is suppressed, and the package root never
// loads @opentelemetry/api. The check is kept in the slot every copy of this package shares (internal/global-state),
// so patches installed by one copy follow the API registered by another.
import { globalSlot } from '../internal/global-state';

const slot = globalSlot();

/** True where OpenTelemetry's active context suppresses tracing. */
export function isTracingSuppressedHere(): boolean {
  const check = slot.tracingSuppressed;
  return check !== undefined && check();
}

/** Sets how isTracingSuppressedHere() answers; undefined: never suppressed. */
export function setTracingSuppressionCheck(check: (() => boolean) | undefined): void {
  slot.tracingSuppressed = check;
}

/**
 * Runs `fn` where OpenTelemetry suppresses tracing, once the API is registered (else as it is): the reporter's
 * own sends, as OpenTelemetry's exporters send theirs. An instrumentation the app registers for `net`, `dns` or
 * `http` would otherwise trace each batch sent to the collector, and report that span in a batch of its own:
 * hundreds of spans a second fed back to Jaeger by an idle process.
 */
export function runWithTracingSuppressed<T>(fn: () => T): T {
  const run = slot.runSuppressed;
  return run === undefined ? fn() : run(fn);
}

/** Sets how runWithTracingSuppressed() suppresses tracing; undefined: it does not. */
export function setTracingSuppressionRunner(run: (<T>(fn: () => T) => T) | undefined): void {
  slot.runSuppressed = run;
}
