import { resolvePropagation, type PropagationSettings } from '../propagation/propagation-settings';
import type { JaegerClientConfig } from './jaeger-client-config';
import { OWN_REPORTER_KEYS, resolveReporterOptions, withReporterOptionsEnvironment, type ResolvedReporterOptions } from './reporter-options';
import {
  TracerConfigError,
  checkBoolean,
  checkHostPort,
  checkHttpUrl,
  checkKnownKeys,
  checkNumberInRange,
  checkObject,
  checkPort,
  checkString,
  describe,
  checkTimerMs,
  checkTimerMsText,
} from '../internal/config-checks';

export interface ResolvedConfig {
  jaegerConfig: JaegerClientConfig;
  /** Our reporter's own options (headers, TLS, compression, queue, retry), which jaeger-client must not see. */
  reporterOptions: ResolvedReporterOptions;
  /** Which headers carry the trace context in and out. */
  propagation: PropagationSettings;
  /** Whether new traces get 128-bit ids (`generate_128bit_trace_id`, else `JAEGER_TRACEID_128BIT`). */
  traceId128bit: boolean | undefined;
  /** Ports that look like a mistake, for a warning (not an error: a remapped port is legitimate). */
  warnings: string[];
}

const TOP_KEYS = [
  'sampler',
  'local_agent',
  'logging',
  'trace_id_header',
  'inject_headers',
  'baggage_header_prefix',
  'generate_128bit_trace_id',
  'reporter',
  'throttler',
  'disable',
] as const;
const TOP_HINTS: Record<string, string> = {
  collectorEndpoint: 'reporter.collectorEndpoint',
  agentHost: 'reporter.agentHost',
  agentPort: 'reporter.agentPort',
  logSpans: 'reporter.logSpans',
  serviceName: "initTracer's first argument",
  localAgent: 'local_agent',
  traceIdHeader: 'trace_id_header',
  injectHeaders: 'inject_headers',
  traceId128bit: "initTracer's third argument (options.traceId128bit), or generate_128bit_trace_id",
  enabled: 'disable',
};
const SAMPLER_KEYS = ['type', 'param', 'hostPort', 'host', 'port', 'samplingPath', 'refreshIntervalMs'] as const;
const SAMPLER_TYPES = ['const', 'probabilistic', 'ratelimiting', 'remote'] as const;
const LOCAL_AGENT_KEYS = ['reporting_host', 'reporting_port', 'sampling_port'] as const;
const REPORTER_KEYS = [
  'logSpans',
  'agentHost',
  'agentPort',
  'agentSocketType',
  'collectorEndpoint',
  'otlpEndpoint',
  'username',
  'password',
  'flushIntervalMs',
  'timeoutMs',
  ...OWN_REPORTER_KEYS,
] as const;
const THROTTLER_KEYS = ['host', 'port', 'refreshIntervalMs'] as const;

function samplerParam(type: string, param: unknown, key = 'config.sampler.param'): number {
  switch (type) {
    case 'const':
      if (param === true || param === 1) return 1;
      if (param === false || param === 0) return 0;
      throw new TracerConfigError(`${key} must be 1 or 0 (or true/false) for a const sampler, got ${describe(param)}.`);
    case 'probabilistic':
      return checkNumberInRange(key, param, 0, 1, 'a probability from 0 to 1 for a probabilistic sampler');
    case 'ratelimiting':
      return checkNumberInRange(key, param, 0, Number.MAX_SAFE_INTEGER, 'traces per second (a number >= 0) for a ratelimiting sampler');
    default: // remote: the probability used until the first strategy is fetched
      return param === undefined ? 0.001 : checkNumberInRange(key, param, 0, 1, 'an initial probability from 0 to 1 for a remote sampler');
  }
}

function resolveSampler(raw: unknown, localAgent: Record<string, unknown> | undefined): Record<string, unknown> {
  const sampler = checkObject('config.sampler', raw);
  checkKnownKeys('config.sampler', sampler, SAMPLER_KEYS);
  const type = sampler.type;
  if (!SAMPLER_TYPES.includes(type as (typeof SAMPLER_TYPES)[number])) {
    throw new TracerConfigError(`config.sampler.type must be one of ${SAMPLER_TYPES.join(', ')}, got ${describe(type)}.`);
  }
  const resolved: Record<string, unknown> = { type, param: samplerParam(type as string, sampler.param) };
  if (sampler.hostPort !== undefined) resolved.hostPort = checkHostPort('config.sampler.hostPort', sampler.hostPort);
  if (sampler.host !== undefined) resolved.host = checkString('config.sampler.host', sampler.host);
  if (sampler.port !== undefined) resolved.port = checkPort('config.sampler.port', sampler.port);
  if (sampler.samplingPath !== undefined) resolved.samplingPath = checkString('config.sampler.samplingPath', sampler.samplingPath);
  if (sampler.refreshIntervalMs !== undefined) {
    // A timer's range: Node fires a longer one after 1 ms, and the sampler polled its server without pause.
    resolved.refreshIntervalMs = checkTimerMs('config.sampler.refreshIntervalMs', sampler.refreshIntervalMs);
  }
  // The seed (like Python's jaeger_client) asks the remote sampler on the agent's host at local_agent.sampling_port.
  if (localAgent?.sampling_port !== undefined && resolved.port === undefined && resolved.hostPort === undefined) {
    resolved.port = checkPort('config.local_agent.sampling_port', localAgent.sampling_port);
  }
  if (localAgent?.reporting_host !== undefined && resolved.host === undefined && resolved.hostPort === undefined) {
    resolved.host = localAgent.reporting_host;
  }
  return resolved;
}

