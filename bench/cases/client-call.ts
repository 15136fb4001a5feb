// Case 6: what tracing one outgoing call costs. An app (bench/apps/client-calls, see there for the variants)
// calls a keep-alive HTTP server in another process (bench/apps/call-target-server) with fetch or http.get, one
// call at a time, each from a method of its own: untraced, traced by us (@Span and installHttpClientPatches())
// and by OpenTelemetry (startActiveSpan and its undici or http instrumentation), each also with the parent
// span alone, so the client span's own share shows. Each (client, variant) runs in its own process, every one
// in turn in each of the interleaved rounds; medians over rounds. With taskset the app has core 1 to itself;
// the target server, the span sink and this process share core 0.
import { fork } from 'node:child_process';
import path from 'node:path';
import type { ClientRun } from '../apps/client-calls';
import { messageWith, stopChild } from '../support/child-process';
import { forkPinnedTo, hasTaskset, pin } from '../support/cpu-pinning';
import { median } from '../support/measure';
import { packageVersion } from '../support/package-version';
import { fullOrQuick } from '../support/quick';
import { startSinks } from '../support/sinks';

export const CLIENTS = ['fetch', 'http.get'] as const;
export const CLIENT_VARIANTS = ['untraced', 'span-only', 'ours', 'opentelemetry-span-only', 'opentelemetry'] as const;
export type Client = (typeof CLIENTS)[number];
export type ClientVariant = (typeof CLIENT_VARIANTS)[number];

/** Rounds, and the calls each app process makes: a warm-up (JIT, the connection), then timed batches. */
export const CLIENT_SETTINGS = {
  rounds: fullOrQuick(7, 1),
  warmup: fullOrQuick(2000, 200),
  batches: fullOrQuick(40, 5),
  perBatch: fullOrQuick(50, 20),
};

export interface ClientCallCost {
  client: Client;
  variant: ClientVariant;
  /** Medians over rounds of each process's median wall time per call, its mean, and its CPU time per call, in ns. */
  medianNs: number;
  meanNs: number;
  cpuNs: number;
  /** Spans sent per call, over every round (traced variants). */
  spansPerCall?: number;
  /** Each round's median wall time per call, for the spread. */
  roundsMedianNs: number[];
}

export interface ClientCallResult {
  costs: ClientCallCost[];
  /** What the calls are, and with which packages, for the write-up. */
  workload: string;
  rounds: number;
  placement: string;
  otlpExporter: string;
}

async function startTarget(cpus: string | undefined): Promise<{ port: number; close(): Promise<void> }> {
  const child = fork(path.join(__dirname, '..', 'apps', 'call-target-server.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...forkPinnedTo(cpus),
  });
  const { port } = await messageWith<{ port: number }>(child, 'port', 'the call target server');
  return { port, close: () => stopChild(child) };
}

async function runVariant(client: Client, variant: ClientVariant, env: Record<string, string>, appCpu: string | undefined): Promise<ClientRun> {
  const child = fork(path.join(__dirname, '..', 'apps', 'client-calls.js'), [], {
    env: { ...process.env, ...env, CLIENT: client, VARIANT: variant },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...forkPinnedTo(appCpu),
  });
  try {
    return (await messageWith<{ run: ClientRun }>(child, 'run', `the ${client} ${variant} app`)).run;
  } finally {
    await stopChild(child);
  }
}

export async function clientCall({ rounds, warmup, batches, perBatch } = CLIENT_SETTINGS): Promise<ClientCallResult> {
  const pinned = hasTaskset();
  if (pinned) pin(process.pid, '0');
  const sinks = await startSinks(pinned ? '0' : undefined);
  const target = await startTarget(pinned ? '0' : undefined);
  const samples = new Map<string, ClientRun[]>();
  const key = (client: Client, variant: ClientVariant) => `${client} ${variant}`;
  try {
    const env = {
      TARGET_PORT: String(target.port),
      SINK_PORT: String(sinks.udpPort),
      SINK_HTTP_PORT: new URL(sinks.otlpUrl).port,
      WARMUP: String(warmup),
      BATCHES: String(batches),
      PER_BATCH: String(perBatch),
    };
    for (let round = 0; round < rounds; round += 1) {
      for (const client of CLIENTS) {
        for (const variant of CLIENT_VARIANTS) {
          const run = await runVariant(client, variant, env, pinned ? '1' : undefined);
          samples.set(key(client, variant), [...(samples.get(key(client, variant)) ?? []), run]);
        }
      }
    }
  } finally {
    await target.close();
    await sinks.close();
    if (pinned) pin(process.pid, '0-1');
  }

  const costs = CLIENTS.flatMap((client) =>
    CLIENT_VARIANTS.map((variant): ClientCallCost => {
      const runs = samples.get(key(client, variant))!;
      const spans = runs.map((run) => run.spansPerCall).filter((perCall) => perCall !== undefined);
      return {
        client,
        variant,
        medianNs: median(runs.map((run) => run.medianNs)),
        meanNs: median(runs.map((run) => run.meanNs)),
        cpuNs: median(runs.map((run) => run.cpuNs)),
        spansPerCall: spans.length === 0 ? undefined : spans.reduce((a, b) => a + b, 0) / spans.length,
        roundsMedianNs: runs.map((run) => run.medianNs),
      };
    }),
  );
  const workload =
    `\`await (await fetch(url)).text()\` and \`http.get\` with a keep-alive agent of one socket, body read, to \`http://127.0.0.1:PORT/\`: a keep-alive server in another process answering a small JSON body. ` +
    `OpenTelemetry: @opentelemetry/instrumentation-undici ${packageVersion('@opentelemetry/instrumentation-undici')} for fetch, @opentelemetry/instrumentation-http ${packageVersion('@opentelemetry/instrumentation-http')} for http.get. ` +
    `Each process warms up with ${warmup} calls, then times ${batches} batches of ${perBatch}`;
  const placement = pinned
    ? 'The app runs alone on core 1 (taskset); the target server, the span sink and the benchmark share core 0.'
    : 'taskset was not found: the app, the target server and the span sink share both cores, so read the CPU column first.';
  const otlpExporter = [...samples.values()].flat().find((run) => run.exporterKind !== undefined)?.exporterKind ?? 'unknown exporter';
  return { costs, workload, rounds, placement, otlpExporter };
}
