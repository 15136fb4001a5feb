import { TracerConfigError, checkHeaderName, checkString, describe } from '../internal/config-checks';
import {
  JAEGER_BAGGAGE_PREFIX,
  JAEGER_TRACE_HEADER,
  SEED_TRACE_HEADER,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  UNDERSCORE_SEED_TRACE_HEADER,
  W3C_BAGGAGE_HEADER,
  pythonHeaderName,
} from './header-names';

/** Which headers carry the trace context out of this service and which are read coming in. */
export interface PropagationSettings {
  /** The Jaeger-format header jaeger-client itself is configured with: `trace_id_header`, as Python writes it. */
  contextHeader: string;
  /** Headers that carry `{trace-id}:{span-id}:{parent-id}:{flags}` on outbound calls. */
  injectJaegerHeaders: string[];
  /** Whether outbound calls carry W3C `traceparent`, `tracestate` and `baggage`. */
  injectW3C: boolean;
  /** Jaeger-format headers read from incoming requests, first well-formed one wins; `traceparent` comes after. */
  extractJaegerHeaders: string[];
  /** Prefix of the per-item baggage headers sent (`baggage_header_prefix`, as Python writes it). */
  baggagePrefix: string;
  /** Prefixes of the per-item baggage headers read. */
  extractBaggagePrefixes: string[];
}

/** The propagation keys of a tracer config (see TracerConfig). */
export interface PropagationConfig {
  trace_id_header?: unknown;
  inject_headers?: unknown;
  baggage_header_prefix?: unknown;
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

function resolveInjectHeaders(raw: unknown, contextHeader: string, warnings: string[]): string[] {
  const key = 'config.inject_headers';
  if (raw === undefined) return unique([contextHeader, JAEGER_TRACE_HEADER, SEED_TRACE_HEADER]);
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new TracerConfigError(`${key} must be a non-empty list of header names such as ['uber-trace-id', 'traceparent'], got ${describe(raw)}.`);
  }
  const names = raw.map((name, index) => checkHeaderName(`${key}[${index}]`, name));
  for (const name of names) {
    if (name === TRACESTATE_HEADER || name === W3C_BAGGAGE_HEADER) {
      throw new TracerConfigError(`${key} lists '${name}'; list 'traceparent' instead, which sends tracestate and baggage along with it.`);
    }
    if (name.includes('_')) {
      warnings.push(
        `${key} lists '${name}': Werkzeug >= 2.3 (Flask), Django's runserver and nginx drop request headers whose names contain '_'. ` +
          `Python's jaeger_client sends '${pythonHeaderName(name)}' for that setting.`,
      );
    }
  }
  return unique(names);
}

/**
 * Resolves `trace_id_header`, `inject_headers` and `baggage_header_prefix` the way Python's jaeger_client reads
 * them, so a config copied from a Python service gives the same header names on both sides. Throws a
 * TracerConfigError naming the key at fault; `warnings` receives what is legal but likely a mistake.
 */
export function resolvePropagation(config: PropagationConfig, warnings: string[] = []): PropagationSettings {
  const configured = config.trace_id_header === undefined ? undefined : checkHeaderName('config.trace_id_header', config.trace_id_header);
  const contextHeader = configured === undefined ? JAEGER_TRACE_HEADER : pythonHeaderName(configured);
  const injectHeaders = resolveInjectHeaders(config.inject_headers, contextHeader, warnings);
  const injectJaegerHeaders = injectHeaders.filter((name) => name !== TRACEPARENT_HEADER);

  const prefixSetting = config.baggage_header_prefix === undefined ? undefined : checkString('config.baggage_header_prefix', config.baggage_header_prefix);
  const baggagePrefix = prefixSetting === undefined ? JAEGER_BAGGAGE_PREFIX : pythonHeaderName(prefixSetting);

  return {
    contextHeader,
    injectJaegerHeaders,
    injectW3C: injectHeaders.includes(TRACEPARENT_HEADER),
    extractJaegerHeaders: unique([
      contextHeader,
      ...(configured === undefined ? [] : [configured]),
      ...injectJaegerHeaders,
      JAEGER_TRACE_HEADER,
      SEED_TRACE_HEADER,
      UNDERSCORE_SEED_TRACE_HEADER,
    ]),
    baggagePrefix,
    extractBaggagePrefixes: unique([baggagePrefix, JAEGER_BAGGAGE_PREFIX]),
  };
}

/**
 * The headers an outbound call's context is sent under (not its baggage): what a proxy that copies its caller's
 * headers would otherwise send on stale, naming the caller's span as the parent.
 */
export function contextHeaderNames(settings: PropagationSettings): ReadonlySet<string> {
  return new Set([...settings.injectJaegerHeaders, ...(settings.injectW3C ? [TRACEPARENT_HEADER, TRACESTATE_HEADER] : [])]);
}
