import { InMemoryReporter, initTracer as initJaegerTracer } from 'jaeger-client';
import type { Span, Tracer } from 'opentracing';

/** A plain jaeger-client tracer whose finished spans an encoder test hands to the encoder under test. */
export interface RecordingJaegerTracer {
  tracer: Tracer;
  spans: Span[];
  processTags: Array<{ key: string; value: unknown }>;
}

/** jaeger-client itself, sampling everything into its InMemoryReporter; `options` go to it as they are. */
export function recordingJaegerTracer(serviceName: string, options: Record<string, unknown> = {}): RecordingJaegerTracer {
  const reporter = new InMemoryReporter();
  const tracer = initJaegerTracer({ serviceName, sampler: { type: 'const', param: 1 } }, { reporter, ...options });
  const processTags = (tracer as unknown as { _process: { tags: Array<{ key: string; value: unknown }> } })._process.tags;
  return { tracer, spans: reporter.spans as Span[], processTags };
}
