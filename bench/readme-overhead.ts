// The README's "Overhead" section, written from the same run as bench/RESULTS.md (never by hand).
import fs from 'node:fs';

/** The figures the README quotes, taken from one full `npm run bench` run. */
export interface OverheadFacts {
  date: string;
  machine: string;
  plainNs: number;
  unsampledSpanNs: number;
  sampledNoopMeanNs: number;
  oursUdpMeanNs: number;
  oursHttpMeanNs: number;
  theirsUdpMeanNs: number;
  otelOtlpMeanNs: number;
  otelUnsampledNs: number;
  encodeOursNs: number;
  encodeTheirsNs: number;
  sendOursUdpNs: number;
  sendTheirsUdpNs: number;
  sendOursHttpCpuNs: number;
  sendTheirsHttpCpuNs: number;
  http: Record<string, { share: number; cpuShare: number }>;
  placement: string;
  deliveredHttp: number;
  deliveredUdp: number;
  deliveredUdpTheirs: number;
  deliveredUdpTuned: number;
  /** The OpenTelemetry bridge (case 5): per call, and per pg query. */
  otel: {
    sampledSpanNs: number;
    activeSpanNs: number;
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

const pct = (ratio: number) => `${(100 * ratio).toFixed(0)} %`;
const pct1 = (ratio: number) => `${(100 * ratio).toFixed(1)} %`;
const ns = (value: number) => `${value >= 1000 ? value.toFixed(0) : value.toFixed(1)} ns`;
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

export function overheadSection(f: OverheadFacts): string {
  const h = f.http;
  return [
    '## Overhead',
    '',
    `\`npm run bench\` measures it side by side and writes [bench/RESULTS.md](bench/RESULTS.md) and this section from the same run (${f.date}, ${f.machine}); figures from one run on a shared 2-core machine, where other work comes and goes: the HTTP ratios in particular moved by tens of points between runs (RESULTS.md shows each round).`,
    '',
    `- **Reporting, off the request path.** Finishing a span only puts it in a queue. The reporter encodes batches later, a bounded stretch of work per turn of the event loop, with an encoder written for Jaeger's span struct, and sends them over the same UDP and HTTP endpoints as jaeger-client. Encoding a typical request span costs ${ns(f.encodeOursNs)} against ${ns(f.encodeTheirsNs)} for jaeger-client's thriftrw path; encoding and sending it takes ${ns(f.sendOursUdpNs)} of CPU over UDP against ${ns(f.sendTheirsUdpNs)} for jaeger-client's reporter (${times(f.sendOursUdpNs, f.sendTheirsUdpNs)}), and ${ns(f.sendOursHttpCpuNs)} over HTTP against ${ns(f.sendTheirsHttpCpuNs)} (${times(f.sendOursHttpCpuNs, f.sendTheirsHttpCpuNs)}).`,
    `- **Per call.** A sampled \`@Span\` costs ${ns(f.oursUdpMeanNs)} on average with the UDP reporter, encoding and sending included (${ns(f.oursHttpMeanNs)} over HTTP, where a batch waits for the collector's answer), against ${ns(f.theirsUdpMeanNs)} with jaeger-client's own reporter and ${ns(f.otelOtlpMeanNs)} for OpenTelemetry's sampled \`startActiveSpan\` exporting over OTLP/HTTP; with a no-op reporter it costs ${ns(f.sampledNoopMeanNs)}. Inside an unsampled trace \`@Span\` creates no span and costs ${ns(f.unsampledSpanNs)}, ${times(f.unsampledSpanNs, f.plainNs)} a plain call of ${ns(f.plainNs)} (OpenTelemetry unsampled: ${ns(f.otelUnsampledNs)}).`,
    `- **Per request** (routing-controllers + Express, one \`@Span\` service call; ${f.placement.charAt(0).toLowerCase()}${f.placement.slice(1).replace(/\.$/, '')}): with 100 % sampling the middleware keeps ${pct(h.middleware.share)} of the untraced requests per second (${pct(h.middleware.cpuShare)} by CPU time per request) and \`@TracedController\` ${pct(h['traced-controller'].share)} (${pct(h['traced-controller'].cpuShare)}); unsampled, ${pct(h['middleware-unsampled'].share)} (${pct(h['middleware-unsampled'].cpuShare)}) and ${pct(h['traced-controller-unsampled'].share)} (${pct(h['traced-controller-unsampled'].cpuShare)}). OpenTelemetry's http + express instrumentation keeps ${pct(h.opentelemetry.share)} (${pct(h.opentelemetry.cpuShare)}); turning \`AsyncLocalStorage\` on alone keeps ${pct(h['als-only'].share)} (${pct(h['als-only'].cpuShare)}), the floor of any tracer that follows context across \`await\` in Node 20.`,
    `- **OpenTelemetry instrumentations through our tracer** (\`installAllPatches()\`, case 5): a span an instrumentation makes (\`startSpan\` with a kind and two attributes, then \`end\`) costs ${ns(f.otel.clientSpanNs)} against ${ns(f.otel.sampledSpanNs)} for a sampled \`@Span\` (both with a no-op reporter), \`startActiveSpan\` ${ns(f.otel.activeSpanNs)} (${times(f.otel.activeSpanNs, f.otel.sampledSpanNs)}), and ${ns(f.otel.unsampledActiveNs)} inside an unsampled trace. A PostgreSQL query (\`pg\`, \`SELECT $1::int\` on loopback, inside a sampled span) takes ${f.otel.queryOursUs.toFixed(1)} µs traced through our provider against ${f.otel.queryUntracedUs.toFixed(1)} µs untraced and ${f.otel.queryOtelUs.toFixed(1)} µs through the OpenTelemetry SDK (medians; app CPU per query ${f.otel.queryOursCpuUs.toFixed(1)}, ${f.otel.queryUntracedCpuUs.toFixed(1)} and ${f.otel.queryOtelCpuUs.toFixed(1)} µs): each query makes three spans (the \`@Span\` caller, \`pg-pool.connect\`, the query), all reported.`,
    `- **Delivery** of 100,000 spans from one burst into the real Jaeger: ${pct1(f.deliveredHttp)} over HTTP; over UDP ${pct1(f.deliveredUdp)} with Jaeger's default receiver (jaeger-client's own reporter: ${pct1(f.deliveredUdpTheirs)}) and ${pct1(f.deliveredUdpTuned)} with a receiver given a larger socket buffer (see Failure modes). UDP datagrams are paced (16 MB/s) so a burst does not overrun the receiver's default socket buffer; what the reporter cannot hold it drops, counts and reports.`,
    '',
    "Where the time of a traced request goes, by CPU profile of the benchmark app (`bench/apps/http-app.ts` under `--cpu-prof`, autocannon beside it), in shares of the app's CPU: our start of the server span and its bookkeeping about 5 %, reading the trace headers 1.5 %, jaeger-client creating the span and its ids 1.3 to 3 %, following the route Express assigns (a sampled request only) about 2 %, reporting about 2 %, and garbage collection 2 to 3 points above the untraced app's 7 to 8 %. The largest cost is not in any of these: `AsyncLocalStorage`, which every tracer that follows context across `await` needs, turns on promise hooks in Node 20 that slow every promise the framework creates; on its own it cost 7 to 15 % of the throughput in our runs, so an unsampled request cannot keep 95 % while it makes its context active (and it must: its trace id still goes to downstream calls, the trace-id header and the log tokens). Unsampled requests skip everything else that only a recorded span needs (tags, route following, error bookkeeping). See bench/RESULTS.md for the figures of the run.",
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
