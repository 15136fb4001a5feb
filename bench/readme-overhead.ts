// The README's "Overhead" section, written from the same run as bench/RESULTS.md (never by hand).
import fs from 'node:fs';
import type { HttpShares } from './cases/http-shares';
import { pct } from './support/markdown';
import { UDP_PACE } from './support/reporting-internals';

/** One outgoing call (case 6) in µs: medians, and what tracing adds over the untraced call. */
export interface ClientCallFacts {
  untracedUs: number;
  oursUs: number;
  /** Traced − untraced: the parent span and the client span. */
  oursAddedUs: number;
  oursAddedCpuUs: number;
  otelAddedUs: number;
  otelAddedCpuUs: number;
  /** Traced − the parent span alone: the client span's own cost. */
  oursClientSpanUs: number;
  otelClientSpanUs: number;
}

/** The figures the README quotes, taken from one full `npm run bench` run. */
export interface OverheadFacts {
  date: string;
  machine: string;
  plainNs: number;
  unsampledSpanNs: number;
  /** The median over the method case's forks of `@Span` in an unsampled trace over the plain call (support/forks). */
  unsampledSpanTimesPlain: number;
  sampledNoopMeanNs: number;
  oursUdpMeanNs: number;
  oursUdpCpuNs: number;
  oursHttpMeanNs: number;
  theirsUdpMeanNs: number;
  otelOtlpMeanNs: number;
  otelOtlpCpuNs: number;
  otelUnsampledNs: number;
  encodeOursNs: number;
  encodeTheirsNs: number;
  sendOursUdpNs: number;
  sendTheirsUdpNs: number;
  sendOursHttpCpuNs: number;
  sendTheirsHttpCpuNs: number;
  /** Each HTTP variant against its framework's floor and its untraced app (case 3). */
  http: Record<string, HttpShares>;
  /** The same on the older Node versions, when they ran. */
  httpOnOtherNodes: { version: string; shares: Record<string, HttpShares> }[];
  placement: string;
  client: { fetch: ClientCallFacts; httpGet: ClientCallFacts };
  deliveredHttp: number;
  deliveredUdp: number;
  deliveredUdpTheirs: number;
  deliveredUdpTuned: number;
  /** The OpenTelemetry bridge (case 5): per call, and per pg query. */
  otel: {
    sampledSpanNs: number;
    activeSpanNs: number;
    /** startActiveSpan's median over the sampled @Span's beside it, fork by fork: the median of those ratios. */
    activeSpanTimesSampled: number;
    clientSpanNs: number;
    unsampledActiveNs: number;
    queryUntracedUs: number;
    queryOursUs: number;
    queryOtelUs: number;
    queryOursCpuUs: number;
    queryOtelCpuUs: number;
    queryUntracedCpuUs: number;
  };
}

const ns = (value: number) => `${value >= 1000 ? value.toFixed(0) : value.toFixed(1)} ns`;
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const us = (value: number, digits = 1) => `${value.toFixed(digits)} µs`;

/**
 * A variant's share of its floor by CPU time per request, what the target judges (to a tenth: a share that rounds
 * to the target may still miss it), its share of requests per second in brackets.
 */
function ofFloor(shares: Record<string, HttpShares>, variant: string): string {
  return `${pct(shares[variant].ofFloorByCpu, 1)} (${pct(shares[variant].ofFloor)})`;
}

