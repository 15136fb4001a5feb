import { TracerConfigError, checkHeaderName, checkHeaderValueCharacters, checkHttpUrl, checkTimerMsText, describe } from '../internal/config-checks';

/** The OTLP settings of a reporter: where to send, and how. */
export interface OtlpSettings {
  /** The receiver's `/v1/traces` URL. */
  otlpEndpoint?: string;
  /** Extra request headers, e.g. an API key for a hosted collector (lower-case names). */
  headers?: Record<string, string>;
  compression?: 'gzip' | 'none';
  timeoutMs?: number;
}

/** Where spans go as far as the reporter's config says, before any environment variable. */
export interface ConfiguredDestination {
  otlpEndpoint?: string;
  collectorEndpoint?: string;
  agentHost?: string;
  agentPort?: number;
}

const TRACES = 'OTEL_EXPORTER_OTLP_TRACES_';
const ANY_SIGNAL = 'OTEL_EXPORTER_OTLP_';
// jaeger-client's own variables that say where spans go; when one is set, it decides (see otlpFromEnvironment).
const JAEGER_DESTINATIONS = [
  'JAEGER_ENDPOINT',
  'JAEGER_REPORTER_ENDPOINT',
  'JAEGER_AGENT_HOST',
  'JAEGER_REPORTER_AGENT_HOST',
  'JAEGER_AGENT_PORT',
  'JAEGER_REPORTER_AGENT_PORT',
];

