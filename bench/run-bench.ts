// `npm run bench [method] [http] [delivery]`: runs the cases (all by default), prints their tables and writes
// bench/RESULTS.md with the date, the machine and the Node version that produced the figures. Never edit RESULTS.md by hand.
import fs from 'node:fs';
import path from 'node:path';
import { delivery, type DeliveryResult } from './cases/delivery';
import { httpOverhead, type HttpCost } from './cases/http-overhead';
import { methodOverhead, type MethodOverheadResult } from './cases/method-overhead';
import { sink } from './support/measure';
import { resultsHeader } from './support/results-header';

const { ensureJaegerBinary, startJaeger } = require('../../test/jaeger/jaeger.js') as {
  ensureJaegerBinary(options?: { build?: boolean }): string | undefined;
  startJaeger(
    binary: string,
    options: { ports: 'free'; extraConfig?: string },
  ): Promise<{ queryUrl: string; collectorUrl: string; agentHost: string; agentPort: number; stop(): Promise<void> }>;
};

const RESULTS = path.resolve(__dirname, '..', '..', 'bench', 'RESULTS.md');
const TUNED_UDP = path.resolve(__dirname, '..', '..', 'bench', 'jaeger-udp-tuned.yaml');

const fmt = (value: number, digits = 1) => value.toFixed(digits);
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function methodSection({ costs, workload }: MethodOverheadResult): string {
  const byName = new Map(costs.map((cost) => [cost.name, cost]));
  const get = (name: string) => byName.get(name)!;
  const plain = get('plain method');
  const raw = get('jaeger-client startSpan+finish, no-op reporter');
  const rawActive = get('jaeger-client startSpan+finish + ALS activation, no-op reporter');
  const sampled = get('@Span, sampled, no-op reporter');
  const unsampled = get('@Span, inside an unsampled trace');
  const guarded = get('@LogErrorsToSpan, no error');
  const plainAsync = get('async method, awaited');
  // Async variants are compared with the plain async method awaited the same way, the rest with the plain call.
  const baselineOf = (cost: (typeof costs)[number]) => (cost.name.includes('async') ? plainAsync : plain);
  const rows = costs.map((cost) => [cost.name, fmt(cost.medianNs), fmt(cost.meanNs), `${fmt(cost.medianNs / baselineOf(cost).medianNs, 2)}×`]);
  const udpRaw = get('jaeger-client startSpan+finish, UDP reporter');
  const httpRaw = get('jaeger-client startSpan+finish, HTTP reporter');
  return [
    `## 1. Method overhead, per call, on Node ${process.version}`,
    '',
    `Every variant calls the same method body (${workload}); medians over 150 side-by-side rounds, means over all calls.`,
    '',
    table(['variant', 'median ns', 'mean ns', '× plain (median)'], rows),
    '',
    'Async variants await each call in turn (`await service.work(i)`) and are compared with the plain async method awaited the same way.',
    '',
    '| target | figure | verdict |',
    '| --- | --- | --- |',
    `| \`@Span\` sampled within 1.15× raw jaeger-client | ${fmt(sampled.medianNs / raw.medianNs, 2)}× raw startSpan+finish; ${fmt(sampled.medianNs / rawActive.medianNs, 2)}× raw with the span made active | ${verdict(sampled.medianNs / raw.medianNs <= 1.15)} (${verdict(sampled.medianNs / rawActive.medianNs <= 1.15)} against raw + activation) |`,
    `| \`@Span\` in an unsampled trace under 100 ns, ≤ 2.5× plain | ${fmt(unsampled.medianNs)} ns, ${fmt(unsampled.medianNs / plain.medianNs, 2)}× | ${verdict(unsampled.medianNs < 100 && unsampled.medianNs / plain.medianNs <= 2.5)} |`,
    `| \`@LogErrorsToSpan\` happy path within 2× plain | ${fmt(guarded.medianNs / plain.medianNs, 2)}× | ${verdict(guarded.medianNs / plain.medianNs <= 2)} |`,
    '',
    `Reporting's share of a sampled span (means, which include the encoding jaeger-client does on append): UDP reporter ${fmt(udpRaw.meanNs)} ns vs no-op ${fmt(raw.meanNs)} ns, so ${fmt(100 * (1 - raw.meanNs / udpRaw.meanNs), 0)} % of the cost is reporting; HTTP reporter ${fmt(httpRaw.meanNs)} ns, ${fmt(100 * (1 - raw.meanNs / httpRaw.meanNs), 0)} %.`,
  ].join('\n');
}

