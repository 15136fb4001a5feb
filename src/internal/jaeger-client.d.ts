// jaeger-client ships no types and @types/jaeger-client drags in prom-client and lacks the reporters we use,
// so this declares just the surface the library touches. It is not part of the published typings.
declare module 'jaeger-client' {
  import type { Tracer as OpenTracingTracer } from 'opentracing';

  export function initTracer(config: object, options?: Record<string, unknown>): OpenTracingTracer;
  export function initTracerFromEnv(config: object, options?: Record<string, unknown>): OpenTracingTracer;

  export class Tracer {}

  /** jaeger-client's span context; the members beyond OpenTracing's are its own (tracer/jaeger-span-starters). */
  export class SpanContext {
    constructor(traceId: Buffer, spanId: Buffer);
    readonly isValid: boolean;
    readonly samplingFinalized: boolean;
    baggage: Record<string, string>;
    isSampled(): boolean;
    isDebug(): boolean;
    isRemote(): boolean;
    isDebugIDContainerOnly(): boolean;
    finalizeSampling(): void;
    _setSampled(value: boolean): void;
    _makeChildContext(spanId: Buffer): SpanContext;
  }

  /** jaeger-client's span; only its prototype is used (tracer/jaeger-span-starters). */
  export class Span {}

  /** The samplers whose decision for a new trace depends on nothing but the operation name. */
  export class ConstSampler {}
  export class ProbabilisticSampler {}
  export class RateLimitingSampler {}

  export class TextMapCodec {
    constructor(options: { contextKey?: string; baggagePrefix?: string; urlEncoding?: boolean });
    extract(carrier: Record<string, string>): import('opentracing').SpanContext;
    inject(context: import('opentracing').SpanContext, carrier: Record<string, string>): void;
  }

  export class NoopReporter {
    report(span: unknown): void;
    close(callback?: () => void): void;
    setProcess(serviceName: string, tags: unknown): void;
  }

  export class RemoteSampler {
    _updateSampler(response: unknown): boolean;
    /** The sampler the strategy server's last answer made. */
    _sampler: unknown;
  }

  export class InMemoryReporter {
    spans: unknown[];
    clear(): void;
    report(span: unknown): void;
    close(callback?: () => void): void;
    setProcess(serviceName: string, tags: unknown): void;
  }

  export class CompositeReporter {
    constructor(reporters: unknown[]);
    report(span: unknown): void;
    close(callback?: () => void): void;
    setProcess(serviceName: string, tags: unknown): void;
  }

  export class LoggingReporter {
    constructor(logger?: { info(message: string): void; error(message: string): void });
    report(span: unknown): void;
    close(callback?: () => void): void;
    setProcess(serviceName: string, tags: unknown): void;
  }
}
