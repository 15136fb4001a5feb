// Delivery benchmark worker: sends SPANS spans (traces of 100) through one reporter, then closes the tracer.
// REPORTER=udp|http. Prints the time spent creating spans and the time closeTracer() took to flush.
import { closeTracer, initTracer, type TracerConfig } from 'jaeger-decorators';

const total = Number(process.env.SPANS ?? 100000);
const config: TracerConfig =
  process.env.REPORTER === 'http'
    ? { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: process.env.COLLECTOR_URL } }
    : { sampler: { type: 'const', param: 1 }, local_agent: { reporting_host: process.env.AGENT_HOST, reporting_port: Number(process.env.AGENT_PORT) } };

async function main(): Promise<void> {
  const tracer = initTracer(process.env.SERVICE ?? 'burst', config);
  const started = process.hrtime.bigint();
  for (let trace = 0; trace < total / 100; trace += 1) {
    const root = tracer.startSpan('root');
    for (let i = 1; i < 100; i += 1) tracer.startSpan(`child-${i}`, { childOf: root }).finish();
    root.finish();
    // Yield now and then, as a service would between requests, so the reporter's sockets get to send.
    if (trace % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
  const created = process.hrtime.bigint();
  await closeTracer();
  const closed = process.hrtime.bigint();
  console.log(JSON.stringify({ createMs: Number(created - started) / 1e6, flushMs: Number(closed - created) / 1e6 }));
}

void main();
