// `npm run bench [method] [reporter] [http] [delivery] [otel] [client] [http-nodes]`: runs the cases (all by
// default), prints their tables and writes bench/RESULTS.md with the date, the machine and the Node version. Never
// edit RESULTS.md by hand. It runs on Node 24, the reference, whatever Node started it (see
// support/reference-node); a full run then runs the HTTP case on Node 20 and 22 too (`http-nodes` asks for
// that alone, with `http`). `run-bench.js http --json FILE` is how that is done: the HTTP case alone, its figures
// written to FILE. BENCH_QUICK=1 shortens the cases for a smoke run (see support/quick).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientCall } from './cases/client-call';
import { delivery, type DeliveryResult } from './cases/delivery';
import { httpOnOtherNodes, otherNodeMajors, type HttpRunOnNode } from './cases/http-on-other-nodes';
import { httpCaseMinutes, httpOverhead, OTHER_NODE_HTTP_SETTINGS } from './cases/http-overhead';
import { httpShares } from './cases/http-shares';
import { methodOverhead, type MethodOverheadResult } from './cases/method-overhead';
import { openTelemetryBridge, type DbCost, type OpenTelemetryBridgeResult } from './cases/opentelemetry-bridge';
import { PACING_WAIT_MS, UNCOMPRESSED_HTTP, UNPACED_CONTROL, reporterCost, type ReporterCostResult } from './cases/reporter-cost';
import { overheadSection, writeOverheadSection, type ClientCallFacts, type OverheadFacts } from './readme-overhead';
import { clientCallAdded, clientCallSection } from './sections/client-call-section';
import { httpOtherNodesSection } from './sections/http-other-nodes-section';
import { httpSection } from './sections/http-section';
import { counted, fmt, table, verdict } from './support/markdown';
import { SIDE_BY_SIDE_ROUNDS, sink, type CallCost } from './support/measure';
import { QUICK } from './support/quick';
import { rerunOnReferenceNode } from './support/reference-node';
import { combineForks, ratioOverForks, runCaseInForks, type ForkedCallCost } from './support/forks';
import { runCaseInOwnProcess } from './support/own-process';
import { nodeLabel, resultsHeader } from './support/results-header';
import { WHERE_TIME_GOES } from './sections/where-time-goes';
import { UDP_MAX_PACKET_BYTES, UDP_PACE } from './support/reporting-internals';

const { ensureJaegerBinary, startJaeger } = require('../../test/jaeger/jaeger.js') as {
  ensureJaegerBinary(options?: { build?: boolean }): string | undefined;
  startJaeger(
    binary: string,
    options: { ports: 'free'; extraConfig?: string },
  ): Promise<{ queryUrl: string; collectorUrl: string; agentHost: string; agentPort: number; stop(): Promise<void> }>;
};

const RESULTS = path.resolve(__dirname, '..', '..', 'bench', 'RESULTS.md');
const TUNED_UDP = path.resolve(__dirname, '..', '..', 'bench', 'jaeger-udp-tuned.yaml');
const README = path.resolve(__dirname, '..', '..', 'README.md');

/** Processes the method case runs in (see support/forks). */
const METHOD_FORKS = QUICK ? 1 : 5;

/** The method case over its forks: each variant's costs combined, and what each fork's reporters sent. */
interface ForkedMethodOverhead extends Omit<MethodOverheadResult, 'costs' | 'ourReporters'> {
  costs: ForkedCallCost[];
  ourReporters: string[];
}

