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
  if (reported.has(what)) return;
  reported.add(what);
  const detail = error instanceof Error ? error.message : String(error);
  process.emitWarning(`jaeger-decorators: ${what} failed and was skipped: ${detail}`, 'TracingWarning');
}