function httpSection(costs: HttpCost[]): string {
  const base = costs.find((cost) => cost.variant === 'untraced')!;
  const otel = costs.find((cost) => cost.variant === 'opentelemetry')!;
  const rows = costs.map((cost) => [
    cost.variant,
    fmt(cost.requestsPerSecond, 0),
    `${fmt(100 * (cost.requestsPerSecond / base.requestsPerSecond), 0)} %`,
    fmt(cost.p99Ms, 0),
    `${fmt(cost.p99Ms / base.p99Ms, 2)}×`,
    String(cost.errors),
  ]);
  const ours = costs.filter((cost) => cost.variant === 'middleware' || cost.variant === 'traced-controller');
  return [
    `## 2. HTTP overhead, on Node ${process.version}`,
    '',
    'routing-controllers + Express, one JSON action calling one `@Span` service method (OpenTelemetry: `startActiveSpan`), 100 % sampling (`middleware-unsampled`: const sampler 0; `als-only`: no tracing, one `AsyncLocalStorage.run` per request, the floor of any tracer built on it), spans reported over UDP to a socket that drops them (OpenTelemetry: a batch processor exporting to nowhere). autocannon, 32 connections, 5 s per run after a 1 s warm-up, each variant in its own process, 3 rounds interleaved; medians over rounds. The load generator shares the 2 cores with the app.',
    '',
    table(['variant', 'req/s', 'of untraced', 'p99 ms', 'p99 × untraced', 'errors'], rows),
    '',
    `Target: traced keeps ≥ 85 % of untraced req/s: ${ours.map((cost) => `${cost.variant} ${fmt(100 * (cost.requestsPerSecond / base.requestsPerSecond), 0)} %`).join(', ')}: ${verdict(ours.every((cost) => cost.requestsPerSecond / base.requestsPerSecond >= 0.85))}. Loses less than OpenTelemetry (${fmt(100 * (otel.requestsPerSecond / base.requestsPerSecond), 0)} %): ${verdict(ours.every((cost) => cost.requestsPerSecond > otel.requestsPerSecond))}.`,
  ].join('\n');
}

function deliverySection(results: DeliveryResult[]): string {
  const rows = results.map((result) => [
    result.reporter,
    String(result.sent),
    String(result.arrived),
    `${fmt((100 * result.arrived) / result.sent, 2)} %`,
    fmt(result.createMs, 0),
    fmt(result.flushMs, 1),
  ]);
  const http = results.find((result) => result.reporter.startsWith('HTTP'))!;
  return [
    `## 3. Delivery into the real Jaeger, on Node ${process.version}`,
    '',
    "100,000 spans (1,000 traces of 100) from one process, yielding every 10 traces, then `closeTracer()`; counted back from Jaeger's query API.",
    '',
    table(['reporter, Jaeger receiver', 'sent', 'arrived', 'delivered', 'create ms', 'closeTracer ms'], rows),
    '',
    `Target: ≥ 99.9 % over HTTP: ${fmt((100 * http.arrived) / http.sent, 2)} %, ${verdict(http.arrived / http.sent >= 0.999)}.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const runs = (name: string) => wanted.length === 0 || wanted.includes(name);
  const sections: string[] = [];

  if (runs('method')) {
    console.log('Case 1: method overhead...');
    const result = await methodOverhead();
    console.table(result.costs.map((cost) => ({ variant: cost.name, 'median ns': fmt(cost.medianNs), 'mean ns': fmt(cost.meanNs) })));
    sections.push(methodSection(result));
  }
  if (runs('http')) {
    console.log('Case 2: HTTP overhead (about 2 minutes)...');
    const costs = await httpOverhead();
    console.table(costs);
    sections.push(httpSection(costs));
  }
  if (runs('delivery')) {
    console.log('Case 3: delivery into Jaeger...');
    const binary = ensureJaegerBinary({ build: true });
    if (binary === undefined) throw new Error('delivery needs Jaeger: install Go, or run `npm run jaeger` once to build it');
    const results: DeliveryResult[] = [];
    for (const [label, extraConfig, reporters] of [
      ['default receiver', undefined, ['udp', 'http']],
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
  }

  const header = resultsHeader(new Date());
  const body = `${header}\n\n${sections.join('\n\n')}\n`;
  if (wanted.length === 0) fs.writeFileSync(RESULTS, body);
  else console.log('(RESULTS.md is written only by a full run)');
  console.log(body);
  console.log(`(sink ${sink.value})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