const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** The traces-only variable when set, else the one for every signal, as the OpenTelemetry spec reads them. */
function signalVariable(env: NodeJS.ProcessEnv, suffix: string): { name: string; value: string } | undefined {
  for (const name of [`${TRACES}${suffix}`, `${ANY_SIGNAL}${suffix}`]) {
    const value = text(env[name]);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

function endpointFrom(env: NodeJS.ProcessEnv): { name: string; url: string } | undefined {
  const found = signalVariable(env, 'ENDPOINT');
  if (found === undefined) return undefined;
  const url = checkHttpUrl(`environment variable ${found.name}`, found.value);
  // The signal's own variable is the full URL; the shared one is a base, to which the signal's path is added.
  if (found.name.startsWith(TRACES)) return { name: found.name, url };
  return { name: found.name, url: `${url.replace(/\/+$/, '')}/v1/traces` };
}

/** `key1=value1,key2=value2`, values percent-encoded (the OpenTelemetry spec's format for *_HEADERS). */
export function parseOtlpHeaders(name: string, value: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    const separator = entry.indexOf('=');
    // The value is never quoted back: it may be a credential.
    if (separator <= 0) throw new TracerConfigError(`environment variable ${name} must be key=value pairs separated by commas; an entry has no '='.`);
    const key = checkHeaderName(`a header name in environment variable ${name}`, entry.slice(0, separator).trim());
    let headerValue: string;
    try {
      headerValue = decodeURIComponent(entry.slice(separator + 1).trim());
    } catch {
      throw new TracerConfigError(`environment variable ${name}: the value of header ${key} is not valid percent-encoding.`);
    }
    checkHeaderValueCharacters(`environment variable ${name}: the value of header ${key}`, headerValue);
    headers[key] = headerValue;
  }
  return headers;
}

function protocolCheck(env: NodeJS.ProcessEnv): void {
  const found = signalVariable(env, 'PROTOCOL');
  if (found === undefined || found.value === 'http/protobuf') return;
  if (found.value === 'grpc' || found.value === 'http/json') {
    throw new TracerConfigError(
      `environment variable ${found.name} is '${found.value}', which jaeger-decorators does not send: it sends OTLP as http/protobuf ` +
        `(to the receiver's HTTP port, 4318 by default). Set it to http/protobuf, or leave it unset.`,
    );
  }
  throw new TracerConfigError(
    `environment variable ${found.name} must be http/protobuf (or grpc, http/json, which are not supported), got ${describe(found.value)}.`,
  );
}

function timeoutFrom(env: NodeJS.ProcessEnv): number | undefined {
  const found = signalVariable(env, 'TIMEOUT');
  if (found === undefined) return undefined;
  return checkTimerMsText(`environment variable ${found.name}`, found.value);
}

function compressionFrom(env: NodeJS.ProcessEnv): 'gzip' | 'none' | undefined {
  const found = signalVariable(env, 'COMPRESSION');
  if (found === undefined) return undefined;
  if (found.value !== 'gzip' && found.value !== 'none') {
    throw new TracerConfigError(`environment variable ${found.name} must be 'gzip' or 'none', got ${describe(found.value)}.`);
  }
  return found.value;
}

/**
 * The OTLP settings from the `OTEL_EXPORTER_OTLP_*` variables, when spans are to go over OTLP:
 * - `reporter.otlpEndpoint` in the config: OTLP, to that URL; the variables fill in what the config leaves out;
 * - another destination in the config (collectorEndpoint, agent): not OTLP, the variables are not read;
 * - else an `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT`: OTLP, unless a `JAEGER_*` variable says where spans go
 *   (JAEGER_ENDPOINT, JAEGER_AGENT_HOST/PORT...), which wins, with a warning: a Jaeger library's own variables
 *   were set for it, while OTEL_* ones are often set for every process of a host or cluster.
 * Returns undefined when spans do not go over OTLP. A variable read but unusable is a TracerConfigError naming
 * it; variables not read are not checked, so a platform's OTEL_EXPORTER_OTLP_PROTOCOL=grpc does not stop an
 * app that sends Thrift.
 */
export function otlpFromEnvironment(
  configured: ConfiguredDestination,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void = warnOnce,
): OtlpSettings | undefined {
  let otlpEndpoint = configured.otlpEndpoint;
  if (otlpEndpoint === undefined) {
    const configuredElsewhere = configured.collectorEndpoint !== undefined || configured.agentHost !== undefined || configured.agentPort !== undefined;
    if (configuredElsewhere) return undefined;
    const found = signalVariable(env, 'ENDPOINT');
    if (found === undefined) return undefined;
    const jaegerVariable = JAEGER_DESTINATIONS.find((name) => text(env[name]) !== undefined);
    if (jaegerVariable !== undefined) {
      warn(`${found.name} is ignored: ${jaegerVariable} is set, and Jaeger's variables win over OpenTelemetry's. Unset one of them.`);
      return undefined;
    }
    otlpEndpoint = endpointFrom(env)!.url;
  }
  protocolCheck(env);
  const headers = signalVariable(env, 'HEADERS');
  return {
    otlpEndpoint,
    headers: headers === undefined ? undefined : parseOtlpHeaders(headers.name, headers.value),
    timeoutMs: timeoutFrom(env),
    compression: compressionFrom(env),
  };
}

/**
 * `merged` (the config's reporter settings completed from the JAEGER_* variables) sent over OTLP when
 * otlpFromEnvironment says so: the OTLP settings added (the config's first), the other destinations taken out.
 */
export function withOtlpEnvironment<S extends ConfiguredDestination & OtlpSettings & { agentSocketType?: unknown }>(
  configured: S | undefined,
  merged: S,
  env: NodeJS.ProcessEnv,
): S {
  const otlp = otlpFromEnvironment(configured ?? {}, env);
  if (otlp === undefined) return merged;
  const settings: S = { ...merged, otlpEndpoint: otlp.otlpEndpoint };
  // Over OTLP, JAEGER_ENDPOINT and the agent's variables name no destination.
  delete settings.collectorEndpoint;
  delete settings.agentHost;
  delete settings.agentPort;
  delete settings.agentSocketType;
  const timeoutMs = configured?.timeoutMs ?? otlp.timeoutMs ?? merged.timeoutMs;
  const headers = configured?.headers ?? otlp.headers;
  const compression = configured?.compression ?? otlp.compression;
  if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
  if (headers !== undefined) settings.headers = headers;
  if (compression !== undefined) settings.compression = compression;
  return settings;
}

const said = new Set<string>();

function warnOnce(message: string): void {
  if (said.has(message)) return;
  said.add(message);
  process.emitWarning(`jaeger-decorators: ${message}`, 'TracingWarning');
}
