import { statementOf, type DemoSpan } from './demo-span';

interface JaegerApiSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; spanID: string }>;
  startTime: number;
  duration: number;
  processID: string;
  tags: Array<{ key: string; value: unknown }>;
}

interface JaegerApiTrace {
  spans: JaegerApiSpan[];
  processes: Record<string, { serviceName: string }>;
}

/** True when a Jaeger query API answers at `queryUrl`. */
export async function isJaegerReachable(queryUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${queryUrl}/api/services`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Reads a trace back from Jaeger's query API. Jaeger stores spans a little after it receives them, so this
 * polls until the trace stops growing.
 */
export async function readTrace(queryUrl: string, traceId: string, timeoutMs = 10000): Promise<DemoSpan[]> {
  const deadline = Date.now() + timeoutMs;
  let spans: DemoSpan[] = [];
  let previousCount = -1;
  while (Date.now() < deadline) {
    const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
    if (response.ok) {
      const trace = ((await response.json()) as { data: JaegerApiTrace[] }).data[0];
      spans = trace.spans.map((span) => {
        const tags = Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
        return {
          traceId: span.traceID,
          spanId: span.spanID,
          parentId: span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID,
          service: trace.processes[span.processID]?.serviceName ?? '?',
          operation: span.operationName,
          startUs: span.startTime,
          durationUs: span.duration,
          error: tags.error === true,
          kind: typeof tags['span.kind'] === 'string' ? tags['span.kind'] : undefined,
          statement: statementOf(tags),
        };
      });
      if (spans.length > 0 && spans.length === previousCount) return spans;
      previousCount = spans.length;
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  return spans;
}
