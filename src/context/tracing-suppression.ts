// Whether tracing is suppressed where an outgoing call is made. OpenTelemetry's SDK wraps each export of its
// processors and readers (spans, logs, metrics) in a context that says so, and so do some instrumentations around
// calls they make themselves. Our HTTP client patches stand in for OpenTelemetry's http and undici
// instrumentations, so they leave such calls alone as those would. Only the OpenTelemetry API bridge can read that
// context: until it is registered nothing is suppressed, and the package root never loads @opentelemetry/api.

type SuppressionCheck = () => boolean;

const NEVER: SuppressionCheck = () => false;

let suppressedHere: SuppressionCheck = NEVER;

/** True where OpenTelemetry's active context suppresses tracing (see registerOpenTelemetryApi). */
export function isTracingSuppressedHere(): boolean {
  return suppressedHere();
}

/** Sets how isTracingSuppressedHere() answers: the bridge's check while it is registered, never otherwise. */
export function setTracingSuppressionCheck(check: SuppressionCheck | undefined): void {
  suppressedHere = check ?? NEVER;
}
