import { initTracerFromEnv } from 'jaeger-client';
import { FORMAT_HTTP_HEADERS, Tracer, initGlobalTracer } from 'opentracing';
import { reportTracingFailure, warnOnce } from '../core/guard';
import { globalSlot, type TracerState } from '../internal/global-state';
import { TracerConfigError, checkBoolean, checkMethods, checkObject, checkKnownKeys, describe } from '../internal/config-checks';
import { DEFAULT_EXIT_EVENTS, installExitHooks } from './exit-hooks';
import { ownEndpointsOf, samplerEndpointOf } from './own-endpoints';
import { HttpHeadersCodec } from '../propagation/http-headers-codec';
import { IncomingTraceHeaders } from '../propagation/incoming-trace-headers';
import { contextHeaderNames } from '../propagation/propagation-settings';
import type { MetricsFactoryLike } from '../reporting/reporter-metrics';
import { createSpanReporter, withReporterEnvironment } from '../reporting/create-span-reporter';
import { checkJaegerTagsEnvironment, toJaegerConfig } from './to-jaeger-config';
import type { ExitEvent, TracerConfig, TracerLogger, TracerOptions } from './tracer-config';
import { acceptNumericStrategyTypes } from './remote-sampler-compat';
import { probeRemoteSampler } from './remote-sampler-probe';
import { unrefJaegerHandles } from './unref-jaeger-handles';
import { useJavaScriptHexIds } from './span-context-hex-ids';
import { jaegerSpanStarters } from './jaeger-span-starters';

const OPTION_KEYS = ['reporter', 'logger', 'metrics', 'tags', 'traceId128bit', 'shareRpcSpan', 'closeOnExit'] as const;
/** Longest a close may wait for the reporter: shutdown must never hang on an unreachable Jaeger. */
const CLOSE_TIMEOUT_MS = 5000;

const slot = globalSlot();

// jaeger-client's default logger drops everything, so a Jaeger that never receives a span would go unnoticed.
// Errors are surfaced once per kind instead of once per flush interval. (Our reporter says failed sends
// itself, with the count of spans lost; these lines come from the sampler, or from a reporter of
// jaeger-client's given in `options.reporter`.)
const warnOnceLogger: TracerLogger = {
  info() {},
  error(message) {
    warnOnce(`jaeger-client (${message.split(':')[0]})`, `jaeger-client reports: ${message}`);
  },
};

const consoleLogger: TracerLogger = {
  info: (message) => console.log(`[jaeger] ${message}`),
  error: (message) => console.error(`[jaeger] ${message}`),
};

// jaeger-client's public extension point for header formats: inject()/extract() then speak what the
// neighbours speak, for our middleware and for any code that calls the tracer itself.
function registerHttpHeadersCodec(tracer: Tracer, codec: HttpHeadersCodec): void {
  const jaeger = tracer as Tracer & {
    registerInjector?: (format: string, codec: unknown) => void;
    registerExtractor?: (format: string, codec: unknown) => void;
  };
  jaeger.registerInjector?.(FORMAT_HTTP_HEADERS, codec);
  jaeger.registerExtractor?.(FORMAT_HTTP_HEADERS, codec);
}

/**
 * What jaeger-client does with its options is call them, later (a logger's error() when the sampler's poll
 * fails, a metrics factory's counters as the tracer starts): a wrong one is named now, not thrown at the app then.
 */
function checkJaegerClientOptions(options: TracerOptions): void {
  // null, as undefined, asks jaeger-client for its default.
  if (options.logger != null) checkMethods('options.logger', options.logger, ['info', 'error']);
  if (options.metrics != null) checkMethods('options.metrics', options.metrics, ['createCounter', 'createTimer', 'createGauge']);
  if (options.reporter != null) checkMethods('options.reporter', options.reporter, ['report', 'close', 'setProcess']);
  if (options.tags != null) checkObject('options.tags', options.tags);
  if (options.traceId128bit !== undefined) checkBoolean('options.traceId128bit', options.traceId128bit);
  if (options.shareRpcSpan !== undefined) checkBoolean('options.shareRpcSpan', options.shareRpcSpan);
}

