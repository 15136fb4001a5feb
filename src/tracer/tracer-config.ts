import type { Span, Tracer } from 'opentracing';

/** Sampler settings; the Python seed's `{type, param}` plus jaeger-client's remote-sampler keys. */
export interface SamplerConfig {
  /** `const` (param 1 or 0), `probabilistic` (param 0..1), `ratelimiting` (param traces/second), `remote`. */
  type: 'const' | 'probabilistic' | 'ratelimiting' | 'remote';
  /** See `type`. For `remote`, the probability used until the first strategy arrives (default 0.001). */
  param?: number | boolean;
  /** Remote sampler: the sampling server as `host:port`, or `host` and `port`. Default: localhost:5778. */
  hostPort?: string;
  host?: string;
  port?: number | string;
  samplingPath?: string;
  refreshIntervalMs?: number;
}

/** Where the Jaeger agent (or Jaeger v2's UDP receiver) listens, as the Python seed writes it. */
export interface LocalAgentConfig {
  /** Default: localhost. */
  reporting_host?: string;
  /** UDP port for jaeger-client's binary Thrift. Default: 6832 (6831 takes the compact protocol Python uses). */
  reporting_port?: number | string;
  /** Port of the remote sampler's HTTP endpoint on `reporting_host`. Default: 5778. */
  sampling_port?: number | string;
}

/** TLS for an `https` collector. PEM text or a Buffer (any Uint8Array: the declaration needs no Node types) is used as it is; any other string is a PEM file's path, read at initTracer(). */
export interface ReporterTlsConfig {
  /** Certificate authorities to trust for the collector (instead of Node's defaults). */
  ca?: string | Uint8Array;
  /** Client certificate, for a collector that asks for one (mutual TLS); needs `key`. */
  cert?: string | Uint8Array;
  key?: string | Uint8Array;
  /** Default: true. false accepts any certificate: for tests only. */
  rejectUnauthorized?: boolean;
}

/**
 * Reporter settings: jaeger-client's own (camelCase), which keep their meaning, and the HTTP collector's
 * delivery options (`headers`, `tls`, `compression`, `queue`, `retry`).
 */
export interface ReporterConfig {
  logSpans?: boolean;
  agentHost?: string;
  agentPort?: number | string;
  agentSocketType?: 'udp4' | 'udp6';
  /** Jaeger's HTTP collector, e.g. `http://localhost:14268/api/traces`; when set, spans go over HTTP. */
  collectorEndpoint?: string;
  /**
   * An OTLP/HTTP receiver's traces URL, e.g. Jaeger v2's or an OpenTelemetry Collector's
   * `http://localhost:4318/v1/traces`; when set, spans go there as OTLP (protobuf). It may not be set with
   * `collectorEndpoint` or an agent host or port. Without it, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
   * `OTEL_EXPORTER_OTLP_ENDPOINT` (plus `/v1/traces`) is used when no `JAEGER_*` variable names a destination.
   */
  otlpEndpoint?: string;
  /** Basic auth for the collector. An `authorization` header in `headers` wins over it. */
  username?: string;
  password?: string;
  flushIntervalMs?: number;
  /** Longest a request to the collector may go unanswered before it is aborted and retried, in ms. Default: 5000. */
  timeoutMs?: number;
  /**
   * Headers sent with every batch to the collector, e.g. `{ Authorization: 'Bearer ...' }` or an API-key
   * header. Default: `Authorization: Bearer $JAEGER_AUTH_TOKEN` when that variable is set. Values never
   * appear in warnings or errors.
   */
  headers?: Record<string, string>;
  tls?: ReporterTlsConfig;
  /** Compression of batches posted to the collector. Default: 'gzip' (Jaeger's /api/traces accepts it). */
  compression?: 'gzip' | 'none';
  /**
   * The largest batch posted to a collector or OTLP receiver, in bytes before compression (16 KiB to 4 MiB).
   * Default: 512 KiB. Lower it below a proxy's request size limit that answers 413.
   */
  maxBatchBytes?: number;
  /**
   * What is kept while the collector cannot be reached. Past either limit the oldest spans are dropped,
   * counted and said. Defaults: 100,000 spans, 32 MiB (about 20 s at 5,000 spans/s of typical request spans).
   */
  queue?: { maxSpans?: number; maxBytes?: number };
  /**
   * Retries of a batch that failed for a reason worth another try (refused or reset connection, timeout,
   * HTTP 408, 429, 5xx; a `Retry-After` is honoured): exponential backoff with full jitter from
   * `initialDelayMs` (250) to `maxDelayMs` (5000), for `maxElapsedMs` (60,000) at most per batch.
   */
  retry?: { maxElapsedMs?: number; initialDelayMs?: number; maxDelayMs?: number };
}

