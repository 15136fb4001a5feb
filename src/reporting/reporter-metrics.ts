/** jaeger-client's metrics factory (`options.metrics`, e.g. its PrometheusMetricsFactory), as far as used here. */
export interface MetricsFactoryLike {
  createCounter(name: string, tags?: Record<string, string>): { increment(delta?: number): void };
}

/** How a span left the reporter: sent, refused by the receiver for good, or dropped before a send. */
export type ReportResult = 'ok' | 'err' | 'dropped';

/**
 * The counters jaeger-client's RemoteReporter keeps, `jaeger:reporter_spans{result=ok|err|dropped}`, kept by ours
 * from the same factory: a service that moves to this package keeps its dashboards and alerts on them.
 */
export function reporterSpanCounters(factory: MetricsFactoryLike): (result: ReportResult, spans: number) => void {
  const counters: Record<ReportResult, { increment(delta?: number): void }> = {
    ok: factory.createCounter('jaeger:reporter_spans', { result: 'ok' }),
    err: factory.createCounter('jaeger:reporter_spans', { result: 'err' }),
    dropped: factory.createCounter('jaeger:reporter_spans', { result: 'dropped' }),
  };
  return (result, spans) => counters[result].increment(spans);
}
