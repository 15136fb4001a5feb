/**
 * The reporters inside a jaeger-client tracer: its reporter and, for a CompositeReporter (`logging: true`),
 * the reporters it holds. jaeger-client exposes none of this; the fields are read defensively.
 */
export function reporterParts(tracer: unknown): Array<Record<string, unknown>> {
  const reporter = (tracer as { _reporter?: Record<string, unknown> })._reporter;
  if (typeof reporter !== 'object' || reporter === null) return [];
  const children = Array.isArray(reporter._reporters) ? (reporter._reporters as Array<Record<string, unknown>>) : [];
  return [reporter, ...children];
}