function perRequest(f: OverheadFacts): string {
  const h = f.http;
  const others = [...f.httpOnOtherNodes].sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }));
  const onOtherNodes =
    others.length === 0
      ? ''
      : ` On Node ${others.map((run) => run.version).join(' and ')} (bench/RESULTS.md shows them beside the reference) the Express floor keeps ${others.map((run) => pct(run.shares['als-only'].ofUntracedByCpu)).join(' and ')} of untraced, and the unsampled middleware ${others.map((run) => pct(run.shares['middleware-unsampled'].ofFloorByCpu)).join(' and ')} of that Node's floor.`;
  return (
    `- **Per request** (routing-controllers + Express and Koa + @koa/router, one \`@Span\` service call; ${f.placement.charAt(0).toLowerCase()}${f.placement.slice(1).replace(/\.$/, '')}): ` +
    `each framework's floor is its app with one \`AsyncLocalStorage.run\` per request and no tracing, what any tracer that follows context across \`await\` costs at the least; it keeps ${pct(h['als-only'].ofUntracedByCpu)} of the untraced Express app's throughput by CPU time per request, and ${pct(h['koa-als-only'].ofUntracedByCpu)} of Koa's. ` +
    `Against its floor, by CPU time (requests per second in brackets), an unsampled request keeps ${ofFloor(h, 'middleware-unsampled')} with the Express middleware, ${ofFloor(h, 'traced-controller-unsampled')} with \`@TracedController\` and ${ofFloor(h, 'koa-unsampled')} with Koa's middleware (target ≥ 97 %); ` +
    `with 100 % sampling, two spans per request reported over UDP, ${ofFloor(h, 'middleware')}, ${ofFloor(h, 'traced-controller')} and ${ofFloor(h, 'koa')} (target ≥ 90 %). ` +
    `OpenTelemetry's http + express instrumentation keeps ${ofFloor(h, 'opentelemetry')} of the Express floor.${onOtherNodes}`
  );
}

function perOutgoingCall({ fetch, httpGet }: OverheadFacts['client']): string {
  return (
    `- **Per outgoing call** (\`installHttpClientPatches()\`, case 6; one \`fetch\` to a keep-alive server on loopback, body read, made inside a sampled \`@Span\`): ${us(fetch.oursUs)} traced against ${us(fetch.untracedUs)} untraced (medians). ` +
    `Tracing, the \`@Span\` parent and the client span both reported, adds ${us(fetch.oursAddedUs)} (${us(fetch.oursAddedCpuUs)} of CPU) against ${us(fetch.otelAddedUs)} (${us(fetch.otelAddedCpuUs)} of CPU) for OpenTelemetry's undici instrumentation inside \`startActiveSpan\`; the client span's own share is ${us(fetch.oursClientSpanUs)} against ${us(fetch.otelClientSpanUs)}. ` +
    `An \`http.get\` on a keep-alive agent: ${us(httpGet.oursUs)} traced against ${us(httpGet.untracedUs)} untraced, tracing adds ${us(httpGet.oursAddedUs)} (${us(httpGet.oursAddedCpuUs)} of CPU; OpenTelemetry's http instrumentation ${us(httpGet.otelAddedUs)}).`
  );
}

