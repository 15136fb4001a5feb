// Case 1: what a decorated method costs per call, beside the plain method, raw jaeger-client and OpenTelemetry.
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace, type Tracer as OtelTracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { NoopReporter, initTracer as initJaegerTracer } from 'jaeger-client';
import { LogErrorsToSpan, Span, closeTracer, getActiveSpan, initTracer, withSpan } from 'jaeger-decorators';
import type { Span as OpenTracingSpan, Tracer } from 'opentracing';
import { measureSideBySide, sink, type CallCost, type Variant } from '../support/measure';

/** The method every variant calls: builds a small result object, about what a service method's body costs. */
function work(id: number): { id: number; name: string } {
  return { id, name: `user-${id}` };
}

function rawSpanVariant(name: string, tracer: Tracer, parent: OpenTracingSpan): Variant {
  return {
    name,
    run(count) {
      for (let i = 0; i < count; i += 1) {
        const span = tracer.startSpan('Service.work', { childOf: parent });
        sink.value ^= work(i).id;
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
          sink.value ^= withSpan(span, () => work(i)).id;
          span.finish();
        }
      });
    },
  };
}

function decoratedVariant(name: string, target: { work(id: number): { id: number } }, parent: OpenTracingSpan): Variant {
  return {
    name,
    run(count) {
      withSpan(parent, () => {
        for (let i = 0; i < count; i += 1) sink.value ^= target.work(i).id;
      });
    },
  };
}

/** An async method awaited call after call, inside `parent`: what an `await service.method()` costs. */
function awaitedVariant(name: string, target: { work(id: number): Promise<{ id: number }> }, parent: OpenTracingSpan | undefined): Variant {
  const calls = async (count: number) => {
    for (let i = 0; i < count; i += 1) sink.value ^= (await target.work(i)).id;
  };
  return {
    name,
    run: (count) => (parent === undefined ? calls(count) : withSpan(parent, () => calls(count))),
  };
}

function otelVariant(name: string, tracer: OtelTracer): Variant {
  const parent = tracer.startSpan('parent');
  const parentContext = trace.setSpan(context.active(), parent);
  return {
    name,
    run(count) {
      context.with(parentContext, () => {
        for (let i = 0; i < count; i += 1) {
          tracer.startActiveSpan('Service.work', (span) => {
            sink.value ^= work(i).id;
            span.end();
          });
        }
      });
    },
  };
}

async function sinks(): Promise<{ udpPort: number; httpUrl: string; close(): Promise<void> }> {
  const udp = dgram.createSocket('udp4');
  udp.on('message', () => {});
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    udpPort: (udp.address() as AddressInfo).port,
    httpUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/traces`,
    close: async () => {
      udp.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface MethodOverheadResult {
  costs: CallCost[];
  workload: string;
}

export async function methodOverhead(): Promise<MethodOverheadResult> {
  const endpoints = await sinks();
  // The global tracer, used by @Span without options: sampled, reporting to a no-op reporter.
  const sampled = initTracer('bench', { sampler: { type: 'const', param: 1 } }, { reporter: new NoopReporter() });
  const unsampled = initJaegerTracer({ serviceName: 'bench-off', sampler: { type: 'const', param: 0 } }, { reporter: new NoopReporter() });
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

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const otelOn = new BasicTracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('bench');
  const otelOff = new BasicTracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('bench');

  const service = new Service();
  const sampledParent = sampled.startSpan('parent');
  const unsampledParent = unsampled.startSpan('parent');
  const udpParent = udpTracer.startSpan('parent');
  const httpParent = httpTracer.startSpan('parent');
  const variants: Variant[] = [
    {
      name: 'plain method',
      run: (count) => {
        for (let i = 0; i < count; i += 1) sink.value ^= service.plain(i).id;
      },
    },
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
    rawSpanVariant('jaeger-client startSpan+finish, UDP reporter', udpTracer, udpParent),
    decoratedVariant('@Span, sampled, UDP reporter', new UdpService(), udpParent),
    rawSpanVariant('jaeger-client startSpan+finish, HTTP reporter', httpTracer, httpParent),
    decoratedVariant('@Span, sampled, HTTP reporter', new HttpService(), httpParent),
  ];
  const costs = await measureSideBySide(variants);
  await closeTracer();
  await Promise.all(
    [udpTracer, httpTracer].map((tracer) => new Promise<void>((resolve) => (tracer as unknown as { close(cb: () => void): void }).close(resolve))),
  );
  await endpoints.close();
  return { costs, workload: 'each call builds `{ id, name: `user-${id}` }`' };
}
