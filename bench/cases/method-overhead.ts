// Case 1: what a decorated method costs per call, beside the plain method, raw jaeger-client and OpenTelemetry.
import { context, trace, type Tracer as OtelTracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, AlwaysOnSampler, TracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { NoopReporter, initTracer as initJaegerTracer } from 'jaeger-client';
import { LogErrorsToSpan, Span, closeTracer, getActiveSpan, initTracer, withSpan } from 'jaeger-decorators';
import type { Span as OpenTracingSpan, Tracer } from 'opentracing';
import { keep, measureSideBySide, ownAwaitLoop, ownCallLoop, type CallCost, type Variant } from '../support/measure';
import { startSinks } from '../support/sinks';
import { otlpHttpExporter } from '../support/otlp-exporter';
import { createSpanReporter } from '../support/reporting-internals';

/** The method every variant calls: builds a small result object, about what a service method's body costs. */
function work(id: number): { id: number; name: string } {
  return { id, name: `user-${id}` };
}

/** Flushes a tracer's reporter (jaeger-client's RemoteReporter or ours) and resolves when the batch is sent. */
function flushReporter(tracer: Tracer): () => Promise<void> {
  const reporter = (tracer as unknown as { _reporter: { flush(callback?: () => void): Promise<void> | void } })._reporter;
  return () =>
    new Promise<void>((resolve) => {
      // jaeger-client's calls back when its batch is sent; ours returns a promise of the same moment.
      const flushed = reporter.flush(resolve);
      if (flushed instanceof Promise) void flushed.then(() => resolve());
    });
}

function rawSpanVariant(name: string, tracer: Tracer, parent: OpenTracingSpan, settle?: () => Promise<void>): Variant {
  return {
    name,
    settle,
    run(count) {
      for (let i = 0; i < count; i += 1) {
        const span = tracer.startSpan('Service.work', { childOf: parent });
        keep(work(i));
        span.finish();
      }
    },
  };
}

/** Raw jaeger-client, plus making the span active the way @Span must (AsyncLocalStorage.run), for nesting. */
function rawActiveSpanVariant(name: string, tracer: Tracer, parent: OpenTracingSpan): Variant {
  return {
    name,
    run(count) {
      withSpan(parent, () => {
        for (let i = 0; i < count; i += 1) {
          const span = tracer.startSpan('Service.work', { childOf: getActiveSpan() });
          keep(withSpan(span, () => work(i)));
          span.finish();
        }
      });
    },
  };
}

function decoratedVariant(name: string, target: { work(id: number): { id: number } }, parent: OpenTracingSpan, settle?: () => Promise<void>): Variant {
  const calls = ownCallLoop(target, 'work');
  return {
    name,
    settle,
    run(count) {
      withSpan(parent, () => calls(count));
    },
  };
}

/** An async method awaited call after call, inside `parent`: what an `await service.method()` costs. */
function awaitedVariant(name: string, target: { work(id: number): Promise<{ id: number }> }, parent: OpenTracingSpan | undefined): Variant {
  const calls = ownAwaitLoop(target, 'work');
  return {
    name,
    run: (count) => (parent === undefined ? calls(count) : withSpan(parent, () => calls(count))),
  };
}

function otelVariant(name: string, tracer: OtelTracer, settle?: () => Promise<void>): Variant {
  const parent = tracer.startSpan('parent');
  const parentContext = trace.setSpan(context.active(), parent);
  return {
    name,
    settle,
    run(count) {
      context.with(parentContext, () => {
        for (let i = 0; i < count; i += 1) {
          tracer.startActiveSpan('Service.work', (span) => {
            keep(work(i));
            span.end();
          });
        }
      });
    },
  };
}

export interface MethodOverheadResult {
  costs: CallCost[];
  workload: string;
  /** Which OTLP exporter OpenTelemetry's reporting variant used. */
  otlpExporter: string;
  /** Spans our reporters sent and dropped over the run (a drop would flatter the figures). */
  ourReporters: string;
}

export async function methodOverhead(): Promise<MethodOverheadResult> {
  const endpoints = await startSinks();
  // The global tracer, used by @Span without options: sampled, reporting to a no-op reporter.
  const sampled = initTracer('bench', { sampler: { type: 'const', param: 1 } }, { reporter: new NoopReporter() });
  const unsampled = initJaegerTracer({ serviceName: 'bench-off', sampler: { type: 'const', param: 0 } }, { reporter: new NoopReporter() });
  const quietLogger = { info() {}, error() {} };
  const oursUdpTracer = initJaegerTracer(
    { serviceName: 'bench-ours-udp', sampler: { type: 'const', param: 1 } },
    { reporter: createSpanReporter({ agentHost: '127.0.0.1', agentPort: endpoints.udpPort }, quietLogger) },
  );
  const oursHttpTracer = initJaegerTracer(
    { serviceName: 'bench-ours-http', sampler: { type: 'const', param: 1 } },
    { reporter: createSpanReporter({ collectorEndpoint: endpoints.httpUrl }, quietLogger) },
  );
  const udpTracer = initJaegerTracer({
    serviceName: 'bench-udp',
    sampler: { type: 'const', param: 1 },
    reporter: { agentHost: '127.0.0.1', agentPort: endpoints.udpPort },
  });
  const httpTracer = initJaegerTracer({ serviceName: 'bench-http', sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: endpoints.httpUrl } });

  class Service {
    plain(id: number) {
      return work(id);
    }
  }
  class TracedService {
    @Span('Service.work')
    work(id: number) {
      return work(id);
    }
  }
  class GuardedService {
    @LogErrorsToSpan()
    work(id: number) {
      return work(id);
    }
  }
  class AsyncService {
    async work(id: number) {
      return work(id);
    }
  }
  class AsyncTracedService {
    @Span('Service.work')
    async work(id: number) {
      return work(id);
    }
  }
  class AsyncGuardedService {
    @LogErrorsToSpan()
    async work(id: number) {
      return work(id);
    }
  }
  class UdpService {
    @Span('Service.work', { tracer: udpTracer })
    work(id: number) {
      return work(id);
    }
  }
  class HttpService {
    @Span('Service.work', { tracer: httpTracer })
    work(id: number) {
      return work(id);
    }
  }
  class OursUdpService {
    @Span('Service.work', { tracer: oursUdpTracer })
    work(id: number) {
      return work(id);
    }
  }
  class OursHttpService {
    @Span('Service.work', { tracer: oursHttpTracer })
    work(id: number) {
      return work(id);
    }
  }

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const otelOn = new TracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('bench');
  const otelOff = new TracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('bench');
  const otlp = otlpHttpExporter(endpoints.otlpUrl);
  const otlpProcessor = new BatchSpanProcessor({ exporter: otlp.exporter });
  const otelOtlp = new TracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [otlpProcessor] }).getTracer('bench');

  const service = new Service();
  const sampledParent = sampled.startSpan('parent');
  const unsampledParent = unsampled.startSpan('parent');
  const udpParent = udpTracer.startSpan('parent');
  const httpParent = httpTracer.startSpan('parent');
  const oursUdpParent = oursUdpTracer.startSpan('parent');
  const oursHttpParent = oursHttpTracer.startSpan('parent');
  const variants: Variant[] = [
    { name: 'plain method', run: ownCallLoop(service, 'plain') },
    rawSpanVariant('jaeger-client startSpan+finish, no-op reporter', sampled, sampledParent),
    rawActiveSpanVariant('jaeger-client startSpan+finish + ALS activation, no-op reporter', sampled, sampledParent),
    decoratedVariant('@Span, sampled, no-op reporter', new TracedService(), sampledParent),
    decoratedVariant('@Span, inside an unsampled trace', new TracedService(), unsampledParent),
    decoratedVariant('@LogErrorsToSpan, no error', new GuardedService(), sampledParent),
    awaitedVariant('async method, awaited', new AsyncService(), undefined),
    awaitedVariant('@Span async, awaited, sampled, no-op reporter', new AsyncTracedService(), sampledParent),
    awaitedVariant('@Span async, awaited, inside an unsampled trace', new AsyncTracedService(), unsampledParent),
    awaitedVariant('@LogErrorsToSpan async, awaited, no error', new AsyncGuardedService(), sampledParent),
    otelVariant('OpenTelemetry startActiveSpan, sampled', otelOn),
    otelVariant('OpenTelemetry startActiveSpan, unsampled', otelOff),
    otelVariant(`OpenTelemetry startActiveSpan, sampled, batch processor + ${otlp.kind}`, otelOtlp, () => otlpProcessor.forceFlush()),
    rawSpanVariant('jaeger-client startSpan+finish, jaeger-client UDP reporter', udpTracer, udpParent, flushReporter(udpTracer)),
    decoratedVariant('@Span, sampled, jaeger-client UDP reporter', new UdpService(), udpParent, flushReporter(udpTracer)),
    decoratedVariant('@Span, sampled, jaeger-client HTTP reporter', new HttpService(), httpParent, flushReporter(httpTracer)),
    decoratedVariant('@Span, sampled, our UDP reporter', new OursUdpService(), oursUdpParent, flushReporter(oursUdpTracer)),
    decoratedVariant('@Span, sampled, our HTTP reporter', new OursHttpService(), oursHttpParent, flushReporter(oursHttpTracer)),
  ];
  const costs = await measureSideBySide(variants);
  const counts = [oursUdpTracer, oursHttpTracer].map((tracer) => {
    const { sent, dropped } = (tracer as unknown as { _reporter: { counts(): { sent: number; dropped: Record<string, number> } } })._reporter.counts();
    const lost = Object.values(dropped).reduce((a, b) => a + b, 0);
    return `${(tracer as unknown as { _serviceName: string })._serviceName}: ${sent} sent, ${lost} dropped`;
  });
  await closeTracer();
  await Promise.all(
    [udpTracer, httpTracer, oursUdpTracer, oursHttpTracer].map(
      (tracer) => new Promise<void>((resolve) => (tracer as unknown as { close(cb: () => void): void }).close(resolve)),
    ),
  );
  await otlpProcessor.shutdown();
  await endpoints.close();
  return {
    costs,
    workload: 'each call builds `{ id, name: `user-${id}` }`, and every variant keeps the object it returns whole, so that no variant has it optimized away',
    otlpExporter: otlp.kind,
    ourReporters: counts.join('; '),
  };
}