/** The UDP socket the agent is reached over: jaeger-client's `agentSocketType`. */
function checkSocketType(key: string, value: unknown): 'udp4' | 'udp6' {
  if (value !== 'udp4' && value !== 'udp6') throw new TracerConfigError(`${key} must be 'udp4' or 'udp6', got ${describe(value)}.`);
  return value;
}

function resolveReporter(
  raw: unknown,
  localAgent: Record<string, unknown> | undefined,
  logging: boolean,
  own: { options: ResolvedReporterOptions },
): Record<string, unknown> | undefined {
  const resolved: Record<string, unknown> = {};
  if (raw !== undefined) {
    const reporter = checkObject('config.reporter', raw);
    checkKnownKeys('config.reporter', reporter, REPORTER_KEYS);
    own.options = resolveReporterOptions(reporter);
    if (reporter.logSpans !== undefined) resolved.logSpans = checkBoolean('config.reporter.logSpans', reporter.logSpans);
    if (reporter.agentHost !== undefined) resolved.agentHost = checkString('config.reporter.agentHost', reporter.agentHost);
    if (reporter.agentPort !== undefined) resolved.agentPort = checkPort('config.reporter.agentPort', reporter.agentPort);
    if (reporter.agentSocketType !== undefined) resolved.agentSocketType = checkSocketType('config.reporter.agentSocketType', reporter.agentSocketType);
    if (reporter.collectorEndpoint !== undefined) resolved.collectorEndpoint = checkHttpUrl('config.reporter.collectorEndpoint', reporter.collectorEndpoint);
    if (reporter.otlpEndpoint !== undefined) resolved.otlpEndpoint = checkHttpUrl('config.reporter.otlpEndpoint', reporter.otlpEndpoint);
    if (reporter.username !== undefined) resolved.username = checkString('config.reporter.username', reporter.username);
    if (reporter.password !== undefined) resolved.password = checkString('config.reporter.password', reporter.password);
    if (reporter.flushIntervalMs !== undefined) resolved.flushIntervalMs = checkTimerMs('config.reporter.flushIntervalMs', reporter.flushIntervalMs);
    if (reporter.timeoutMs !== undefined) resolved.timeoutMs = checkTimerMs('config.reporter.timeoutMs', reporter.timeoutMs);
  }
  if (localAgent?.reporting_host !== undefined) {
    if (resolved.agentHost !== undefined) {
      throw new TracerConfigError('config.local_agent.reporting_host and config.reporter.agentHost both set the agent host; keep one.');
    }
    resolved.agentHost = localAgent.reporting_host;
  }
  if (localAgent?.reporting_port !== undefined) {
    if (resolved.agentPort !== undefined) {
      throw new TracerConfigError('config.local_agent.reporting_port and config.reporter.agentPort both set the agent port; keep one.');
    }
    resolved.agentPort = localAgent.reporting_port;
  }
  if (resolved.otlpEndpoint !== undefined) checkOneDestination(raw as Record<string, unknown> | undefined, localAgent);
  if (logging) resolved.logSpans = true;
  return Object.keys(resolved).length === 0 ? undefined : resolved;
}

/** With `reporter.otlpEndpoint`, no other key may say where spans go: which one wins would be a guess. */
function checkOneDestination(reporter: Record<string, unknown> | undefined, localAgent: Record<string, unknown> | undefined): void {
  const others: Array<[string, unknown]> = [
    ['config.reporter.collectorEndpoint', reporter?.collectorEndpoint],
    ['config.reporter.agentHost', reporter?.agentHost],
    ['config.reporter.agentPort', reporter?.agentPort],
    ['config.local_agent.reporting_host', localAgent?.reporting_host],
    ['config.local_agent.reporting_port', localAgent?.reporting_port],
  ];
  const other = others.find(([, value]) => value !== undefined);
  if (other !== undefined) {
    throw new TracerConfigError(`config.reporter.otlpEndpoint and ${other[0]} both say where spans go; keep one.`);
  }
}