function exitEvents(value: TracerOptions['closeOnExit']): readonly ExitEvent[] {
  if (value === undefined || value === false) return [];
  if (value === true) return DEFAULT_EXIT_EVENTS;
  if (!Array.isArray(value) || !value.every((event) => DEFAULT_EXIT_EVENTS.includes(event))) {
    throw new TracerConfigError(`options.closeOnExit must be true, false or a list of ${DEFAULT_EXIT_EVENTS.join(', ')}, got ${describe(value)}.`);
  }
  return value;
}

function closeJaegerTracer({ tracer }: TracerState): Promise<void> {
  const close = (tracer as { close?: (callback: () => void) => void }).close;
  if (typeof close !== 'function') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => resolve();
    const timer = setTimeout(done, CLOSE_TIMEOUT_MS);
    // A number where setTimeout is not Node's (a jsdom test environment): nothing to unref there.
    (timer as { unref?: () => void }).unref?.();
    try {
      // Our reporter's close() sends what waits and lets batches already on the wire finish first.
      close.call(tracer, () => {
        clearTimeout(timer);
        done();
      });
    } catch (error) {
      reportTracingFailure('closing the tracer', error);
      done();
    }
  });
}

let warnedReplaced = false;

// A second initTracer() while the first tracer is live is usually a mistake (two modules that each set tracing
// up, a config loaded twice): said once, since a test suite may do it on purpose in every test.
function warnReplacedOnce(): void {
  if (warnedReplaced) return;
  warnedReplaced = true;
  process.emitWarning(
    'jaeger-decorators: initTracer() was called again while a tracer is active; the new tracer replaces the previous one, ' +
      'which is closed. Call initTracer() once at start-up, or closeTracer() before calling it again.',
    'TracingWarning',
  );
}

/**
 * Creates a Jaeger tracer (jaeger-client, OpenTracing API) and registers it as the global tracer, which the
 * decorators, middleware and HTTP patches use. `config` takes the Python seed's keys (`sampler`,
 * `local_agent`, `logging`, `trace_id_header`) and jaeger-client's own; it is validated, and a bad key throws a
 * TracerConfigError naming it. Precedence: `config` > `JAEGER_*` environment variables > jaeger-client defaults.
 * Calling it again while a tracer is active replaces (and closes) the previous tracer, and says so once with a
 * `TracingWarning`.
 *
 * @param serviceName the service name shown in Jaeger.
 * @param config tracer configuration; see TracerConfig.
 * @param options passed to jaeger-client (reporter, logger, metrics, tags, traceId128bit), plus closeOnExit.
 */
