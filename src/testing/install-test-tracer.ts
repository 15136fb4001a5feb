import type { Tracer } from 'opentracing';
import { describe } from '../internal/config-checks';
import { currentTracerState } from '../internal/global-state';
import { closeTracer, initTracer } from '../tracer/init-tracer';
import type { FinishedSpan } from './finished-span';
import { MemorySpanReporter } from './memory-span-reporter';

/** Options of installTestTracer(). */
export interface TestTracerOptions {
  /** The service name the tracer reports under. Default: `test`. */
  serviceName?: string;
}

/** The tracer installTestTracer() made, and what it recorded. */
export interface TestTracer {
  /** The tracer itself, also the global tracer until close(): for a test that starts a span of its own. */
  readonly tracer: Tracer;
  /** Every span finished since install or the last reset(), in finishing order, as plain records. */
  finishedSpans(): FinishedSpan[];
  /** Forgets the spans recorded so far; the tracer stays installed. */
  reset(): void;
  /**
   * Closes the tracer and puts the no-op tracer back, unless another tracer has replaced it already. Resolves
   * without waiting on any timer, so it works under fake timers. The records stay readable.
   */
  close(): Promise<void>;
}

// Marks a tracer made here, on the tracer itself, so that a copy of this package loaded in another module
// registry (Jest's, Vitest's) knows it too.
const TEST_TRACER = Symbol.for('jaeger-decorators.test-tracer');
const DISABLING_VARIABLES = ['JAEGER_DISABLED', 'JAEGER_DISABLE'] as const;

/** The service name the options give, or a TypeError that names the option and what it takes. */
function serviceNameOf(options: unknown): string {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`installTestTracer: options must be an object such as { serviceName: 'orders' }, got ${describe(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'serviceName') throw new TypeError(`installTestTracer: unknown option ${key}; the one option is serviceName.`);
  }
  const { serviceName = 'test' } = options as TestTracerOptions;
  if (typeof serviceName !== 'string' || serviceName.trim() === '') {
    throw new TypeError(`installTestTracer: serviceName must be a non-empty string, got ${describe(serviceName)}.`);
  }
  return serviceName;
}

function isTestTracer(tracer: Tracer): boolean {
  return (tracer as unknown as Record<symbol, unknown>)[TEST_TRACER] === true;
}

// JAEGER_DISABLED=true (set for the app in a CI job, say) makes jaeger-client hand out a no-op tracer whatever
// the config says, and every test would see no span at all. The test tracer sends nothing anywhere, so the
// variables are hidden from the one synchronous call that reads them.
function withTracingEnabled<T>(create: () => T): T {
  const saved = DISABLING_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of DISABLING_VARIABLES) delete process.env[name];
  try {
    return create();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

/**
 * Installs a real jaeger-client tracer for tests, as `initTracer()` does (so decorators, middleware, HTTP
 * patches and the OpenTelemetry API all use it), sampling every trace and recording each finished span in
 * memory as a FinishedSpan. Installing again replaces a previous test tracer quietly; a tracer from
 * `initTracer()` is replaced with initTracer's usual warning.
 *
 * @param options `serviceName` (default `test`).
 */
export function installTestTracer(options: TestTracerOptions = {}): TestTracer {
  const serviceName = serviceNameOf(options);
  if (isTestTracer(currentTracerState().tracer)) void closeTracer();

  const reporter = new MemorySpanReporter();
  const tracer = withTracingEnabled(() => initTracer(serviceName, { sampler: { type: 'const', param: 1 } }, { reporter }));
  Object.defineProperty(tracer, TEST_TRACER, { value: true });
  return {
    tracer,
    finishedSpans: () => reporter.records(),
    reset: () => reporter.clear(),
    close() {
      if (currentTracerState().tracer !== tracer) return Promise.resolve();
      // closeTracer() resolves when the tracer's close calls back, which it does at once (a const sampler and
      // a reporter that holds nothing); its 5 s cap is a cleared timer, never what ends the wait.
      return closeTracer();
    },
  };
}
