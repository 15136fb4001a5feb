import { InMemoryReporter } from 'jaeger-client';
import { closeTracer, initTracer, type TracerConfig, type TracerOptions } from 'jaeger-decorators';
import type { Tracer } from 'opentracing';

/** A finished span as a test reads it. */
export interface RecordedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentId: string | null;
  tags: Record<string, unknown>;
  /** The tags' keys in the order the span holds them, a key set twice listed twice (`tags` keeps the last value). */
  tagKeys: string[];
  logs: Array<Record<string, unknown>>;
  /** Start, in milliseconds since the epoch, as the span holds it (a fraction carries microseconds). */
  startMs: number;
  durationMs: number;
  /** Each log's timestamp, in milliseconds since the epoch. */
  logTimesMs: number[];
  /** The span's references: `follows_from` or `child_of`, and the span referred to. */
  references: Array<{ type: string; spanId: string }>;
}

interface JaegerSpanInternals {
  _operationName: string;
  _spanContext: { traceIdStr: string; spanIdStr: string; parentIdStr: string | null };
  _tags: Array<{ key: string; value: unknown }>;
  _logs: Array<{ timestamp: number; fields: Array<{ key: string; value: unknown }> }>;
  _startTime: number;
  _duration: number;
  _references?: Array<{ type(): string; referencedContext(): { spanIdStr: string } }>;
}

/** The trace id as Jaeger prints it: zero-padded to 16 hex digits, or 32 when the high half is not zero. */
function jaegerTraceId(hex: string): string {
  if (hex.length <= 16) return hex.padStart(16, '0');
  const full = hex.padStart(32, '0');
  return full.startsWith('0'.repeat(16)) ? full.slice(16) : full;
}

function toRecorded(span: unknown): RecordedSpan {
  const internals = span as JaegerSpanInternals;
  return {
    name: internals._operationName,
    traceId: jaegerTraceId(internals._spanContext.traceIdStr),
    spanId: internals._spanContext.spanIdStr,
    parentId: internals._spanContext.parentIdStr ?? null,
    tags: Object.fromEntries(internals._tags.map((tag) => [tag.key, tag.value])),
    tagKeys: internals._tags.map((tag) => tag.key),
    logs: internals._logs.map((log) => Object.fromEntries(log.fields.map((field) => [field.key, field.value]))),
    startMs: internals._startTime,
    durationMs: internals._duration,
    logTimesMs: internals._logs.map((log) => log.timestamp),
    references: (internals._references ?? []).map((ref) => ({ type: ref.type(), spanId: ref.referencedContext().spanIdStr })),
  };
}

export interface RecordingTracer {
  tracer: Tracer;
  /** Every span finished (and sampled) so far, in finishing order. */
  spans(): RecordedSpan[];
  span(name: string): RecordedSpan;
}

/** initTracer() as a user calls it, reporting into jaeger-client's InMemoryReporter. */
export function recordingTracer(config: TracerConfig = {}, options: TracerOptions = {}, serviceName = 'test-service'): RecordingTracer {
  const reporter = new InMemoryReporter();
  const tracer = initTracer(serviceName, { sampler: { type: 'const', param: 1 }, ...config }, { reporter, ...options });
  const spans = () => reporter.spans.map(toRecorded);
  return {
    tracer,
    spans,
    span(name) {
      const found = spans().filter((span) => span.name === name);
      if (found.length !== 1)
        throw new Error(
          `expected one span named ${name}, found ${found.length}: ${spans()
            .map((s) => s.name)
            .join(', ')}`,
        );
      return found[0];
    },
  };
}

export { closeTracer };

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