function methodSection({ costs, workload, otlpExporter, ourReporters }: ForkedMethodOverhead): string {
  const byName = new Map(costs.map((cost) => [cost.name, cost]));
  const get = (prefix: string) => costs.find((cost) => cost.name.startsWith(prefix)) ?? byName.get(prefix)!;
  const plain = get('plain method');
  const raw = get('jaeger-client startSpan+finish, no-op reporter');
  const rawActive = get('jaeger-client startSpan+finish + ALS activation, no-op reporter');
  const sampled = get('@Span, sampled, no-op reporter');
  const unsampled = get('@Span, inside an unsampled trace');
  const guarded = get('@LogErrorsToSpan, no error');
  const plainAsync = get('async method, awaited');
  // Async variants are compared with the plain async method awaited the same way, the rest with the plain call.
  const baselineOf = (cost: (typeof costs)[number]) => (cost.name.includes('async') ? plainAsync : plain);
  const timesPlain = (cost: ForkedCallCost) => ratioOverForks(cost, baselineOf(cost));
  const unsampledRatio = timesPlain(unsampled);
  const guardedRatio = timesPlain(guarded);
  const eachFork = (ratio: { each: number[] }) => ratio.each.map((each) => `${fmt(each, 2)}×`).join(', ');
  const otelOtlp = get('OpenTelemetry startActiveSpan, sampled, batch processor');
  const oursUdp = get('@Span, sampled, our UDP reporter');
  const oursHttp = get('@Span, sampled, our HTTP reporter');
  const theirsUdp = get('@Span, sampled, jaeger-client UDP reporter');
  const rows = costs.map((cost) => [cost.name, fmt(cost.medianNs), fmt(cost.meanNs), fmt(cost.cpuMeanNs), `${fmt(timesPlain(cost).median, 2)}×`]);
  return [
    `## 1. Method overhead, per call, on Node ${process.version}`,
    '',
    `Every variant calls the same method body (${workload}); medians over ${SIDE_BY_SIDE_ROUNDS} side-by-side rounds, means over all calls, in each of ${costs[0].forkMediansNs.length} processes of its own (forks, as JMH runs a benchmark: V8 optimizes a little differently in each process, and a call of 20 to 50 ns moves with it; see bench/support/forks.ts); each figure is the median over the forks, and "× plain" the median of the forks' ratios, each fork's plain call measured beside its variant. The plain, decorated and async variants each call the method from a loop of their own, a call site that sees one class, as a service call in an app does (ownCallLoop in bench/support/measure.ts: a loop shared by the decorated variants made their call site megamorphic, a cost the plain method's loop did not pay). Variants with a reporter or an exporter flush it at the end of every timed batch and wait until the batch is sent, so encoding and sending count for all of them, whether done on the spot (jaeger-client's reporter) or later (ours, OpenTelemetry's batch processor). OpenTelemetry exports through the ${otlpExporter} to a local HTTP sink. Our reporters over each fork's run: ${ourReporters.join(' | ')}.`,
    '',
    table(['variant', 'median ns', 'mean ns', 'CPU ns (mean)', '× plain (median of the forks)'], rows),
    '',
    'Async variants await each call in turn (`await service.work(i)`) and are compared with the plain async method awaited the same way. Each fork runs the whole case in a new process (bench/support/own-process.ts), the forks one after the other.',
    '',
    `Our UDP reporter paces its datagrams (${UDP_PACE}, see the UDP transport): a batch of spans made as fast as one thread can make them (far more than a service makes) waits for its turn to be sent, and the flush at the end of each timed batch waits with it. The mean of that row is mostly that wait; its CPU time is the work.`,
    '',
    '| target | figure | peer | verdict |',
    '| --- | --- | --- | --- |',
    `| sampled \`@Span\` with the real reporter (UDP, the default), ≤ ½ of OpenTelemetry's sampled \`startActiveSpan\` with its OTLP exporter: mean (includes the wait for the UDP pacing, see below) / CPU mean | ${fmt(oursUdp.meanNs)} ns / ${fmt(oursUdp.cpuMeanNs)} ns | ${fmt(otelOtlp.meanNs)} ns / ${fmt(otelOtlp.cpuMeanNs)} ns; ratio ${fmt(oursUdp.meanNs / otelOtlp.meanNs, 2)} / ${fmt(oursUdp.cpuMeanNs / otelOtlp.cpuMeanNs, 2)} | ${verdict(oursUdp.meanNs <= otelOtlp.meanNs / 2)} (by CPU: ${verdict(oursUdp.cpuMeanNs <= otelOtlp.cpuMeanNs / 2)}) |`,
    `| the same with the HTTP reporter: mean (includes waiting for the collector's answer) / CPU mean | ${fmt(oursHttp.meanNs)} ns / ${fmt(oursHttp.cpuMeanNs)} ns | ${fmt(otelOtlp.meanNs)} ns / ${fmt(otelOtlp.cpuMeanNs)} ns; ratio ${fmt(oursHttp.meanNs / otelOtlp.meanNs, 2)} / ${fmt(oursHttp.cpuMeanNs / otelOtlp.cpuMeanNs, 2)} | ${verdict(oursHttp.meanNs <= otelOtlp.meanNs / 2)} (by CPU: ${verdict(oursHttp.cpuMeanNs <= otelOtlp.cpuMeanNs / 2)}) |`,
    `| \`@Span\` inside an unsampled trace, median, ≤ 2.5× a plain call | ${fmt(unsampled.medianNs)} ns, ${fmt(unsampledRatio.median, 2)}× (forks: ${eachFork(unsampledRatio)}) | plain ${fmt(plain.medianNs)} ns | ${verdict(unsampledRatio.median <= 2.5)} |`,
    `| sampled \`@Span\`, mean: our UDP reporter against jaeger-client's | ${fmt(oursUdp.meanNs)} ns | ${fmt(theirsUdp.meanNs)} ns; ratio ${fmt(oursUdp.meanNs / theirsUdp.meanNs, 2)} | |`,
    `| \`@Span\` sampled within 1.15× raw jaeger-client + activation (no-op reporter, median) | ${fmt(sampled.medianNs / rawActive.medianNs, 2)}× (${fmt(sampled.medianNs / raw.medianNs, 2)}× raw without activation) | ${fmt(rawActive.medianNs)} ns | ${verdict(sampled.medianNs / rawActive.medianNs <= 1.15)} |`,
    `| \`@LogErrorsToSpan\` happy path within 2× plain (median) | ${fmt(guardedRatio.median, 2)}× (forks: ${eachFork(guardedRatio)}) | | ${verdict(guardedRatio.median <= 2)} |`,
    '',
    `Reporting's share of a sampled \`@Span\` (means, against the no-op reporter's ${fmt(sampled.meanNs)} ns): jaeger-client's UDP reporter ${fmt(100 * (1 - sampled.meanNs / theirsUdp.meanNs), 0)} %, our UDP reporter ${fmt(Math.max(0, 100 * (1 - sampled.meanNs / oursUdp.meanNs)), 0)} %, our HTTP reporter ${fmt(Math.max(0, 100 * (1 - sampled.meanNs / oursHttp.meanNs)), 0)} %.`,
  ].join('\n');
}

