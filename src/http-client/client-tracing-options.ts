import type { Tracer } from 'opentracing';
import { DEFAULT_REDACT_PARAMS } from '../core/redaction-rules';
import { assertKnownOptions } from '../internal/known-options';

/** Options of `installHttpClientPatches()`. */
export interface ClientTracingOptions {
  /** Tracer to use. Default: the global tracer at call time. */
  tracer?: Tracer;
  /** Trace calls made while no span is active, as new traces. Default: false (they are left alone). */
  traceWithoutParent?: boolean;
  /** Query parameter names whose values are redacted in `http.url`, added to the server defaults (password, token, ...). */
  redactParams?: readonly string[];
  /** URLs (prefix strings, matched against the full URL) or patterns never to trace. */
  ignoreUrls?: ReadonlyArray<string | RegExp>;
}

export interface ResolvedClientTracingOptions {
  tracer?: Tracer;
  traceWithoutParent: boolean;
  redactParams: Set<string>;
  ignoreUrls: Array<string | RegExp>;
}

const OPTION_KEYS = ['tracer', 'traceWithoutParent', 'redactParams', 'ignoreUrls'];

export function resolveClientTracingOptions(options: ClientTracingOptions = {}): ResolvedClientTracingOptions {
  const where = 'installHttpClientPatches()';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object.`);
  assertKnownOptions(where, options, OPTION_KEYS);
  const { traceWithoutParent = false, redactParams = [], ignoreUrls = [] } = options;
  if (typeof traceWithoutParent !== 'boolean') throw new TypeError(`${where}: option traceWithoutParent must be true or false.`);
  if (!Array.isArray(redactParams) || !redactParams.every((name) => typeof name === 'string')) {
    throw new TypeError(`${where}: option redactParams must be a list of parameter names.`);
  }
  if (!Array.isArray(ignoreUrls) || !ignoreUrls.every((url) => typeof url === 'string' || url instanceof RegExp)) {
    throw new TypeError(`${where}: option ignoreUrls must be a list of URL prefixes and regular expressions.`);
  }
  if (options.tracer !== undefined && typeof options.tracer?.startSpan !== 'function')
    throw new TypeError(`${where}: option tracer must be an OpenTracing tracer.`);
  return {
    tracer: options.tracer,
    traceWithoutParent,
    redactParams: new Set([...DEFAULT_REDACT_PARAMS, ...redactParams.map((name) => name.toLowerCase())]),
    ignoreUrls,
  };
}
