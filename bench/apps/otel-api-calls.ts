// The per-call half of the OpenTelemetry bridge case (bench/cases/opentelemetry-bridge.ts), in a process of its
// own: an OpenTelemetry span made through our provider beside a sampled @Span, and @Span with and without the
// OpenTelemetry API registered, side by side. It sends the costs to the process that forked it, then exits.
//
// Why a process of its own: registering the API is global, and `npm run bench` runs every case in one process.
// The method case leaves OpenTelemetry's own context manager registered there, and its @Span calls through five
// tracers leave V8's feedback for the decorator's code in a state this case did not make. Disabling the API's
// globals would clear the first but not the second; a fresh process makes the figures the same whether this case
// runs alone or after the others.
import { SpanKind, context, propagation, trace, type ContextManager, type ProxyTracerProvider, type TextMapPropagator } from '@opentelemetry/api';
import { NoopReporter, initTracer as initJaegerTracer } from 'jaeger-client';
import { Span, initTracer, withSpan } from 'jaeger-decorators';
import { registerOpenTelemetryApi, unregisterOpenTelemetryApi } from 'jaeger-decorators/opentelemetry';
import type { Span as OpenTracingSpan } from 'opentracing';
import { keep, measureSideBySide, type Variant } from '../support/measure';

/** The method body every variant runs, the method case's: builds a small result object. */
function work(id: number): { id: number; name: string } {
  return { id, name: `user-${id}` };
}

// Both sides report to a no-op reporter, so only making the span is compared, not reporting it (the method case
// measures reporting). The global tracer, used by @Span and by our OpenTelemetry provider, is sampled; parents
// of the unsampled variants come from a tracer that samples nothing, as in the method case.
const sampled = initTracer('bench', { sampler: { type: 'const', param: 1 } }, { reporter: new NoopReporter() });
const unsampled = initJaegerTracer({ serviceName: 'bench-off', sampler: { type: 'const', param: 0 } }, { reporter: new NoopReporter() });
const sampledParent = sampled.startSpan('parent');
const unsampledParent = unsampled.startSpan('parent');

class TracedService {
  @Span('Service.work')
  work(id: number) {
    return work(id);
  }
}
class AsyncTracedService {
  @Span('Service.work')
  async work(id: number) {
    return work(id);
  }
}

// Registered once, as an app does; `switchVariant` takes it off and puts it back between the groups of variants.
if (!registerOpenTelemetryApi()) throw new Error('registerOpenTelemetryApi() found another OpenTelemetry provider registered');
// The tracer an instrumentation gets from the API: ours.
const tracer = trace.getTracer('bench');

// What registerOpenTelemetryApi() put in place, read back from the API's global slot (its key is the contract
// between copies of the API in one process, `opentelemetry.js.api.<major>`: 1 for every 1.x).
const apiGlobals = (globalThis as unknown as Record<symbol, { context: ContextManager; propagation: TextMapPropagator }>)[Symbol.for('opentelemetry.js.api.1')];
const registered = {
  provider: (trace.getTracerProvider() as ProxyTracerProvider).getDelegate(),
  contextManager: apiGlobals.context,
  propagator: apiGlobals.propagation,
};
let apiOn = true;

/**
 * Registering the API is global, so the variants with and without it cannot run at once. Each round runs the
 * variants without it, then with it; taking it off and putting it back are variants of their own, so that is
 * timed apart from every measured variant, and their figures are dropped. Off is what unregisterOpenTelemetryApi()
 * does (the globals dropped, our context manager's AsyncLocalStorage disabled); on puts back the same provider,
 * context manager and propagator. Not a registerOpenTelemetryApi() per round: each makes a new context manager
 * with a new AsyncLocalStorage, which in Node 20 keeps its context under a key of its own on async resources:
 * a new key every round, which V8's property caches pay for and an app registering once never has.
 */