function reporterSection({ costs, spans, bytesPerSpan, otlpBytesPerSpan, otlpJsonBytesPerSpan, wakeCpuNs }: ReporterCostResult): string {
  const get = (prefix: string) => costs.find((cost) => cost.name.startsWith(prefix))!;
  const theirs = get('UDP: jaeger-client');
  const ours = get('UDP: ours');
  const unpaced = get(UNPACED_CONTROL);
  const theirsHttp = get('HTTP: jaeger-client');
  const oursHttp = get('HTTP: ours');
  const thriftEncoder = get('encoder alone: ours');
  const otlpEncoder = get('encoder alone: OTLP protobuf');
  const rows = costs.map((cost) => [cost.name, fmt(cost.medianNs), fmt(cost.meanNs), fmt(cost.cpuMedianNs)]);
  return [
    `## 2. Encoding and sending, per span, on Node ${process.version}`,
    '',
    `The same ${spans} finished spans (a traced request's server span with the middleware's tags, and a \`@Span\` child; ${fmt(bytesPerSpan, 0)} bytes a span encoded) reported through each reporter, then flushed until the last batch is sent, to a local UDP socket or HTTP server; medians over 60 rounds. Wall time includes waiting for the HTTP sink's answer; CPU time is this process's user + system time. The case runs in a process of its own (bench/support/own-process.ts).`,
    '',
    table(['path', 'median ns/span', 'mean ns/span', 'CPU ns/span (median)'], rows),
    '',
    '| target | figure | peer | verdict |',
    '| --- | --- | --- | --- |',
    `| encoding and sending per span ≤ ⅕ of jaeger-client's reporter (UDP, same spans; CPU, median) | ${fmt(ours.cpuMedianNs)} ns | ${fmt(theirs.cpuMedianNs)} ns; ratio ${fmt(ours.cpuMedianNs / theirs.cpuMedianNs, 2)} | ${verdict(ours.cpuMedianNs <= theirs.cpuMedianNs / 5)} |`,
    `| the same over HTTP (CPU, median) | ${fmt(oursHttp.cpuMedianNs)} ns | ${fmt(theirsHttp.cpuMedianNs)} ns; ratio ${fmt(oursHttp.cpuMedianNs / theirsHttp.cpuMedianNs, 2)} | ${verdict(oursHttp.cpuMedianNs <= theirsHttp.cpuMedianNs / 5)} |`,
    `| the same over HTTP without gzip (\`compression: 'none'\`; jaeger-client's sender does not compress) (CPU, median) | ${fmt(get(UNCOMPRESSED_HTTP).cpuMedianNs)} ns | ${fmt(theirsHttp.cpuMedianNs)} ns; ratio ${fmt(get(UNCOMPRESSED_HTTP).cpuMedianNs / theirsHttp.cpuMedianNs, 2)}; gzip costs ${fmt(oursHttp.cpuMedianNs - get(UNCOMPRESSED_HTTP).cpuMedianNs)} ns a span | |`,
    `| the encoder alone (median) | ${fmt(get('encoder alone: ours').medianNs)} ns | ${fmt(get('encoder alone: jaeger-client').medianNs)} ns; ratio ${fmt(get('encoder alone: ours').medianNs / get('encoder alone: jaeger-client').medianNs, 2)} | |`,
    `| OTLP encoding per span within 1.5× our Thrift encoding (encoders alone, same spans, same run; median) | ${fmt(otlpEncoder.medianNs)} ns (${fmt(otlpBytesPerSpan, 0)} bytes a span) | ${fmt(thriftEncoder.medianNs)} ns (${fmt(bytesPerSpan, 0)} bytes); ratio ${fmt(otlpEncoder.medianNs / thriftEncoder.medianNs, 2)} | ${verdict(otlpEncoder.medianNs <= 1.5 * thriftEncoder.medianNs)} |`,
    `| OTLP as JSON instead (the prototype, not shipped; median) | ${fmt(get('encoder alone: OTLP/JSON').medianNs)} ns (${fmt(otlpJsonBytesPerSpan, 0)} bytes a span) | ${fmt(otlpEncoder.medianNs)} ns, protobuf; ratio ${fmt(get('encoder alone: OTLP/JSON').medianNs / otlpEncoder.medianNs, 2)} | |`,
    `| OTLP/HTTP reporter, encoding and sending (CPU, median) | ${fmt(get('OTLP/HTTP: ours').cpuMedianNs)} ns | ${fmt(oursHttp.cpuMedianNs)} ns, Thrift/HTTP; ratio ${fmt(get('OTLP/HTTP: ours').cpuMedianNs / oursHttp.cpuMedianNs, 2)} | |`,
    '',
    `Our UDP reporter's wall time is its pacing (${UDP_PACE}, see the UDP transport), not its work: the spans wait their turn; its CPU time includes the timer wake-ups pacing costs.`,
    '',
    `The control row is the same reporter with its pace lifted: ${fmt(unpaced.cpuMedianNs)} ns a span (ratio ${fmt(unpaced.cpuMedianNs / theirs.cpuMedianNs, 2)} to jaeger-client's), so ${fmt(Math.max(0, ours.cpuMedianNs - unpaced.cpuMedianNs))} ns a span of the UDP row is its pacing waits. Each wait of a burst of ${spans} spans (some ${fmt((spans * bytesPerSpan) / UDP_MAX_PACKET_BYTES, 0)} datagrams) ends in a wake from idle, which this machine charges ${fmt(wakeCpuNs / 1000, 1)} µs of CPU time with nothing else to do (the median of an empty ${PACING_WAIT_MS}-ms timer's wakes). A service making spans between requests is seldom idle when a wait ends; the control is not a setting to use, since the pace keeps a default receiver whole (case 4).`,
  ].join('\n');
}

