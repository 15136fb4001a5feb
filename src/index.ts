export { initTracer, closeTracer } from './tracer/init-tracer';
export { TracerConfigError } from './internal/config-checks';
export { extractSpanContext, traceHeaders } from './propagation/extract-span-context';
export type { IncomingHeaders } from './propagation/http-headers-codec';
export type {
  ExitEvent,
  LocalAgentConfig,
  ReporterConfig,
  ReporterTlsConfig,
  SamplerConfig,
  SpanReporter,
  ThrottlerConfig,
  TracerConfig,
  TracerLogger,
  TracerOptions,
} from './tracer/tracer-config';
export { getActiveSpan, withSpan } from './context/active-span';
export { createServerTracing } from './http-server/server-tracing';
export type { IncomingRequestLike, ServerRequestFacts, ServerRequestSpan, ServerResponseLike, ServerTracing } from './http-server/server-tracing';
export type { ServerTracingOptions } from './http-server/server-tracing-options';
export { getBaggage, setBaggage } from './context/baggage';
export { Span } from './decorators/span';
export { SpanTag } from './decorators/span-tag';
export type { SpanKindName, SpanOptions } from './decorators/span';
export { NoSpan } from './decorators/no-span';
export type { ErrorMatcher } from './core/expected-errors';
export { LogErrorsToSpan } from './decorators/log-errors-to-span';
export type { LogErrorsToSpanOptions } from './decorators/log-errors-to-span';
export type { MethodOrClassDecorator } from './decorators/method-or-class-decorator';
