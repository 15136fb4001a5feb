// jaeger-decorators/testing: a real tracer for unit tests and the spans it finished, as plain records.
export { installTestTracer } from './install-test-tracer';
export type { TestTracer, TestTracerOptions } from './install-test-tracer';
export type { FinishedSpan, FinishedSpanLog, FinishedSpanReference } from './finished-span';