function deliverySection(results: DeliveryResult[]): string {
  const rate = (result: DeliveryResult) => result.arrived / result.sent;
  const rows = results.map((result) => [
    result.reporter,
    String(result.sent),
    String(result.arrived),
    `${fmt(100 * rate(result), 2)} %`,
    result.reporter.includes('jaeger-client') ? 'not counted' : String(result.droppedBySender),
    fmt(result.createMs, 0),
    fmt(result.flushMs, 1),
  ]);
  const find = (prefix: string) => results.find((result) => result.reporter.startsWith(prefix))!;
  const http = find('HTTP, ours, default');
  const udp = find('UDP, ours, default');
  const theirs = find("UDP, jaeger-client's reporter, default");
  const tuned = find('UDP, ours, receiver');
  return [
    `## 4. Delivery into the real Jaeger, on Node ${process.version}`,
    '',
    '100,000 spans (1,000 traces of 100) from one process, yielding every 10 traces, then closing the tracer; counted back from Jaeger\'s query API. "Dropped by the sender" is what our reporter counted and warned about itself (a full queue).',
    '',
    table(['reporter, Jaeger receiver', 'sent', 'arrived', 'delivered', 'dropped by the sender', 'create ms', 'close ms'], rows),
    '',
    '| target | figure | peer | verdict |',
    '| --- | --- | --- | --- |',
    `| 100 % over HTTP | ${fmt(100 * rate(http), 2)} % | | ${verdict(http.arrived === http.sent)} |`,
    `| over UDP, Jaeger's default receiver: the rate | ${fmt(100 * rate(udp), 2)} % (${udp.droppedBySender} dropped by the sender) | jaeger-client's reporter ${fmt(100 * rate(theirs), 2)} %; ours with a tuned receiver ${fmt(100 * rate(tuned), 2)} % | reported |`,
  ].join('\n');
}

