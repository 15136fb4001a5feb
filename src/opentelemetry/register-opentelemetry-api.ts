import { context, propagation, trace } from '@opentelemetry/api';
import { setOpenTelemetryBaggageReader } from '../context/api-baggage';
import { setTracingSuppressionCheck, setTracingSuppressionRunner } from '../context/tracing-suppression';
import { warnOnce } from '../core/guard';
import { BridgeContextManager, setRegisteredBridgeManager } from './bridge-context-manager';
import { BridgePropagator } from './bridge-propagator';
import { BridgeTracerProvider } from './bridge-tracer-provider';
import { appBaggageItems } from './span-only-context';
import { isTracingSuppressed, suppressedTracing } from './suppressed-tracing';

let registered = false;
let contextRegistered = false;

const ALREADY_REGISTERED =
  'the OpenTelemetry API already has a global tracer provider (the OpenTelemetry SDK was started, or another ' +
  'library registered one): spans made through @opentelemetry/api go there, in traces of their own, not into ' +
  "this tracer's traces. To have one trace, call registerOpenTelemetryApi() (or installAllPatches()) before " +
  'anything registers a provider, and do not start the SDK (NodeSDK.start(), NodeTracerProvider.register()) ' +
  'next to it: its instrumentations need only the API this library serves.';

const CONTEXT_TAKEN =
  'the OpenTelemetry API already has a global context manager: spans made through @opentelemetry/api are ' +
  "reported through this tracer but may not nest under the decorators' spans. Register no other context " +
  'manager (NodeTracerProvider.register() does) before registerOpenTelemetryApi().';

/** isTracingSuppressedHere() where another context manager is registered: its active context, which may not fail the call. */
function suppressedInAnyManager(): boolean {
  try {
    return isTracingSuppressed(context.active());
  } catch {
    return false;
  }
}

/** Runs `fn` where tracing is suppressed, in whichever context manager the API has (see runWithTracingSuppressed). */
function runSuppressed<T>(fn: () => T): T {
  return context.with(suppressedTracing(context.active()), fn);
}

/** The baggage the app set in the active context, for our HTTP client patches (see context/api-baggage). */
function activeBaggage(): Array<[string, string]> | undefined {
  return appBaggageItems(context.active());
}

/**
 * Serves OpenTelemetry's API (`@opentelemetry/api`'s global tracer provider, context manager and propagator)
 * from the tracer `initTracer()` made, so OpenTelemetry instrumentations, and code written against the API,
 * make jaeger-client spans in the same traces as `@Span`, the middleware and the HTTP client patches.
 * Call it once at start-up; calling it again changes nothing. Never throws: when another provider is already
 * registered (the OpenTelemetry SDK), it says so once with a `TracingWarning` and returns false.
 */
export function registerOpenTelemetryApi(): boolean {
  if (registered) return true;
  // The provider first: it is what an SDK registers, and with it taken nothing else of ours is registered.
  if (!trace.setGlobalTracerProvider(new BridgeTracerProvider())) {
    warnOnce('OpenTelemetry provider taken', ALREADY_REGISTERED);
    // The SDK running beside us still suppresses tracing around its exporters' requests, in its own context.
    setTracingSuppressionCheck(suppressedInAnyManager);
    setTracingSuppressionRunner(runSuppressed);
    setOpenTelemetryBaggageReader(activeBaggage);
    return false;
  }
  registered = true;
  const manager = new BridgeContextManager().enable();
  contextRegistered = context.setGlobalContextManager(manager);
  if (contextRegistered) setRegisteredBridgeManager(manager);
  else warnOnce('OpenTelemetry context taken', CONTEXT_TAKEN);
  propagation.setGlobalPropagator(new BridgePropagator());
  // Our HTTP client patches ask whether an outgoing call is made where tracing is suppressed (an exporter's).
  setTracingSuppressionCheck(contextRegistered ? () => manager.isTracingSuppressedHere() : suppressedInAnyManager);
  // And the reporter sends where they suppress it, as OpenTelemetry's exporters do.
  setTracingSuppressionRunner(runSuppressed);
  // Baggage set through the API goes out with the calls our HTTP client patches trace.
  setOpenTelemetryBaggageReader(activeBaggage);
  return true;
}

/** Takes our provider, context manager and propagator off OpenTelemetry's API (for tests and hot reloads). */
export function unregisterOpenTelemetryApi(): void {
  if (!registered) return;
  registered = false;
  trace.disable();
  if (contextRegistered) context.disable();
  setRegisteredBridgeManager(undefined);
  setTracingSuppressionCheck(undefined);
  setTracingSuppressionRunner(undefined);
  setOpenTelemetryBaggageReader(undefined);
  contextRegistered = false;
  propagation.disable();
}
