import type { Span } from 'opentracing';
import type { SpanReporter } from 'jaeger-decorators';
import { statementOf, type DemoSpan, type SpanMessage } from './demo-span';

interface JaegerSpanInternals {
  _operationName: string;
  _spanContext: { traceIdStr: string; spanIdStr: string; parentIdStr?: string | null };
  _startTime: number;
  _duration: number;
  _tags: Array<{ key: string; value: unknown }>;
}

/**
 * With no Jaeger to read traces back from, each demo service hands its finished spans to the demo runner over
 * the IPC channel, so the waterfall can still be drawn. A jaeger-client reporter, passed as `options.reporter`.
 */
export function ipcReporter(service: string): SpanReporter {
  return {
    report(span: Span) {
      const internals = span as unknown as JaegerSpanInternals;
      const tags = Object.fromEntries(internals._tags.map((tag) => [tag.key, tag.value]));
      const demoSpan: DemoSpan = {
        // Zero-padded, as Jaeger, the x-trace-id header and the Python services print ids.
        traceId: internals._spanContext.traceIdStr.padStart(16, '0'),
        spanId: internals._spanContext.spanIdStr.padStart(16, '0'),
        parentId: internals._spanContext.parentIdStr?.padStart(16, '0') ?? undefined,
        service,
        operation: internals._operationName,
        startUs: Math.round(internals._startTime * 1000),
        durationUs: Math.round(internals._duration * 1000),
        error: tags.error === true,
        kind: typeof tags['span.kind'] === 'string' ? tags['span.kind'] : undefined,
        statement: statementOf(tags),
      };
      const message: SpanMessage = { type: 'span', span: demoSpan };
      process.send?.(message);
    },
    close(callback) {
      callback?.();
    },
    setProcess() {},
  };
}
