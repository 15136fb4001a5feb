// Delivery benchmark worker: sends SPANS spans (traces of 100) through one reporter, then closes the tracer.
// REPORTER=udp|http (ours, through initTracer) or jaeger-client-udp (jaeger-client's own reporter, for the
// comparison). Prints the time spent creating spans and the time closing took to flush.
import { initTracer as initJaegerTracer } from 'jaeger-client';
import { closeTracer, initTracer, type TracerConfig } from 'jaeger-decorators';
import type { Tracer } from 'opentracing';

const total = Number(process.env.SPANS ?? 100000);
const config: TracerConfig =
  process.env.REPORTER === 'http'
    ? { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: process.env.COLLECTOR_URL } }
    : { sampler: { type: 'const', param: 1 }, local_agent: { reporting_host: process.env.AGENT_HOST, reporting_port: Number(process.env.AGENT_PORT) } };

async function main(): Promise<void> {
  const service = process.env.SERVICE ?? 'burst';
  const jaegerClient = process.env.REPORTER === 'jaeger-client-udp';
  const tracer: Tracer = jaegerClient
    ? initJaegerTracer({
        serviceName: service,
        sampler: { type: 'const', param: 1 },
        reporter: { agentHost: process.env.AGENT_HOST, agentPort: Number(process.env.AGENT_PORT) },
      })
    : initTracer(service, config);
  // Our reporter counts what it drops itself (a full queue); jaeger-client swaps its reporter out on close.
  const reporter = (tracer as unknown as { _reporter?: { counts?: () => { dropped: Record<string, number> } } })._reporter;
  const started = process.hrtime.bigint();
  for (let trace = 0; trace < total / 100; trace += 1) {
    const root = tracer.startSpan('root');
    for (let i = 1; i < 100; i += 1) tracer.startSpan(`child-${i}`, { childOf: root }).finish();
    root.finish();
    // Yield now and then, as a service would between requests, so the reporter's sockets get to send.
    if (trace % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
  const created = process.hrtime.bigint();
  if (jaegerClient) await new Promise<void>((resolve) => (tracer as unknown as { close(callback: () => void): void }).close(resolve));
  else await closeTracer();
  const closed = process.hrtime.bigint();
  const dropped = Object.values(reporter?.counts?.().dropped ?? {}).reduce((sum, count) => sum + count, 0);
  console.log(JSON.stringify({ createMs: Number(created - started) / 1e6, flushMs: Number(closed - created) / 1e6, droppedBySender: dropped }));
}

void main();
