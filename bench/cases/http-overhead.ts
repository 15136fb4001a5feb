// Case 2: requests per second and p99 latency of a routing-controllers + Express app, untraced and traced,
// beside OpenTelemetry's auto-instrumentation. Each variant runs in its own process; autocannon loads it.
import { fork } from 'node:child_process';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { median } from '../support/measure';

export const HTTP_VARIANTS = ['untraced', 'als-only', 'middleware-unsampled', 'middleware', 'traced-controller', 'opentelemetry'] as const;

export interface HttpCost {
  variant: string;
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
}

async function load(url: string, seconds: number): Promise<{ requestsPerSecond: number; p99Ms: number; errors: number }> {
  const result = await autocannon({ url, connections: 32, duration: seconds, pipelining: 1 });
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, errors: result.errors + result.non2xx };
}

async function runVariant(variant: string, sinkPort: number, seconds: number) {
  const child = fork(path.join(__dirname, '..', 'apps', 'http-app.js'), [], {
    env: { ...process.env, VARIANT: variant, SINK_PORT: String(sinkPort) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message: { port: number }) => resolve(message.port));
      child.once('exit', (code) => reject(new Error(`${variant} app exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}/users/42`;
    await load(url, 1); // warm-up: JIT, connection pools
    return await load(url, seconds);
  } finally {
    child.kill();
  }
}

/** `rounds` rounds, each running every variant in turn; medians over rounds. */
export async function httpOverhead({ rounds = 3, seconds = 5 } = {}): Promise<HttpCost[]> {
  // Traced variants report every span over UDP to this socket, which drops them.
  const sinkSocket = dgram.createSocket('udp4');
  sinkSocket.on('message', () => {});
  await new Promise<void>((resolve) => sinkSocket.bind(0, '127.0.0.1', resolve));
  const sinkPort = (sinkSocket.address() as AddressInfo).port;
  const samples = new Map<string, Array<{ requestsPerSecond: number; p99Ms: number; errors: number }>>();
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const variant of HTTP_VARIANTS) {
        const sample = await runVariant(variant, sinkPort, seconds);
        samples.set(variant, [...(samples.get(variant) ?? []), sample]);
      }
    }
  } finally {
    sinkSocket.close();
  }
  return HTTP_VARIANTS.map((variant) => {
    const runs = samples.get(variant)!;
    return {
      variant,
      requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
      p99Ms: median(runs.map((run) => run.p99Ms)),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
    };
  });
}