function openTelemetrySection({ calls, queries, workload, rounds, placement, otlpExporter }: OpenTelemetryBridgeResult): string {
  const get = (name: string) => calls.find((cost) => cost.name === name)!;
  const sampled = get('@Span, sampled, no-op reporter');
  const unsampled = get('@Span, inside an unsampled trace');
  const awaited = get('@Span async, awaited, sampled, no-op reporter');
  const sampledApi = get('@Span, sampled, with the OpenTelemetry API registered');
  const unsampledApi = get('@Span, inside an unsampled trace, with the OpenTelemetry API registered');
  const awaitedApi = get('@Span async, awaited, sampled, with the OpenTelemetry API registered');
  const active = get('OpenTelemetry startActiveSpan through our provider, sampled');
  const client = get('OpenTelemetry startSpan + end through our provider, sampled');
  const activeOff = get('OpenTelemetry startActiveSpan through our provider, inside an unsampled trace');
  const clientOff = get('OpenTelemetry startSpan + end through our provider, inside an unsampled trace');
  // Each row against the @Span row without the API that is its like: sampled or not, called or awaited; fork by
  // fork, each against the row measured beside it, and the median of those ratios (as the method case's × plain).
  const peerOf = (cost: CallCost) => (cost.name.includes('async') ? awaited : cost.name.includes('unsampled') ? unsampled : sampled);
  const ratio = (cost: ForkedCallCost, peer: ForkedCallCost) => ratioOverForks(cost, peer).median;
  const eachFork = (cost: ForkedCallCost, peer: ForkedCallCost) =>
    ratioOverForks(cost, peer)
      .each.map((each) => fmt(each, 2))
      .join(', ');
  const callRows = calls.map((cost) => [
    cost.name,
    fmt(cost.medianNs),
    fmt(cost.meanNs),
    fmt(cost.cpuMeanNs),
    cost.name === 'plain method' ? '' : `${fmt(ratio(cost, peerOf(cost)), 2)}×`,
  ]);

  const db = (variant: DbCost['variant']) => queries.find((cost) => cost.variant === variant)!;
  const untraced = db('untraced');
  const ours = db('ours');
  const otel = db('opentelemetry');
  const us = (ns: number, digits = 1) => fmt(ns / 1000, digits);
  const queryRows = queries.map((cost) => [
    cost.variant,
    us(cost.medianNs),
    us(cost.meanNs),
    us(cost.cpuNs),
    `${fmt(cost.medianNs / untraced.medianNs, 2)}×`,
    `${fmt(cost.cpuNs / untraced.cpuNs, 2)}×`,
    fmt(cost.flushMs, 1),
    cost.spansPerQuery === undefined ? '' : `${fmt(cost.spansPerQuery, 2)}${cost.droppedSpans === undefined ? '' : ` (${cost.droppedSpans} dropped)`}`,
    cost.roundsMedianNs.map((ns) => us(ns)).join(' / '),
  ]);
  const added = (cost: DbCost, key: 'medianNs' | 'cpuNs') => cost[key] - untraced[key];
  return [
    `## 5. The OpenTelemetry API through our tracer, on Node ${process.version}`,
    '',
    `Per call: the method case's body (alone: the plain method row), in processes of its own (\`npm run bench\` runs every case in one process, and registering the API is global): ${calls[0].forkMediansNs.length}, one after the other, as the method case runs (each figure is the median over the forks, each ratio the median of the forks' ratios, a fork's rows measured side by side); both sides report to jaeger-client's no-op reporter, so only making the span counts; medians over ${SIDE_BY_SIDE_ROUNDS} side-by-side rounds, means over all calls. Each round runs the rows without the API, then those with it: registered by \`registerOpenTelemetryApi()\` once, taken off and put back between the two groups apart from the timed batches. The "with the OpenTelemetry API registered" rows run beside the OpenTelemetry rows that use our context manager as an app's instrumentations would; the rows without it are what an app that never loads \`jaeger-decorators/opentelemetry\` runs. \`startActiveSpan\` makes the span active around the call, as \`@Span\` does; \`startSpan\` + \`end\` is what an instrumentation does for a query (a client span with two attributes, not made active).`,
    '',
    table(['variant', 'median ns', 'mean ns', 'CPU ns (mean)', '× its @Span row without the API (median)'], callRows),
    '',
    '| target | figure | peer | verdict |',
    '| --- | --- | --- | --- |',
    `| an OpenTelemetry span through our provider costs no more than a sampled \`@Span\` (\`startActiveSpan\`, median of the forks' ratios) | ${fmt(active.medianNs)} ns | ${fmt(sampled.medianNs)} ns; ratio ${fmt(ratio(active, sampled), 2)} (forks: ${eachFork(active, sampled)}) | ${verdict(ratio(active, sampled) <= 1)} |`,
    `| the same for an instrumentation's span (\`startSpan\` with kind and two attributes, \`end\`; median of the forks' ratios) | ${fmt(client.medianNs)} ns | ${fmt(sampled.medianNs)} ns; ratio ${fmt(ratio(client, sampled), 2)} (forks: ${eachFork(client, sampled)}) | ${verdict(ratio(client, sampled) <= 1)} |`,
    `| inside an unsampled trace: \`startActiveSpan\` / \`startSpan\` + \`end\` against \`@Span\` (median) | ${fmt(activeOff.medianNs)} ns / ${fmt(clientOff.medianNs)} ns | ${fmt(unsampled.medianNs)} ns; ratios ${fmt(ratio(activeOff, unsampled), 2)} / ${fmt(ratio(clientOff, unsampled), 2)} | |`,
    `| \`@Span\` with the API registered against without: sampled / unsampled / async awaited (median) | ${fmt(sampledApi.medianNs)} / ${fmt(unsampledApi.medianNs)} / ${fmt(awaitedApi.medianNs)} ns | ${fmt(sampled.medianNs)} / ${fmt(unsampled.medianNs)} / ${fmt(awaited.medianNs)} ns; ratios ${fmt(ratio(sampledApi, sampled), 2)} / ${fmt(ratio(unsampledApi, unsampled), 2)} / ${fmt(ratio(awaitedApi, awaited), 2)} | |`,
    '',
    `Per database query: ${workload}. \`ours\`: \`initTracer()\` sampling everything and \`installAllPatches()\`, each query called from a \`@Span\` method, spans reported over UDP with our reporter to a sink process; \`opentelemetry\`: the OpenTelemetry SDK, each query called inside \`startActiveSpan\`, spans exported through its batch processor and the ${otlpExporter} to the same sink. Each variant in its own process, ${rounds} rounds interleaved; medians over rounds. ${placement} Reporters and exporters run on their own schedules between queries and are flushed once at the end, inside the mean and the CPU time: our UDP reporter's flush is mostly waiting for its pacing (${UDP_PACE}) to send what the queries made faster than that, so read its median and its CPU time. CPU is the app's user + system time per query; spans are those sent per query made, warm-up included (OpenTelemetry's batch processor does not count what it drops: fewer spans sent would show it).`,
    '',
    table(
      [
        'variant',
        'median µs/query',
        'mean µs/query',
        'app CPU µs/query',
        '× untraced (median)',
        '× untraced (CPU)',
        'final flush ms',
        'spans per query',
        'each round, median µs',
      ],
      queryRows,
    ),
    '',
    '| target | figure | peer | verdict |',
    '| --- | --- | --- | --- |',
    `| a query traced through our provider against the same query traced by the OpenTelemetry SDK: median / CPU | ${us(ours.medianNs)} µs / ${us(ours.cpuNs)} µs | ${us(otel.medianNs)} µs / ${us(otel.cpuNs)} µs; ratios ${fmt(ours.medianNs / otel.medianNs, 2)} / ${fmt(ours.cpuNs / otel.cpuNs, 2)} | |`,
    `| what tracing adds to a query, ours against OpenTelemetry's: median / CPU | ${us(added(ours, 'medianNs'), 2)} µs / ${us(added(ours, 'cpuNs'), 2)} µs | ${us(added(otel, 'medianNs'), 2)} µs / ${us(added(otel, 'cpuNs'), 2)} µs; ratios ${fmt(added(ours, 'medianNs') / added(otel, 'medianNs'), 2)} / ${fmt(added(ours, 'cpuNs') / added(otel, 'cpuNs'), 2)} | |`,
  ].join('\n');
}