export function overheadSection(f: OverheadFacts): string {
  return [
    '## Overhead',
    '',
    `\`npm run bench\` measures it side by side and writes [bench/RESULTS.md](bench/RESULTS.md) and this section from the same run (${f.date}, ${f.machine}); figures from one run on a shared 2-core machine, where other work comes and goes: the HTTP ratios in particular moved by tens of points between runs (RESULTS.md shows each round).`,
    '',
    `- **Reporting, off the request path.** Finishing a span only puts it in a queue. The reporter encodes batches later, a bounded stretch of work per turn of the event loop, with an encoder written for Jaeger's span struct, and sends them over the same UDP and HTTP endpoints as jaeger-client. Encoding a typical request span costs ${ns(f.encodeOursNs)} against ${ns(f.encodeTheirsNs)} for jaeger-client's thriftrw path; encoding and sending it takes ${ns(f.sendOursUdpNs)} of CPU over UDP against ${ns(f.sendTheirsUdpNs)} for jaeger-client's reporter (${times(f.sendOursUdpNs, f.sendTheirsUdpNs)}), and ${ns(f.sendOursHttpCpuNs)} over HTTP against ${ns(f.sendTheirsHttpCpuNs)} (${times(f.sendOursHttpCpuNs, f.sendTheirsHttpCpuNs)}).`,
    `- **Per call.** A sampled \`@Span\` costs ${ns(f.oursUdpMeanNs)} on average with the UDP reporter, encoding and sending included, most of it the wait for the reporter's pacing in a loop that makes spans far faster than a service does (${ns(f.oursUdpCpuNs)} of CPU; ${ns(f.oursHttpMeanNs)} over HTTP, where a batch waits for the collector's answer), against ${ns(f.theirsUdpMeanNs)} with jaeger-client's own reporter and ${ns(f.otelOtlpMeanNs)} (${ns(f.otelOtlpCpuNs)} of CPU) for OpenTelemetry's sampled \`startActiveSpan\` exporting over OTLP/HTTP; with a no-op reporter it costs ${ns(f.sampledNoopMeanNs)}. Inside an unsampled trace \`@Span\` creates no span and costs ${ns(f.unsampledSpanNs)}, ${f.unsampledSpanTimesPlain.toFixed(2)}× a plain call of ${ns(f.plainNs)} (OpenTelemetry unsampled: ${ns(f.otelUnsampledNs)}).`,
    perRequest(f),
    perOutgoingCall(f.client),
    `- **OpenTelemetry instrumentations through our tracer** (\`installAllPatches()\`, case 5): a span an instrumentation makes (\`startSpan\` with a kind and two attributes, then \`end\`) costs ${ns(f.otel.clientSpanNs)} against ${ns(f.otel.sampledSpanNs)} for a sampled \`@Span\` (both with a no-op reporter), \`startActiveSpan\` ${ns(f.otel.activeSpanNs)} (${f.otel.activeSpanTimesSampled.toFixed(2)}×), and ${ns(f.otel.unsampledActiveNs)} inside an unsampled trace. A PostgreSQL query (\`pg\`, \`SELECT $1::int\` on loopback, inside a sampled span) takes ${f.otel.queryOursUs.toFixed(1)} µs traced through our provider against ${f.otel.queryUntracedUs.toFixed(1)} µs untraced and ${f.otel.queryOtelUs.toFixed(1)} µs through the OpenTelemetry SDK (medians; app CPU per query ${f.otel.queryOursCpuUs.toFixed(1)}, ${f.otel.queryUntracedCpuUs.toFixed(1)} and ${f.otel.queryOtelCpuUs.toFixed(1)} µs): each query makes three spans (the \`@Span\` caller, \`pg-pool.connect\`, the query), all reported.`,
    `- **Delivery** of 100,000 spans from one burst into the real Jaeger: ${pct(f.deliveredHttp, 1)} over HTTP; over UDP ${pct(f.deliveredUdp, 1)} with Jaeger's default receiver (jaeger-client's own reporter: ${pct(f.deliveredUdpTheirs, 1)}) and ${pct(f.deliveredUdpTuned, 1)} with a receiver given a larger socket buffer (see Failure modes). UDP datagrams are paced (${UDP_PACE}) so a burst does not overrun the receiver's default socket buffer; what the reporter cannot hold it drops, counts and reports.`,
    '',
    'Where the time of a traced request goes, what was changed for it and what is left: [bench/RESULTS.md](bench/RESULTS.md), after the HTTP tables. On a host too noisy to time, `npm run bench:instructions -- koa-als-only koa-unsampled koa` counts the instructions a request of each variant takes, under valgrind (bench/instruction-counts.ts); with `BENCH_CACHE_SIM=1` it counts the cache and branch misses too, and with `BENCH_BY_FUNCTION=1` it shows, function by function (JavaScript included, named through the map V8 writes with `--perf-basic-prof`), what each variant adds to the first.',
    '',
    '',
  ].join('\n');
}

/** Replaces the README's `## Overhead` section (up to the next `## ` heading) with `section`. */
export function writeOverheadSection(readmePath: string, section: string): void {
  const readme = fs.readFileSync(readmePath, 'utf8');
  const start = readme.indexOf('\n## Overhead\n');
  if (start < 0) throw new Error(`${readmePath} has no "## Overhead" section`);
  const next = readme.indexOf('\n## ', start + 1);
  fs.writeFileSync(readmePath, `${readme.slice(0, start + 1)}${section}${next < 0 ? '' : readme.slice(next + 1)}`);
}