function resolveLocalAgent(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  const localAgent = checkObject('config.local_agent', raw);
  checkKnownKeys('config.local_agent', localAgent, LOCAL_AGENT_KEYS);
  const resolved: Record<string, unknown> = {};
  if (localAgent.reporting_host !== undefined) resolved.reporting_host = checkString('config.local_agent.reporting_host', localAgent.reporting_host);
  if (localAgent.reporting_port !== undefined) resolved.reporting_port = checkPort('config.local_agent.reporting_port', localAgent.reporting_port);
  if (localAgent.sampling_port !== undefined) resolved.sampling_port = checkPort('config.local_agent.sampling_port', localAgent.sampling_port);
  return resolved;
}

function resolveThrottler(raw: unknown): Record<string, unknown> {
  const throttler = checkObject('config.throttler', raw);
  checkKnownKeys('config.throttler', throttler, THROTTLER_KEYS);
  const resolved: Record<string, unknown> = {};
  if (throttler.host !== undefined) resolved.host = checkString('config.throttler.host', throttler.host);
  if (throttler.port !== undefined) resolved.port = checkPort('config.throttler.port', throttler.port);
  if (throttler.refreshIntervalMs !== undefined) {
    resolved.refreshIntervalMs = checkTimerMs('config.throttler.refreshIntervalMs', throttler.refreshIntervalMs);
  }
  return resolved;
}

// jaeger-client reads these when the config leaves the matching key out, and silently ignores a bad value.
const ENV_CHECKS: Array<{
  name: string;
  appliesWhen: (config: JaegerClientConfig) => boolean;
  check: (key: string, value: string, env: NodeJS.ProcessEnv) => unknown;
}> = [
  {
    name: 'JAEGER_SAMPLER_TYPE',
    appliesWhen: (c) => c.sampler === undefined,
    check: (key, value) => {
      if (!SAMPLER_TYPES.includes(value as (typeof SAMPLER_TYPES)[number])) {
        throw new TracerConfigError(`${key} must be one of ${SAMPLER_TYPES.join(', ')}, got ${describe(value)}.`);
      }
    },
  },
  {
    name: 'JAEGER_SAMPLER_PARAM',
    appliesWhen: (c) => c.sampler === undefined,
    check: (key, value, env) => {
      if (value.trim() === '' || Number.isNaN(Number(value))) throw new TracerConfigError(`${key} must be a number, got ${describe(value)}.`);
      // As the config's param is checked for its type: a const sampler's 0.5 sampled nothing, without a word.
      const type = env.JAEGER_SAMPLER_TYPE;
      if (type !== undefined && SAMPLER_TYPES.includes(type as (typeof SAMPLER_TYPES)[number])) samplerParam(type, Number(value), key);
    },
  },
  { name: 'JAEGER_SAMPLER_PORT', appliesWhen: (c) => c.sampler?.port === undefined, check: checkPort },
  { name: 'JAEGER_AGENT_PORT', appliesWhen: (c) => c.reporter?.agentPort === undefined, check: checkPort },
  { name: 'JAEGER_REPORTER_AGENT_PORT', appliesWhen: (c) => c.reporter?.agentPort === undefined, check: checkPort },
  { name: 'JAEGER_REPORTER_TIMEOUT', appliesWhen: (c) => c.reporter?.timeoutMs === undefined, check: checkTimerMsText },
  { name: 'JAEGER_REPORTER_FLUSH_INTERVAL', appliesWhen: (c) => c.reporter?.flushIntervalMs === undefined, check: checkTimerMsText },
  { name: 'JAEGER_AGENT_SOCKET_TYPE', appliesWhen: (c) => c.reporter?.agentSocketType === undefined, check: checkSocketType },
  { name: 'JAEGER_ENDPOINT', appliesWhen: (c) => c.reporter?.collectorEndpoint === undefined, check: checkHttpUrl },
  { name: 'JAEGER_REPORTER_ENDPOINT', appliesWhen: (c) => c.reporter?.collectorEndpoint === undefined, check: checkHttpUrl },
];

function checkEnvironment(config: JaegerClientConfig, env: NodeJS.ProcessEnv): void {
  for (const { name, appliesWhen, check } of ENV_CHECKS) {
    const value = env[name];
    if (value !== undefined && value !== '' && appliesWhen(config)) check(`environment variable ${name}`, value, env);
  }
  // jaeger-client takes a sampler type from the environment without a param, and throws its own words later.
  const type = env.JAEGER_SAMPLER_TYPE;
  if (config.sampler === undefined && type !== undefined && type !== '' && (env.JAEGER_SAMPLER_PARAM ?? '') === '') {
    throw new TracerConfigError(
      `environment variable JAEGER_SAMPLER_TYPE is ${describe(type)}, and JAEGER_SAMPLER_PARAM is not set: jaeger-client needs it (${type === 'remote' ? 'the probability used until the first strategy is fetched, e.g. 0.001' : type === 'const' ? '1 or 0' : 'a number'}).`,
    );
  }
}