export function initTracer(serviceName: string, config: TracerConfig = {}, options: TracerOptions = {}): Tracer {
  const { jaegerConfig, reporterOptions, propagation, traceId128bit, warnings } = toJaegerConfig(serviceName, config, process.env);
  const checkedOptions = checkObject('options', options);
  checkKnownKeys('options', checkedOptions, OPTION_KEYS);
  checkJaegerClientOptions(options);
  if (options.tags == null) checkJaegerTagsEnvironment(process.env.JAEGER_TAGS);
  const { closeOnExit, ...jaegerOptions } = options;
  const events = exitEvents(closeOnExit);
  const logger = jaegerOptions.logger ?? (config.logging === true ? consoleLogger : warnOnceLogger);
  for (const warning of warnings) process.emitWarning(`jaeger-decorators: ${warning}`, 'TracingWarning');

  // Spans are reported by our own reporter (src/reporting), which keeps encoding off the request path; the
  // settings it is built from stay in jaegerConfig, where ownEndpointsOf() finds the collector.
  const disabled = jaegerConfig.disable === true || process.env.JAEGER_DISABLED === 'true' || process.env.JAEGER_DISABLE === 'true';
  let reporter = jaegerOptions.reporter ?? undefined;
  if (reporter === undefined && !disabled) {
    const settings = withReporterEnvironment(jaegerConfig.reporter, process.env);
    jaegerConfig.reporter = { ...settings };
    // Headers merge key by key: OTEL_EXPORTER_OTLP_HEADERS (in settings over OTLP), then JAEGER_AUTH_TOKEN's
    // authorization and the config's (reporterOptions). One source no longer hides the others' headers.
    const headers = settings.headers === undefined ? reporterOptions.headers : { ...settings.headers, ...reporterOptions.headers };
    reporter = createSpanReporter({ ...settings, ...reporterOptions, ...(headers === undefined ? {} : { headers }) }, logger, {
      samplingEndpoint: () => samplerEndpointOf(jaegerConfig),
      metrics: (jaegerOptions.metrics ?? undefined) as MetricsFactoryLike | undefined,
    });
  }
  const tracer = initTracerFromEnv(jaegerConfig, {
    ...(traceId128bit === undefined ? {} : { traceId128bit }),
    ...jaegerOptions,
    ...(reporter === undefined ? {} : { reporter }),
    logger,
    contextKey: propagation.contextHeader,
    baggagePrefix: propagation.baggagePrefix,
  });
  acceptNumericStrategyTypes(tracer);
  useJavaScriptHexIds();
  registerHttpHeadersCodec(tracer, new HttpHeadersCodec(propagation));

  const previous = slot.tracerState;
  if (previous !== undefined) {
    warnReplacedOnce();
    previous.removeExitHooks?.();
    void closeJaegerTracer(previous);
  }
  // initTracerFromEnv has completed jaegerConfig from the JAEGER_* variables by now.
  const state: TracerState = {
    tracer,
    ownEndpoints: ownEndpointsOf(jaegerConfig),
    incomingTraceHeaders: new IncomingTraceHeaders(propagation),
    contextHeaders: contextHeaderNames(propagation),
    ...jaegerSpanStarters(tracer),
  };
  // jaeger-client's sampler and throttler poll for the life of the tracer: they must not hold the process,
  // which only the reporter's timer does while spans wait (a script that never calls closeTracer() exits).
  unrefJaegerHandles(tracer);
  if (events.length > 0) state.removeExitHooks = installExitHooks(events, closeTracer, () => flushReporter(reporter));
  slot.tracerState = state;
  initGlobalTracer(tracer);
  // After the state is set, so the HTTP client patches know the strategy server as the tracer's own endpoint.
  if (!disabled) probeRemoteSampler(tracer, serviceName, jaegerConfig, (message) => warnOnce('remote sampler unreachable', message));
  return tracer;
}

/** Sends what the reporter holds now (ours, or jaeger-client's RemoteReporter: both have flush()), not waiting. */
function flushReporter(reporter: unknown): void {
  try {
    const flush = (reporter as { flush?: () => unknown } | undefined)?.flush;
    if (typeof flush === 'function')
      void Promise.resolve(Reflect.apply(flush, reporter, [])).catch((error: unknown) => reportTracingFailure('flushing spans', error));
  } catch (error) {
    reportTracingFailure('flushing spans', error);
  }
}

/** The close closeTracer() started and has not finished. */
let closing: Promise<void> | undefined;

/**
 * Flushes the spans the tracer still holds, stops its timers and sockets, and puts a no-op tracer in its
 * place, so a process that calls it can exit by itself. Resolves when done (after 5 s at the latest, even if
 * Jaeger is unreachable); never rejects.
 */
export function closeTracer(): Promise<void> {
  const state = slot.tracerState;
  // A close already under way (an exit hook's and the app's own SIGTERM handler's): the caller waits for it.
  if (state === undefined) return closing ?? Promise.resolve();
  slot.tracerState = undefined;
  state.removeExitHooks?.();
  initGlobalTracer(new Tracer());
  const closed = closeJaegerTracer(state).finally(() => {
    if (closing === closed) closing = undefined;
  });
  closing = closed;
  return closed;
}