/** The case names asked for, and FILE of `--json FILE`. */
function parseArguments(args: string[]): { wanted: string[]; jsonPath?: string } {
  const at = args.indexOf('--json');
  if (at < 0) return { wanted: args };
  const jsonPath = args[at + 1];
  if (jsonPath === undefined) throw new Error('--json needs a file');
  return { wanted: [...args.slice(0, at), ...args.slice(at + 2)], jsonPath };
}

/**
 * `--json FILE`: one case alone, in this process, its figures written to FILE for the run that asked: the
 * method and reporter cases (see support/own-process), or the HTTP case on another Node.
 */
async function writeCaseJson(wanted: string[], jsonPath: string): Promise<void> {
  const only = wanted.join(' ');
  if (only === 'method') return fs.writeFileSync(jsonPath, JSON.stringify(await methodOverhead()));
  if (only === 'reporter') return fs.writeFileSync(jsonPath, JSON.stringify(await reporterCost()));
  if (only !== 'http') throw new Error(`--json runs the method, reporter or http case alone, not: ${only}`);
  console.log(`Case 3 on Node ${process.version}: HTTP overhead (about ${counted(httpCaseMinutes(OTHER_NODE_HTTP_SETTINGS), 'minute')})...`);
  const result = await httpOverhead(OTHER_NODE_HTTP_SETTINGS);
  console.table(result.costs);
  const run: HttpRunOnNode = { version: process.version, label: nodeLabel(), result };
  fs.writeFileSync(jsonPath, JSON.stringify(run));
}

