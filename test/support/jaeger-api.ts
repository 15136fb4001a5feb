import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';

/** The real Jaeger that test/run-tests.js provides, or undefined when there is none. */
export interface E2EJaeger {
  queryUrl: string;
  collectorUrl: string;
  agentHost: string;
  agentPort: number;
  samplingPort: number;
  /** UDP port for compact Thrift, what Python's jaeger_client sends. */
  compactPort: number;
  /** Base URL of the OTLP/HTTP receiver, what OpenTelemetry sends to. */
  otlpHttpUrl: string;
}

export const jaeger: E2EJaeger | undefined = process.env.E2E_JAEGER_QUERY_URL
  ? {
      queryUrl: process.env.E2E_JAEGER_QUERY_URL,
      collectorUrl: process.env.E2E_JAEGER_COLLECTOR_URL ?? '',
      agentHost: process.env.E2E_JAEGER_AGENT_HOST ?? '127.0.0.1',
      agentPort: Number(process.env.E2E_JAEGER_AGENT_PORT ?? 6832),
      samplingPort: Number(process.env.E2E_JAEGER_SAMPLING_PORT ?? 5778),
      compactPort: Number(process.env.E2E_JAEGER_COMPACT_PORT ?? 6831),
      otlpHttpUrl: process.env.E2E_JAEGER_OTLP_HTTP_URL ?? 'http://127.0.0.1:4318',
    }
  : undefined;

/** The Jaeger, or an error: for code that only runs inside describeWithJaeger. */
export function requireJaeger(): E2EJaeger {
  if (jaeger === undefined) throw new Error('no Jaeger: run the tests with `npm test`');
  return jaeger;
}

/** A suite that needs the real Jaeger: skipped (loudly, by the runner) without one, and failed under CI=true. */
export function describeWithJaeger(name: string, fn: () => void): void {
  if (jaeger === undefined && process.env.CI === 'true') {
    throw new Error(`${name}: CI=true but no Jaeger was provided (E2E_JAEGER_QUERY_URL); run the suite with npm test`);
  }
  describe(name, { skip: jaeger === undefined ? 'no Jaeger available (see the banner above)' : false }, fn);
}

export interface JaegerKeyValue {
  key: string;
  type: string;
  value: unknown;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; traceID: string; spanID: string }>;
  tags: JaegerKeyValue[];
  logs: Array<{ timestamp: number; fields: JaegerKeyValue[] }>;
  processID: string;
  duration: number;
  startTime: number;
  /** What Jaeger changed or doubted about the span, e.g. "Negative duration detected, sanitizing end timestamp". */
  warnings?: string[] | null;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerKeyValue[] }>;
}

/** A service name no other test uses, so queries by service see only this test's traces. */
export function uniqueService(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Trace ids compare equal however many leading zeros each side writes. */
export function sameId(a: string, b: string): boolean {
  return a.replace(/^0+/, '') === b.replace(/^0+/, '');
}

async function getJson(path: string, queryUrl = requireJaeger().queryUrl): Promise<{ data: JaegerTrace[] | null } | undefined> {
  const response = await fetch(`${queryUrl}${path}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Jaeger query ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as { data: JaegerTrace[] | null };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the trace holds at least `spans` spans (Jaeger stores asynchronously), then returns it. */
export async function waitForTrace(traceId: string, { spans = 1, timeoutMs = 10000 } = {}): Promise<JaegerTrace> {
  const deadline = Date.now() + timeoutMs;
  let last: JaegerTrace | undefined;
  for (;;) {
    const body = await getJson(`/api/traces/${traceId}`);
    last = body?.data?.[0];
    if (last !== undefined && last.spans.length >= spans) {
      await sleep(200); // let stragglers land, so a test also sees spans that should not be there
      return (await getJson(`/api/traces/${traceId}`))?.data?.[0] ?? last;
    }
    if (Date.now() > deadline) {
      throw new Error(`trace ${traceId}: expected ${spans} spans in Jaeger, found ${last?.spans.length ?? 0} after ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}

/** The trace as Jaeger's API returns it now, or undefined when Jaeger has none by that id. */
export async function fetchTrace(traceId: string): Promise<JaegerTrace | undefined> {
  return (await getJson(`/api/traces/${traceId}`))?.data?.[0];
}

/**
 * Polls until `ready(trace)` holds for the trace (Jaeger stores asynchronously, and other services flush on
 * their own schedule), then waits `settleMs` for stragglers and returns it as it is then.
 */
export async function waitForTraceWhere(
  traceId: string,
  ready: (trace: JaegerTrace) => boolean,
  { timeoutMs = 30000, settleMs = 0 } = {},
): Promise<JaegerTrace> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const trace = await fetchTrace(traceId);
    if (trace !== undefined && ready(trace)) {
      if (settleMs === 0) return trace;
      await sleep(settleMs);
      return (await fetchTrace(traceId)) ?? trace;
    }
    if (Date.now() > deadline) {
      const seen = trace?.spans.map((span) => `${serviceOf(trace, span)}:${span.operationName}`).join(', ') ?? 'nothing';
      throw new Error(`trace ${traceId} not complete in Jaeger after ${timeoutMs} ms; it holds ${seen}`);
    }
    await sleep(200);
  }
}

