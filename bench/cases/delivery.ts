// Case 3: 100,000 spans through the UDP and the HTTP reporter into the real Jaeger, counted back from its API.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fullOrQuick } from '../support/quick';

export interface DeliveryResult {
  reporter: string;
  sent: number;
  arrived: number;
  createMs: number;
  flushMs: number;
  /** Spans the sending process dropped itself (our reporter counts them; jaeger-client's does not). */
  droppedBySender: number;
}

interface JaegerEndpoints {
  queryUrl: string;
  collectorUrl: string;
  agentHost: string;
  agentPort: number;
}

/** Counts the spans Jaeger holds for `service`, polling until the count stops growing. */
async function countSpans(queryUrl: string, service: string): Promise<number> {
  let previous = -1;
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const response = await fetch(`${queryUrl}/api/traces?service=${service}&limit=100000&lookback=1h`);
    const body = (await response.json()) as { data: Array<{ spans: unknown[] }> | null };
    const count = (body.data ?? []).reduce((sum, trace) => sum + trace.spans.length, 0);
    if (count === previous && count > 0) return count;
    previous = count;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return previous;
}

/** Sends `spans` spans through each of `reporters` into `jaeger` and counts what arrived. */
export async function delivery(
  jaeger: JaegerEndpoints,
  reporters: Array<'udp' | 'http' | 'jaeger-client-udp'>,
  label: string,
  spans = fullOrQuick(100000, 10000),
): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  for (const reporter of reporters) {
    const service = `bench-delivery-${reporter}-${Date.now()}`;
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, '..', 'apps', 'span-burst.js')], {
      env: {
        ...process.env,
        REPORTER: reporter,
        SPANS: String(spans),
        SERVICE: service,
        COLLECTOR_URL: jaeger.collectorUrl,
        AGENT_HOST: jaeger.agentHost,
        AGENT_PORT: String(jaeger.agentPort),
      },
      maxBuffer: 1 << 24,
    });
    const timing = JSON.parse(stdout.trim().split('\n').pop()!) as { createMs: number; flushMs: number; droppedBySender: number };
    const name = reporter === 'jaeger-client-udp' ? "UDP, jaeger-client's reporter" : `${reporter.toUpperCase()}, ours`;
    results.push({ reporter: `${name}, ${label}`, sent: spans, arrived: await countSpans(jaeger.queryUrl, service), ...timing });
  }
  return results;
}