function clientFacts(added: ReturnType<typeof clientCallAdded>): ClientCallFacts {
  return {
    untracedUs: added.untraced.medianNs / 1000,
    oursUs: added.ours.medianNs / 1000,
    oursAddedUs: added.oursAdded.medianNs / 1000,
    oursAddedCpuUs: added.oursAdded.cpuNs / 1000,
    otelAddedUs: added.otelAdded.medianNs / 1000,
    otelAddedCpuUs: added.otelAdded.cpuNs / 1000,
    oursClientSpanUs: added.oursClientSpan.medianNs / 1000,
    otelClientSpanUs: added.otelClientSpan.medianNs / 1000,
  };
}

async function main(): Promise<void> {
  const rerun = rerunOnReferenceNode();
  if (rerun !== undefined) process.exit(await rerun);
  const { wanted, jsonPath } = parseArguments(process.argv.slice(2));
  if (jsonPath !== undefined) return writeCaseJson(wanted, jsonPath);
  const full = wanted.length === 0;
  const runs = (name: string) => full || wanted.includes(name) || (name === 'http' && wanted.includes('http-nodes'));
  const sections: string[] = [];
  const facts: Partial<OverheadFacts> = {};
  const byPrefix = <T extends { name: string }>(items: T[], prefix: string) => items.find((item) => item.name.startsWith(prefix))!;
  let referenceHttp: Awaited<ReturnType<typeof httpOverhead>> | undefined;

  if (runs('method')) {
    console.log(`Case 1: method overhead (in ${METHOD_FORKS} processes of its own, one after the other)...`);
    const forks = await runCaseInForks<MethodOverheadResult>('method', METHOD_FORKS);
    const result: ForkedMethodOverhead = {
      ...forks[0],
      costs: combineForks(forks.map((fork) => fork.costs)),
      ourReporters: forks.map((fork) => fork.ourReporters),
    };
    console.table(result.costs.map((cost) => ({ variant: cost.name, 'median ns': fmt(cost.medianNs), 'mean ns': fmt(cost.meanNs) })));
    sections.push(methodSection(result));
    const get = (prefix: string) => byPrefix(result.costs, prefix);
    Object.assign(facts, {
      plainNs: get('plain method').medianNs,
      unsampledSpanNs: get('@Span, inside an unsampled trace').medianNs,
      unsampledSpanTimesPlain: ratioOverForks(get('@Span, inside an unsampled trace'), get('plain method')).median,
      sampledNoopMeanNs: get('@Span, sampled, no-op reporter').meanNs,
      oursUdpMeanNs: get('@Span, sampled, our UDP reporter').meanNs,
      oursUdpCpuNs: get('@Span, sampled, our UDP reporter').cpuMeanNs,
      oursHttpMeanNs: get('@Span, sampled, our HTTP reporter').meanNs,
      theirsUdpMeanNs: get('@Span, sampled, jaeger-client UDP reporter').meanNs,
      otelOtlpMeanNs: get('OpenTelemetry startActiveSpan, sampled, batch processor').meanNs,
      otelOtlpCpuNs: get('OpenTelemetry startActiveSpan, sampled, batch processor').cpuMeanNs,
      otelUnsampledNs: get('OpenTelemetry startActiveSpan, unsampled').medianNs,
    });
  }
  if (runs('reporter')) {
    console.log('Case 2: encoding and sending, per span (in a process of its own)...');
    const result = await runCaseInOwnProcess<ReporterCostResult>('reporter');
    console.table(result.costs);
    sections.push(reporterSection(result));
    const get = (prefix: string) => byPrefix(result.costs, prefix);
    Object.assign(facts, {
      encodeOursNs: get('encoder alone: ours').medianNs,
      encodeTheirsNs: get('encoder alone: jaeger-client').medianNs,
      sendOursUdpNs: get('UDP: ours').cpuMedianNs,
      sendTheirsUdpNs: get('UDP: jaeger-client').cpuMedianNs,
      sendOursHttpCpuNs: get('HTTP: ours').cpuMedianNs,
      sendTheirsHttpCpuNs: get('HTTP: jaeger-client').cpuMedianNs,
    });
  }
  if (runs('http')) {
    console.log(`Case 3: HTTP overhead (about ${counted(httpCaseMinutes(), 'minute')})...`);
    referenceHttp = await httpOverhead();
    console.table(referenceHttp.costs);
    sections.push(`${httpSection(referenceHttp)}\n\n${WHERE_TIME_GOES}`);
    facts.placement = referenceHttp.placement;
    facts.http = httpShares(referenceHttp.costs);
  }
  if (runs('delivery')) {
    console.log('Case 4: delivery into Jaeger...');
    const binary = ensureJaegerBinary({ build: true });
    if (binary === undefined) throw new Error('delivery needs Jaeger: install Go, or run `npm run jaeger` once to build it');
    const results: DeliveryResult[] = [];
    for (const [label, extraConfig, reporters] of [
      ['default receiver', undefined, ['udp', 'jaeger-client-udp', 'http']],
      ['receiver socket_buffer_size 8 MiB, queue_size 5000', TUNED_UDP, ['udp']],
    ] as const) {
      const jaeger = await startJaeger(binary, { ports: 'free', extraConfig });
      try {
        results.push(...(await delivery(jaeger, [...reporters], label)));
      } finally {
        await jaeger.stop();
      }
    }
    console.table(results);
    sections.push(deliverySection(results));
    const rate = (prefix: string) => {
      const found = results.find((result) => result.reporter.startsWith(prefix))!;
      return found.arrived / found.sent;
    };
    Object.assign(facts, {
      deliveredHttp: rate('HTTP, ours, default'),
      deliveredUdp: rate('UDP, ours, default'),
      deliveredUdpTheirs: rate("UDP, jaeger-client's reporter, default"),
      deliveredUdpTuned: rate('UDP, ours, receiver'),
    });
  }

  if (runs('otel')) {
    console.log('Case 5: the OpenTelemetry API through our tracer (under a minute)...');
    const result = await openTelemetryBridge();
    console.table(result.calls.map((cost) => ({ variant: cost.name, 'median ns': fmt(cost.medianNs), 'mean ns': fmt(cost.meanNs) })));
    console.table(result.queries);
    sections.push(openTelemetrySection(result));
    const forked = (name: string) => result.calls.find((cost) => cost.name === name)!;
    const call = (name: string) => forked(name).medianNs;
    const query = (variant: string) => result.queries.find((cost) => cost.variant === variant)!;
    facts.otel = {
      sampledSpanNs: call('@Span, sampled, no-op reporter'),
      activeSpanNs: call('OpenTelemetry startActiveSpan through our provider, sampled'),
      activeSpanTimesSampled: ratioOverForks(forked('OpenTelemetry startActiveSpan through our provider, sampled'), forked('@Span, sampled, no-op reporter'))
        .median,
      clientSpanNs: call('OpenTelemetry startSpan + end through our provider, sampled'),
      unsampledActiveNs: call('OpenTelemetry startActiveSpan through our provider, inside an unsampled trace'),
      queryUntracedUs: query('untraced').medianNs / 1000,
      queryOursUs: query('ours').medianNs / 1000,
      queryOtelUs: query('opentelemetry').medianNs / 1000,
      queryUntracedCpuUs: query('untraced').cpuNs / 1000,
      queryOursCpuUs: query('ours').cpuNs / 1000,
      queryOtelCpuUs: query('opentelemetry').cpuNs / 1000,
    };
  }

  if (runs('client')) {
    console.log('Case 6: outgoing calls (about 2 minutes)...');
    const result = await clientCall();
    console.table(result.costs.map(({ roundsMedianNs: _rounds, ...cost }) => cost));
    sections.push(clientCallSection(result));
    facts.client = { fetch: clientFacts(clientCallAdded(result.costs, 'fetch')), httpGet: clientFacts(clientCallAdded(result.costs, 'http.get')) };
  }

  // After every case on the reference Node, so that none of its figures waits on the older Nodes' runs.
  if ((full || wanted.includes('http-nodes')) && referenceHttp !== undefined) {
    const majors = otherNodeMajors();
    facts.httpOnOtherNodes = [];
    if (majors.length > 0) {
      const minutes = counted(majors.length * httpCaseMinutes(OTHER_NODE_HTTP_SETTINGS), 'more minute');
      console.log(`Case 3 again on Node ${majors.join(' and ')} (about ${minutes}; BENCH_OTHER_NODES= skips it)...`);
      const others = await httpOnOtherNodes(majors);
      sections.push(httpOtherNodesSection(referenceHttp, others));
      facts.httpOnOtherNodes = others.runs.map((run) => ({ version: run.version, shares: httpShares(run.result.costs) }));
    }
  }

  const header = resultsHeader(new Date());
  const body = `${header}\n\n${sections.join('\n\n')}\n`;
  if (full && !QUICK) {
    fs.writeFileSync(RESULTS, body);
    facts.date = new Date().toISOString().slice(0, 10);
    facts.machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${nodeLabel()}`;
    writeOverheadSection(README, overheadSection(facts as OverheadFacts));
  } else console.log("(RESULTS.md and the README's Overhead section are written only by a full run without BENCH_QUICK)");
  console.log(body);
  console.log(`(sink ${sink.value})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