/**
 * JAEGER_TAGS as jaeger-client reads it when `options.tags` is not given: `key=value` pairs, comma separated, a
 * value `${VARIABLE:default}` taken from the environment. An entry without `=` crashed jaeger-client.
 */
export function checkJaegerTagsEnvironment(value: string | undefined): void {
  if (value === undefined || value === '') return;
  const bad = value.split(',').find((entry) => !entry.includes('=') || entry.split('=')[0].trim() === '');
  if (bad !== undefined) {
    throw new TracerConfigError(
      `environment variable JAEGER_TAGS must be key=value pairs separated by commas, got the entry ${describe(bad)} in ${describe(value)}.`,
    );
  }
}

// Python's jaeger_client reads `generate_128bit_trace_id`, else JAEGER_TRACEID_128BIT=true; so do we.
function resolveTraceId128bit(raw: unknown, env: NodeJS.ProcessEnv): boolean | undefined {
  if (raw !== undefined) return checkBoolean('config.generate_128bit_trace_id', raw);
  const fromEnv = env.JAEGER_TRACEID_128BIT;
  if (fromEnv === undefined || fromEnv === '') return undefined;
  if (fromEnv !== 'true' && fromEnv !== 'false') {
    throw new TracerConfigError(`environment variable JAEGER_TRACEID_128BIT must be 'true' or 'false', got ${describe(fromEnv)}.`);
  }
  return fromEnv === 'true';
}

/**
 * jaeger-client's own config object names the service in it: one passed as it is, naming the same service as
 * the first argument, is taken; naming another, it is an error, not a guess.
 */
function withoutRepeatedServiceName(config: Record<string, unknown>, name: string): Record<string, unknown> {
  if (config.serviceName === undefined) return config;
  if (config.serviceName !== name) {
    throw new TracerConfigError(
      `config.serviceName is ${describe(config.serviceName)}, but initTracer's first argument names the service ${describe(name)}; drop config.serviceName or make them the same.`,
    );
  }
  const { serviceName: _repeated, ...rest } = config;
  return rest;
}

/**
 * Validates a user's config (seed keys and jaeger-client keys) and turns it into jaeger-client's config.
 * Throws a TracerConfigError naming the first key at fault.
 */
export function toJaegerConfig(serviceName: unknown, rawConfig: unknown, env: NodeJS.ProcessEnv): ResolvedConfig {
  const name = checkString('serviceName (the first argument)', serviceName);
  const config = withoutRepeatedServiceName(checkObject('config', rawConfig ?? {}), name);
  checkKnownKeys('config', config, TOP_KEYS, TOP_HINTS);

  const localAgent = resolveLocalAgent(config.local_agent);
  const logging = config.logging === undefined ? false : checkBoolean('config.logging', config.logging);
  const jaegerConfig: JaegerClientConfig = { serviceName: name };
  if (config.disable !== undefined) jaegerConfig.disable = checkBoolean('config.disable', config.disable);
  if (config.sampler !== undefined) jaegerConfig.sampler = resolveSampler(config.sampler, localAgent);
  const own = { options: {} as ResolvedReporterOptions };
  const reporter = resolveReporter(config.reporter, localAgent, logging, own);
  const reporterOptions = withReporterOptionsEnvironment(own.options, env);
  if (reporter !== undefined) jaegerConfig.reporter = reporter;
  if (config.throttler !== undefined) jaegerConfig.throttler = resolveThrottler(config.throttler);
  const warnings: string[] = [];
  const propagation = resolvePropagation(config, warnings);
  const traceId128bit = resolveTraceId128bit(config.generate_128bit_trace_id, env);

  checkEnvironment(jaegerConfig, env);

  const agentPort = reporter?.agentPort ?? env.JAEGER_AGENT_PORT ?? env.JAEGER_REPORTER_AGENT_PORT;
  if (Number(agentPort) === 6831 && reporter?.collectorEndpoint === undefined && reporter?.otlpEndpoint === undefined) {
    warnings.push(
      'the agent port is 6831, where Jaeger expects the compact Thrift protocol that Python clients send; ' +
        'jaeger-client (Node) sends binary Thrift, which Jaeger receives on 6832. Spans sent to 6831 are dropped.',
    );
  }
  return { jaegerConfig, reporterOptions, propagation, traceId128bit, warnings };
}
