import net from 'node:net';
import { CompositeReporter, LoggingReporter } from 'jaeger-client';
import { TracerConfigError } from '../internal/config-checks';
import { sameHost, type OwnEndpoint } from '../internal/own-endpoint';
import { BatchSpanReporter, type BatchReporterHooks } from './batch-span-reporter';
import { HttpCollectorTransport } from './http-collector-transport';
import { withOtlpEnvironment, type OtlpSettings } from './otlp-environment';
import { OtlpHttpTransport } from './otlp-http-transport';
import { startUdpAgentProbe, type UdpAgentProbe } from './udp-agent-probe';
import { UdpAgentTransport } from './udp-agent-transport';
import { reporterSpanCounters, type MetricsFactoryLike } from './reporter-metrics';

/** Our reporter's own settings under `config.reporter`, as the tracer's config checks resolved them. */
export interface ResolvedReporterOptions {
  headers?: Record<string, string>;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean };
  compression?: 'gzip' | 'none';
  maxBatchBytes?: number;
  queue?: { maxSpans?: number; maxBytes?: number };
  retry?: { maxElapsedMs?: number; initialDelayMs?: number; maxDelayMs?: number };
}

/** jaeger-client's reporter keys (`config.reporter`), after validation, and our own (headers, tls, OTLP...). */
export interface ReporterSettings extends ResolvedReporterOptions, OtlpSettings {
  logSpans?: boolean;
  agentHost?: string;
  agentPort?: number;
  agentSocketType?: 'udp4' | 'udp6';
  collectorEndpoint?: string;
  username?: string;
  password?: string;
  flushIntervalMs?: number;
  timeoutMs?: number;
}

const int = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number.parseInt(value, 10));
const text = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
// jaeger-client reads `A || B`: an empty first variable falls through to the second.
const either = (a: string | undefined, b: string | undefined) => text(a) ?? text(b);

/**
 * `settings` completed from the `JAEGER_*` variables for every key it leaves out, as jaeger-client completes
 * its own reporter's (it stops reading them once it is handed a reporter, so this reads them instead), and
 * from the `OTEL_EXPORTER_OTLP_*` ones when spans go over OTLP (see otlpFromEnvironment).
 */
export function withReporterEnvironment(settings: ReporterSettings | undefined, env: NodeJS.ProcessEnv): ReporterSettings {
  const fromEnv: ReporterSettings = {
    logSpans: env.JAEGER_REPORTER_LOG_SPANS === undefined || env.JAEGER_REPORTER_LOG_SPANS === '' ? undefined : env.JAEGER_REPORTER_LOG_SPANS === 'true',
    flushIntervalMs: int(env.JAEGER_REPORTER_FLUSH_INTERVAL),
    collectorEndpoint: either(env.JAEGER_ENDPOINT, env.JAEGER_REPORTER_ENDPOINT),
    username: either(env.JAEGER_USER, env.JAEGER_REPORTER_USER),
    password: either(env.JAEGER_PASSWORD, env.JAEGER_REPORTER_PASSWORD),
    agentHost: either(env.JAEGER_AGENT_HOST, env.JAEGER_REPORTER_AGENT_HOST),
    timeoutMs: int(env.JAEGER_REPORTER_TIMEOUT),
    agentPort: int(either(env.JAEGER_AGENT_PORT, env.JAEGER_REPORTER_AGENT_PORT)),
    agentSocketType: text(env.JAEGER_AGENT_SOCKET_TYPE) as ReporterSettings['agentSocketType'],
  };
  const merged: Record<string, unknown> = {};
  for (const source of [fromEnv, settings ?? {}]) {
    for (const [key, value] of Object.entries(source)) if (value !== undefined) merged[key] = value;
  }
  return withOtlpEnvironment(settings, merged as ReporterSettings, env);
}

/** A jaeger-client reporter: `report`, `setProcess`, `close`. */
export interface JaegerReporter {
  report(span: unknown): void;
  setProcess(serviceName: string, tags: unknown): void;
  close(callback?: () => void): void;
}

/** What the reporter may ask of the tracer's setup, later than it is built. */
export interface ReporterContext {
  /** The agent's sampling endpoint, once jaeger-client has completed its config. */
  samplingEndpoint?: () => OwnEndpoint | undefined;
  /** jaeger-client's metrics factory (`options.metrics`): the reporter keeps `jaeger:reporter_spans` there. */
  metrics?: MetricsFactoryLike;
}

