import { globalTracer, type Span, type SpanContext, type Tracer } from 'opentracing';
import type { OwnEndpoint } from './own-endpoint';

/** Starts a server span from the caller's context (or none), at `startMs` on the core's clock. */
export type ServerSpanStarter = (operationName: string, parent: SpanContext | undefined, startMs: number) => Span;

/**
 * Starts the span of a decorated call as a child of `parent`, with `tags`, at `startMs` on the core's clock; or
 * returns undefined where the tracer's startSpan() must make it.
 */
export type ChildSpanStarter = (operationName: string, parent: Span, tags: Record<string, unknown> | undefined, startMs: number) => Span | undefined;

/** What initTracer() decided, shared by every module that needs it. */
export interface TracerState {
  tracer: Tracer;
  /** HTTP endpoints the tracer itself calls, which the HTTP client patches leave alone. */
  ownEndpoints: OwnEndpoint[];
  /**
   * Whether a request's raw headers hold any header the tracer's extract reads (see
   * propagation/incoming-trace-headers); absent for a tracer initTracer() did not make.
   */
  incomingTraceHeaders?: { anyIn(rawHeaders: readonly string[]): boolean };
  /**
   * Starts a request's server span as `tracer.startSpan(name, { childOf: parent, tags: { 'span.kind': 'server' },
   * startTime })` would, at less cost for a trace not sampled (tracer/jaeger-span-starters); absent for a tracer
   * initTracer() did not make.
   */
  startServerSpan?: ServerSpanStarter;
  /** What starts a decorated call's span under a sampled span of initTracer()'s tracer (tracer/jaeger-span-starters). */
  startChildSpan?: ChildSpanStarter;
  /** The headers outbound calls carry the context under (propagation/propagation-settings contextHeaderNames). */
  contextHeaders?: ReadonlySet<string>;
  /** Removes the signal/beforeExit listeners installed by `closeOnExit`. */
  removeExitHooks?: () => void;
}

/**
 * The active-span store (an AsyncLocalStorage), typed by what is used of it so that this declaration, which the
 * public types reach, needs no Node types in a consumer compiled with `types: []`.
 */
export interface SpanStore {
  getStore(): Span | undefined;
  run<R, A extends unknown[]>(span: Span, fn: (...args: A) => R, ...args: A): R;
}

interface GlobalSlot {
  storage?: SpanStore;
  tracerState?: TracerState;
  /** Whether tracing is suppressed where a call is made now (see context/tracing-suppression). */
  tracingSuppressed?: () => boolean;
  /** Runs a function where OpenTelemetry's instrumentations make no span (see context/tracing-suppression). */
  runSuppressed?: <T>(fn: () => T) => T;
  /** OpenTelemetry's baggage in the active context, as [key, value] pairs (see context/api-baggage). */
  openTelemetryBaggage?: () => ReadonlyArray<readonly [string, string]> | undefined;
}

// Two copies of this package in one process (a hoisting accident, or CJS next to a bundled copy) must share
// one active-span store and one tracer, or spans started by one copy would never see parents from the other.
// OpenTelemetry solves the same problem with a versioned global symbol; so do we.
const SLOT_KEY = Symbol.for('jaeger-decorators.global.v1');

export function globalSlot(): GlobalSlot {
  const holder = globalThis as unknown as Record<symbol, GlobalSlot | undefined>;
  let slot = holder[SLOT_KEY];
  if (slot === undefined) {
    slot = {};
    holder[SLOT_KEY] = slot;
  }
  return slot;
}

const sharedSlot = globalSlot();

/**
 * The tracer initTracer() made, as every copy of this package in the process sees it; else this copy's
 * OpenTracing global tracer (a no-op before initTracer()). Each copy has its own `opentracing` module and so
 * its own global tracer: a class loaded through a second copy (Jest's isolateModules, a bundled copy) must still
 * find the tracer the first copy set up.
 */
export function activeTracer(): Tracer {
  return sharedSlot.tracerState?.tracer ?? globalTracer();
}

/** The state initTracer() set up, or undefined before it (and after closeTracer()). */
export function initializedTracerState(): TracerState | undefined {
  return sharedSlot.tracerState;
}

/** The state initTracer() set up; else the global tracer, with no endpoints of its own. */
export function currentTracerState(): TracerState {
  return sharedSlot.tracerState ?? { tracer: globalTracer(), ownEndpoints: [] };
}
