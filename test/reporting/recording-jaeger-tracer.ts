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

/**
 * Spans whose names and tags repeat from span to span, for the encoders' copies of what they encoded before
 * (src/reporting/repeated-tag-bytes): one key with values of every kind, a -0 beside 0s, `span.kind`, and a key
 * with more values than are kept for it, so that from then on it is written each time.
 */
export function recordRepeatingSpans(test: RecordingJaegerTracer): void {
  const varied: Array<Record<string, unknown>> = [
    { 'span.kind': 'server', answer: 200, flag: true, route: '/users/:id' },
    { 'span.kind': 'server', answer: '200', flag: false, route: '/users/:id', zero: 0 },
    { 'span.kind': 'client', answer: 200.5, flag: 1, route: '/orders/:id', zero: -0 },
    { 'span.kind': 'server', answer: true, flag: 'true', route: 'ünïcødé ✓', zero: 0 },
  ];
  for (let round = 0; round < 3; round += 1) {
    for (const [index, tags] of varied.entries()) test.tracer.startSpan(index % 2 === 0 ? 'GET /users/:id' : 'POST /orders', { tags }).finish();
    for (let port = 0; port < 40; port += 1) test.tracer.startSpan('GET /users/:id', { tags: { 'peer.port': 40000 + port, 'span.kind': 'server' } }).finish();
  }
}