/**
 * The agent's host, without the brackets a URL puts around an IPv6 literal (`[::1]`), and the socket its address
 * needs: an IPv6 literal is reached over `udp6` unless told otherwise. A literal of the other family than the
 * socket type set can never be sent to (Node answers each send EINVAL): refused at once, naming both.
 */
interface AgentAddress {
  host: string;
  port: number;
  socketType: 'udp4' | 'udp6';
}

function agentAddressOf(settings: ReporterSettings): AgentAddress {
  const given = settings.agentHost ?? 'localhost';
  const host = given.startsWith('[') && given.endsWith(']') ? given.slice(1, -1) : given;
  const socketType = settings.agentSocketType ?? (net.isIPv6(host) ? 'udp6' : 'udp4');
  if ((socketType === 'udp4' && net.isIPv6(host)) || (socketType === 'udp6' && net.isIPv4(host)))
    throw new TracerConfigError(
      `the agent host ${host} is an IPv${socketType === 'udp4' ? 6 : 4} address, but the agent socket type is '${socketType}'; leave agentSocketType (JAEGER_AGENT_SOCKET_TYPE) unset, or set it to '${socketType === 'udp4' ? 'udp6' : 'udp4'}'.`,
    );
  return { host, port: settings.agentPort ?? 6832, socketType };
}

/**
 * Over UDP, nothing says that no agent listens: after the first batch is sent, an agent probe (see
 * udp-agent-probe) asks, and asks again at most every 10 s after later sends.
 */
function udpAgentProbeHooks(agent: AgentAddress, context: ReporterContext, emptyBatch: () => Buffer | undefined): BatchReporterHooks {
  let probe: UdpAgentProbe | undefined;
  const { host, port, socketType } = agent;
  return {
    delivered() {
      if (probe !== undefined) return probe.check();
      const datagram = emptyBatch();
      if (datagram === undefined) return;
      const sampling = context.samplingEndpoint?.();
      const samplingPort = sampling !== undefined && sameHost(sampling.hostname, host) ? sampling.port : undefined;
      probe = startUdpAgentProbe({ host, port, socketType, samplingPort, probe: datagram }, (message) =>
        process.emitWarning(`jaeger-decorators: ${message}`, 'TracingWarning'),
      );
    },
    closed() {
      probe?.close();
    },
  };
}

/**
 * The reporter initTracer() gives jaeger-client: a BatchSpanReporter sending OTLP when `otlpEndpoint` is set,
 * else to the collector when `collectorEndpoint` is set, else to the agent over UDP (default
 * localhost:6832), as jaeger-client would have; with `logSpans`, jaeger-client's LoggingReporter beside it.
 */
export function createSpanReporter(
  settings: ReporterSettings,
  logger: { info(message: string): void; error(message: string): void },
  context: ReporterContext = {},
): JaegerReporter {
  const limits = {
    flushIntervalMs: settings.flushIntervalMs,
    maxQueueSpans: settings.queue?.maxSpans,
    maxQueueBytes: settings.queue?.maxBytes,
    retry: settings.retry,
  };
  // What both HTTP destinations (Jaeger's collector, an OTLP receiver) take, besides their URL.
  const http = {
    username: settings.username,
    password: settings.password,
    timeoutMs: settings.timeoutMs,
    headers: settings.headers,
    tls: settings.tls,
    compression: settings.compression,
    maxBatchBytes: settings.maxBatchBytes,
  };
  const counted = context.metrics === undefined ? {} : { counted: reporterSpanCounters(context.metrics) };
  let reporter: BatchSpanReporter;
  if (settings.otlpEndpoint !== undefined) {
    reporter = new BatchSpanReporter(new OtlpHttpTransport({ endpoint: settings.otlpEndpoint, ...http }), limits, counted);
  } else if (settings.collectorEndpoint !== undefined) {
    reporter = new BatchSpanReporter(new HttpCollectorTransport({ endpoint: settings.collectorEndpoint, ...http }), limits, counted);
  } else {
    const agent = agentAddressOf(settings);
    reporter = new BatchSpanReporter(new UdpAgentTransport(agent), limits, {
      ...udpAgentProbeHooks(agent, context, () => reporter.emptyBatch()),
      ...counted,
    });
  }
  return settings.logSpans === true ? new CompositeReporter([new LoggingReporter(logger), reporter]) : reporter;
}
