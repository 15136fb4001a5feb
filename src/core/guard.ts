const reported = new Set<string>();

/**
 * Runs tracing work that must never hurt the host app: a failure is logged once per `what` and swallowed.
 * Returns `undefined` when `work` threw.
 */
export function guard<T>(what: string, work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    reportTracingFailure(what, error);
    return undefined;
  }
}

/** Logs a failure inside the tracing layer, once per kind, so a broken tracer cannot flood the app's logs. */
export function reportTracingFailure(what: string, error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  warnOnce(what, `${what} failed and was skipped: ${detail}`);
}

/** Emits `message` as a `TracingWarning` the first time `kind` is seen in this process, never again. */
export function warnOnce(kind: string, message: string): void {
  if (reported.has(kind)) return;
  reported.add(kind);
  process.emitWarning(`jaeger-decorators: ${message}`, 'TracingWarning');
}
