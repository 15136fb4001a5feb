// Case 3: requests per second, p99 latency and the app's CPU time per request of a routing-controllers + Express
// app and of a Koa app, untraced, with AsyncLocalStorage alone (each framework's floor) and traced, beside
// OpenTelemetry's auto-instrumentation exporting over OTLP/HTTP (see ./http-variants). Each variant runs in its
// own process. With taskset, the app has core 1 to itself and the load generator (autocannon, in this process)
// and the span sink share core 0, so the ratios are not muddied by the two fighting for a core.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { forkPinnedTo, hasTaskset, pin } from '../support/cpu-pinning';
import { median } from '../support/measure';
import { fullOrQuick } from '../support/quick';
import { startSinks } from '../support/sinks';
import { HTTP_VARIANTS, appOf } from './http-variants';

/**
 * Rounds of every variant in turn, and seconds of load per run (after a 1 s warm-up); BENCH_QUICK=1 for a smoke
 * run. On the reference Node, nine rounds of 4 s: what moves a share most is the process (V8 optimizes each app a
 * little differently), not the length of its run. Between the rounds of one run the share of the floor of an app
 * that adds 2 % moved by ±5 points, so the median of five could land 3 points either side; more processes
 * narrow it more than longer runs. The other Nodes, shown beside it, keep five.
 */
export const HTTP_SETTINGS = { rounds: fullOrQuick(9, 1), seconds: fullOrQuick(4, 1) };
export const OTHER_NODE_HTTP_SETTINGS = { rounds: fullOrQuick(5, 1), seconds: fullOrQuick(4, 1) };

/** Roughly how long the case takes with `settings`: every run's load, warm-up and app start-up (about 1 s). */
export function httpCaseMinutes({ rounds, seconds } = HTTP_SETTINGS): number {
  return Math.ceil((HTTP_VARIANTS.length * rounds * (seconds + 2)) / 60);
}

export interface HttpCost {
  variant: string;
  requestsPerSecond: number;
  p99Ms: number;
  /** The app's CPU time (user + system) per request, in microseconds. */
  cpuMicrosPerRequest: number;
  errors: number;
  /** Requests per second of each round, for the spread and for the shares of the floor of the same round. */
  roundsRequestsPerSecond: number[];
  /** CPU time per request of each round, in microseconds, likewise. */
  roundsCpuMicrosPerRequest: number[];
}

export interface HttpOverheadResult {
  costs: HttpCost[];
  /** How the app and the load generator were kept apart, for the write-up. */
  placement: string;
  /** The OTLP exporter OpenTelemetry's variant used, as the app reported it. */
  otlpExporter: string;
  /** Rounds of every variant in turn, and seconds of load per run: what the write-up states. */
  rounds: number;
  seconds: number;
}

async function load(url: string, seconds: number): Promise<{ requestsPerSecond: number; p99Ms: number; errors: number; requests: number }> {
  const result = await autocannon({ url, connections: 32, duration: seconds, pipelining: 1 });
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, errors: result.errors + result.non2xx, requests: result.requests.total };
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: { cpuMicros?: number }) => {
      if (typeof message?.cpuMicros !== 'number') return;
      child.off('message', onMessage);
      resolve(message.cpuMicros);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

type RoundCost = Omit<HttpCost, 'variant' | 'roundsRequestsPerSecond' | 'roundsCpuMicrosPerRequest'> & { exporterKind?: string };

async function runVariant(variant: string, sinkPort: number, sinkHttpPort: number, seconds: number, appCpu: string | undefined): Promise<RoundCost> {
  const child = fork(path.join(__dirname, '..', 'apps', appOf(variant)), [], {
    env: { ...process.env, VARIANT: variant, SINK_PORT: String(sinkPort), SINK_HTTP_PORT: String(sinkHttpPort) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...forkPinnedTo(appCpu),
  });
  try {
    const { port, exporterKind } = await new Promise<{ port: number; exporterKind?: string }>((resolve, reject) => {
      const onMessage = (message: { port?: number; exporterKind?: string }) => {
        if (typeof message?.port !== 'number') return;
        child.off('message', onMessage);
        resolve({ port: message.port, exporterKind: message.exporterKind });
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`${variant} app exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}/users/42`;
    await load(url, 1); // warm-up: JIT, connection pools
    const cpuBefore = await cpuOf(child);
    const measured = await load(url, seconds);
    const cpuAfter = await cpuOf(child);
    return {
      requestsPerSecond: measured.requestsPerSecond,
      p99Ms: measured.p99Ms,
      cpuMicrosPerRequest: (cpuAfter - cpuBefore) / Math.max(1, measured.requests),
      errors: measured.errors,
      exporterKind,
    };
  } finally {
    child.kill();
  }
}

/**
 * `rounds` rounds, each running every variant in turn, in the opposite order every other round: each variant runs
 * a few runs from its floor (HTTP_VARIANTS lists a framework's variants together), after it in one round and before
 * it in the next, so that a host slowing down or speeding up over a stretch weighs on both sides of a pair alike
 * (see http-shares). Medians over rounds.
 */
export async function httpOverhead({ rounds, seconds } = HTTP_SETTINGS): Promise<HttpOverheadResult> {
  const pinned = hasTaskset();
  if (pinned) pin(process.pid, '0');
  const sinks = await startSinks(pinned ? '0' : undefined);
  const samples = new Map<string, RoundCost[]>();
  try {
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? HTTP_VARIANTS : [...HTTP_VARIANTS].reverse();
      for (const variant of order) {
        const sample = await runVariant(variant, sinks.udpPort, Number(new URL(sinks.otlpUrl).port), seconds, pinned ? '1' : undefined);
        samples.set(variant, [...(samples.get(variant) ?? []), sample]);
      }
    }
  } finally {
    await sinks.close();
    if (pinned) pin(process.pid, '0-1');
  }
  const costs = HTTP_VARIANTS.map((variant) => {
    const runs = samples.get(variant)!;
    return {
      variant,
      requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
      p99Ms: median(runs.map((run) => run.p99Ms)),
      cpuMicrosPerRequest: median(runs.map((run) => run.cpuMicrosPerRequest)),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
      roundsRequestsPerSecond: runs.map((run) => run.requestsPerSecond),
      roundsCpuMicrosPerRequest: runs.map((run) => run.cpuMicrosPerRequest),
    };
  });
  const placement = pinned
    ? 'The app runs alone on core 1 (taskset); autocannon and the span sink share core 0.'
    : 'taskset was not found: the app, autocannon and the span sink share both cores, so read the CPU-per-request column first.';
  const otlpExporter = samples.get('opentelemetry')?.find((sample) => sample.exporterKind !== undefined)?.exporterKind ?? 'unknown exporter';
  return { costs, placement, otlpExporter, rounds, seconds };
}