export interface ThrottlerConfig {
  host?: string;
  port?: number | string;
  refreshIntervalMs?: number;
}

/**
 * Tracer configuration: the Python seed's keys (`sampler`, `local_agent`, `logging`, `trace_id_header`, and
 * Python jaeger_client's `baggage_header_prefix`, `generate_128bit_trace_id`)
 * and jaeger-client's own (`reporter`, `throttler`, `disable`) may be mixed. What is set here wins over the
 * `JAEGER_*` environment variables, which win over jaeger-client's defaults.
 */
export interface TracerConfig {
  sampler?: SamplerConfig;
  local_agent?: LocalAgentConfig;
  /** Log every reported span through the logger (`options.logger`, else the console). Default: false. */
  logging?: boolean;
  /**
   * Header carrying the Jaeger trace context, named as in Python's jaeger_client, which lower-cases it and
   * turns `_` into `-`: the seed's `'trace_id'` is sent and read as `trace-id`. Inbound, every other spelling
   * (`uber-trace-id`, `trace-id`, `trace_id`) and W3C `traceparent` are read too. Default: `uber-trace-id`.
   */
  trace_id_header?: string;
  /**
   * Headers the trace context is sent in on outbound calls, for a fleet that speaks several. `traceparent` means
   * W3C Trace Context (with `tracestate` and W3C `baggage`), for OpenTelemetry services; any other name carries
   * Jaeger's `{trace}:{span}:{parent}:{flags}`, with `uberctx-*` baggage. Default: `trace_id_header` (as Python
   * writes it), `uber-trace-id` and `trace-id`, which Python's jaeger_client reads on its defaults and as the
   * seed configures it.
   */
  inject_headers?: readonly string[];
  /** Prefix of per-item baggage headers, as Python's jaeger_client takes it (`_` becomes `-`). Default: `uberctx-`. */
  baggage_header_prefix?: string;
  /** New traces get 128-bit ids, as Python's key of that name does. Default: `JAEGER_TRACEID_128BIT=true`, else false. */
  generate_128bit_trace_id?: boolean;
  reporter?: ReporterConfig;
  throttler?: ThrottlerConfig;
  /** When true, initTracer() registers a no-op tracer. */
  disable?: boolean;
}

/** A jaeger-client reporter, e.g. its `InMemoryReporter` in tests. */
export interface SpanReporter {
  report(span: Span): void;
  close(callback?: () => void): void;
  setProcess(serviceName: string, tags: unknown): void;
}

export interface TracerLogger {
  info(message: string): void;
  error(message: string): void;
}

export type ExitEvent = 'SIGTERM' | 'SIGINT' | 'beforeExit';

/** Options handed to jaeger-client as they are, plus `closeOnExit`. */
export interface TracerOptions {
  reporter?: SpanReporter;
  logger?: TracerLogger;
  metrics?: unknown;
  /** Process-level tags on every span. */
  tags?: Record<string, unknown>;
  traceId128bit?: boolean;
  shareRpcSpan?: boolean;
  /**
   * Flush and close the tracer when the process is told to stop: `true` means SIGTERM, SIGINT and beforeExit.
   * A signal is re-raised after the flush when no other listener handles it, so the process still exits.
   * Default: false.
   */
  closeOnExit?: boolean | readonly ExitEvent[];
}

export type { Tracer };