/**
 * Every trace of `service` that Jaeger holds (the suite's Jaeger, or the one at `queryUrl`); polls until they
 * hold `minSpans` spans in all.
 */
export async function findTraces(service: string, { minSpans = 1, timeoutMs = 10000, queryUrl = requireJaeger().queryUrl } = {}): Promise<JaegerTrace[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const traces = (await getJson(`/api/traces?service=${encodeURIComponent(service)}&limit=100000&lookback=1h`, queryUrl))?.data ?? [];
    const count = traces.reduce((sum, trace) => sum + trace.spans.length, 0);
    if (count >= minSpans) {
      await sleep(200);
      return (await getJson(`/api/traces?service=${encodeURIComponent(service)}&limit=100000&lookback=1h`, queryUrl))?.data ?? traces;
    }
    if (Date.now() > deadline) throw new Error(`service ${service}: expected ${minSpans} spans in Jaeger, found ${count} after ${timeoutMs} ms`);
    await sleep(150);
  }
}

export function countSpans(traces: JaegerTrace[]): number {
  return traces.reduce((sum, trace) => sum + trace.spans.length, 0);
}

export function tagsOf(span: JaegerSpan): Record<string, unknown> {
  return Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
}

/** The keys a span holds more than once, as Jaeger stored them (tagsOf keeps the last value of each). */
export function keysSetTwice(span: JaegerSpan): string[] {
  const keys = span.tags.map((tag) => tag.key);
  return keys.filter((key, index) => keys.indexOf(key) !== index);
}

export function logsOf(span: JaegerSpan): Array<Record<string, unknown>> {
  return span.logs.map((log) => Object.fromEntries(log.fields.map((field) => [field.key, field.value])));
}

export function parentIdOf(span: JaegerSpan): string | undefined {
  return span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID;
}

export function spanNamed(trace: JaegerTrace, name: string): JaegerSpan {
  const found = trace.spans.filter((span) => span.operationName === name);
  if (found.length !== 1) throw new Error(`expected one span ${name}, found ${found.length} among ${trace.spans.map((s) => s.operationName).join(', ')}`);
  return found[0];
}

export function serviceOf(trace: JaegerTrace, span: JaegerSpan): string {
  return trace.processes[span.processID]?.serviceName ?? '';
}

/** A random id of `bytes` bytes in hex, never starting with 0 (as Jaeger prints ids, without leading zeros). */
export const randomHexId = (bytes: number) => randomBytes(bytes).toString('hex').replace(/^0/, '1');

/** The trace's one server span: a request makes exactly one, whatever else it calls. */
export function serverSpanOf(trace: JaegerTrace): JaegerSpan {
  const servers = trace.spans.filter((span) => tagsOf(span)['span.kind'] === 'server');
  assert.equal(servers.length, 1, `one server span per request, got ${servers.map((span) => span.operationName).join(', ')}`);
  return servers[0];
}