function switchVariant(name: string, on: boolean): Variant {
  return {
    name,
    // Calibration runs it until a batch takes 2 ms, which a switch never does: the count is ignored, and a
    // switch to the state the API is in does nothing.
    run() {
      if (on === apiOn) return;
      apiOn = on;
      if (!on) {
        trace.disable();
        context.disable();
        propagation.disable();
        return;
      }
      const restored =
        trace.setGlobalTracerProvider(registered.provider) &&
        context.setGlobalContextManager(registered.contextManager.enable()) &&
        propagation.setGlobalPropagator(registered.propagator);
      if (!restored) throw new Error('the OpenTelemetry API could not be registered again');
    },
  };
}

function decoratedVariant(name: string, parent: OpenTracingSpan): Variant {
  const service = new TracedService();
  return {
    name,
    run(count) {
      withSpan(parent, () => {
        for (let i = 0; i < count; i += 1) keep(service.work(i));
      });
    },
  };
}

/** An async @Span method awaited call after call, inside `parent`, as the method case's async rows. */
function awaitedVariant(name: string, parent: OpenTracingSpan): Variant {
  const service = new AsyncTracedService();
  const calls = async (count: number) => {
    for (let i = 0; i < count; i += 1) keep(await service.work(i));
  };
  return { name, run: (count) => withSpan(parent, () => calls(count)) };
}

/** What code written against the API does around a call: the span made active for the call, then ended. */
function activeSpanVariant(name: string, parent: OpenTracingSpan): Variant {
  return {
    name,
    run(count) {
      withSpan(parent, () => {
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

/**
 * What an instrumentation does for a query: a client span under the active one with a couple of attributes,
 * not made active, ended when the answer comes. The attributes are built per call, as an instrumentation does.
 */
function clientSpanVariant(name: string, parent: OpenTracingSpan): Variant {
  return {
    name,
    run(count) {
      withSpan(parent, () => {
        for (let i = 0; i < count; i += 1) {
          const span = tracer.startSpan('SELECT app', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'app' } });
          keep(work(i));
          span.end();
        }
      });
    },
  };
}

async function main(): Promise<void> {
  const variants: Variant[] = [
    // The reference, and a batch to take the first place of each round: that batch runs after the turn of the
    // event loop between rounds, and came out 5 to 20 % slower than the same variant later in the round in our
    // runs on Node 20, which would have been charged to a @Span row.
    {
      name: 'plain method',
      run(count) {
        for (let i = 0; i < count; i += 1) keep(work(i));
      },
    },
    switchVariant('switch: API off', false),
    decoratedVariant('@Span, sampled, no-op reporter', sampledParent),
    decoratedVariant('@Span, inside an unsampled trace', unsampledParent),
    awaitedVariant('@Span async, awaited, sampled, no-op reporter', sampledParent),
    switchVariant('switch: API on', true),
    // The OpenTelemetry variants first: they enable the AsyncLocalStorage of our OpenTelemetry context manager,
    // as an app's instrumentations would, so the @Span rows below run with it on.
    activeSpanVariant('OpenTelemetry startActiveSpan through our provider, sampled', sampledParent),
    clientSpanVariant('OpenTelemetry startSpan + end through our provider, sampled', sampledParent),
    activeSpanVariant('OpenTelemetry startActiveSpan through our provider, inside an unsampled trace', unsampledParent),
    clientSpanVariant('OpenTelemetry startSpan + end through our provider, inside an unsampled trace', unsampledParent),
    decoratedVariant('@Span, sampled, with the OpenTelemetry API registered', sampledParent),
    decoratedVariant('@Span, inside an unsampled trace, with the OpenTelemetry API registered', unsampledParent),
    awaitedVariant('@Span async, awaited, sampled, with the OpenTelemetry API registered', sampledParent),
  ];
  const costs = (await measureSideBySide(variants)).filter((cost) => !cost.name.startsWith('switch: '));
  unregisterOpenTelemetryApi();
  process.send?.({ costs }, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
