import { expectedErrorTest, type ErrorMatcher, type ExpectedErrorTest } from '../core/expected-errors';
import { isHttpToken } from '../internal/config-checks';
import { assertKnownOptions } from '../internal/known-options';
import { httpStatusOf } from '../core/http-status';
import { DEFAULT_REDACT_HEADERS, DEFAULT_REDACT_PARAMS } from '../core/redaction-rules';
import { IgnoredPaths } from './ignored-paths';
import type { Tracer } from 'opentracing';

/** Options of the request middleware and of `@TracedController`. */
export interface ServerTracingOptions {
  /** Tracer to use. Default: the global tracer at request time. */
  tracer?: Tracer;
  /**
   * `handler`: the span is named after the controller method, like the seed's view name (`UserController.getOne`);
   * plain middleware, which knows no handler, falls back to `route`. `route`: `GET /users/:id`. Default: `handler`.
   */
  operationName?: 'handler' | 'route';
  /** Paths (exact, without query) or patterns not to trace. Added to the defaults: /health, /healthz, /livez, /readyz, /ready, /favicon.ico. */
  ignorePaths?: ReadonlyArray<string | RegExp>;
  /** Header names whose values are replaced by `[REDACTED]`. Added to the defaults: authorization, cookie, set-cookie, proxy-authorization, x-api-key. */
  redactHeaders?: readonly string[];
  /** Query and route parameter names whose values are redacted. Added to the defaults: password, passwd, pwd, secret, token, access_token, refresh_token, id_token, api_key, apikey, client_secret, auth. */
  redactParams?: readonly string[];
  /** Record the request body (capped at `maxBodyLength`) in the error log. Default: false. */
  recordBody?: boolean;
  /** Longest body, and longest header or parameter value, recorded. Default: 1024 characters. */
  maxBodyLength?: number;
  /** Response header that carries the trace id back to the caller, e.g. `x-trace-id`. Default: none. */
  traceResponseHeader?: string;
  /** Treat 4xx responses (routing-controllers' HttpErrors such as NotFoundError) as errors. Default: false. */
  errorOn4xx?: boolean;
  /**
   * Errors of the handler that are not failures, whatever status they answer with: error classes and functions
   * of the error. The span gets one log `{event: 'expected_error', 'error.kind', message}` and no `error=true`.
   */
  ignoreErrors?: readonly ErrorMatcher[];
  /**
   * The status the framework answers an error with, which decides the 4xx rule: below 500 a `client_error`, else
   * a failure. Default: the error's own `status`, `statusCode`, `httpCode` or `getStatus()`, what Express, Koa,
   * Fastify and routing-controllers answer with (hapi's Boom: `(error) => error.output?.statusCode`).
   */
  errorStatus?: (error: unknown) => number | undefined;
}

export interface ResolvedServerTracingOptions {
  tracer?: Tracer;
  operationName: 'handler' | 'route';
  ignoredPaths: IgnoredPaths;
  redactHeaders: Set<string>;
  redactParams: Set<string>;
  recordBody: boolean;
  maxBodyLength: number;
  traceResponseHeader?: string;
  errorOn4xx: boolean;
  ignoreErrors?: ExpectedErrorTest;
  errorStatus: (error: unknown) => number | undefined;
  /**
   * The framework answers a handler's errors itself, after the decorators inside have seen them, with a status of
   * its own choosing (Nest's exception filters): what a decorator records on the request's span waits for the end,
   * and goes by the status the response goes out with if the framework's error handler saw it
   * (RequestTrace.recordErrorOfCall). Not a user's option.
   */
  errorsAnsweredLater: boolean;
}

export const DEFAULT_IGNORE_PATHS: readonly string[] = ['/health', '/healthz', '/livez', '/readyz', '/ready', '/favicon.ico'];

const OPTION_KEYS = [
  'tracer',
  'operationName',
  'ignorePaths',
  'redactHeaders',
  'redactParams',
  'recordBody',
  'maxBodyLength',
  'traceResponseHeader',
  'errorOn4xx',
  'ignoreErrors',
  'errorStatus',
];

function fail(where: string, key: string, expected: string, value: unknown): never {
  throw new TypeError(`${where}: option ${key} must be ${expected}, got ${JSON.stringify(value) ?? String(value)}.`);
}

function stringList(where: string, key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) fail(where, key, 'a list of names', value);
  return value.map((item: string) => item.toLowerCase());
}

/**
 * Checks the options a user passed to `where` (a middleware or decorator name) and fills in the defaults;
 * `errorsAnsweredLater` is the framework's way with errors (see ResolvedServerTracingOptions), not the user's.
 */
export function resolveServerTracingOptions(where: string, options: ServerTracingOptions = {}, errorsAnsweredLater = false): ResolvedServerTracingOptions {
  if (typeof options !== 'object' || options === null) fail(where, 'options', 'an object', options);
  assertKnownOptions(where, options, OPTION_KEYS);
  const { operationName = 'handler', ignorePaths = [], recordBody = false, maxBodyLength = 1024, traceResponseHeader, errorOn4xx = false } = options;
  if (operationName !== 'handler' && operationName !== 'route') fail(where, 'operationName', "'handler' or 'route'", operationName);
  if (!Array.isArray(ignorePaths) || !ignorePaths.every((path) => typeof path === 'string' || path instanceof RegExp)) {
    fail(where, 'ignorePaths', 'a list of paths and regular expressions', ignorePaths);
  }
  if (typeof recordBody !== 'boolean') fail(where, 'recordBody', 'true or false', recordBody);
  if (!Number.isInteger(maxBodyLength) || maxBodyLength < 0) fail(where, 'maxBodyLength', 'a whole number >= 0', maxBodyLength);
  if (traceResponseHeader !== undefined && (typeof traceResponseHeader !== 'string' || !isHttpToken(traceResponseHeader))) {
    fail(where, 'traceResponseHeader', 'an HTTP header name', traceResponseHeader);
  }
  if (typeof errorOn4xx !== 'boolean') fail(where, 'errorOn4xx', 'true or false', errorOn4xx);
  if (options.tracer !== undefined && typeof options.tracer?.startSpan !== 'function') fail(where, 'tracer', 'an OpenTracing tracer', '[object]');
  if (options.errorStatus !== undefined && typeof options.errorStatus !== 'function')
    fail(where, 'errorStatus', 'a function (error) => status', '[not a function]');
  return {
    tracer: options.tracer,
    operationName,
    ignoredPaths: new IgnoredPaths([...DEFAULT_IGNORE_PATHS, ...ignorePaths]),
    redactHeaders: new Set([...DEFAULT_REDACT_HEADERS, ...stringList(where, 'redactHeaders', options.redactHeaders)]),
    redactParams: new Set([...DEFAULT_REDACT_PARAMS, ...stringList(where, 'redactParams', options.redactParams)]),
    recordBody,
    maxBodyLength,
    traceResponseHeader: traceResponseHeader?.toLowerCase(),
    errorOn4xx,
    ignoreErrors: expectedErrorTest(where, options.ignoreErrors),
    errorStatus: options.errorStatus ?? httpStatusOf,
    errorsAnsweredLater,
  };
}
