// `npm run demo`: the seed's service chain, Node and Python services calling each other, traced, each trace
// drawn as a waterfall.
import { startDemoDatabase } from './support/demo-database';
import { startChain, type RunningChain } from './support/run-services';
import { isJaegerReachable, readTrace } from './support/jaeger-traces';
import { pythonForDemo } from './support/python-services';
import { renderWaterfall } from './support/waterfall';
import type { DemoSpan } from './support/demo-span';

const REQUESTS = ['/chain/', '/chain/', '/error/'];

/** What has started so far, to stop on the way out, a signal's included. */
const running: { chain?: RunningChain; database?: { stop(): Promise<void> } } = {};
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
  return (stopping ??= (async () => {
    await running.chain?.stop();
    await running.database?.stop();
  })());
}

// Ctrl-C, or a process manager's SIGTERM, at any point: what has started is stopped before the runner leaves
// (Python services still starting are stopped as it exits, see python-services).
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the services.`);
    void stopAll().finally(() => process.exit(code));
  });
}

async function main(): Promise<void> {
  const queryUrl = (process.env.JAEGER_QUERY_URL ?? 'http://127.0.0.1:16686').replace(/\/$/, '');
  const agent = {
    agentHost: process.env.JAEGER_AGENT_HOST ?? '127.0.0.1',
    agentPort: Number(process.env.JAEGER_AGENT_PORT ?? 6832),
    compactPort: Number(process.env.JAEGER_COMPACT_PORT ?? 6831),
  };
  const withJaeger = await isJaegerReachable(queryUrl);
  console.log(
    withJaeger
      ? `Jaeger found at ${queryUrl}: services report to it over UDP (${agent.agentHost}:${agent.agentPort} from Node, :${agent.compactPort} from Python), traces are read back from Jaeger.`
      : `No Jaeger at ${queryUrl} (start one with \`npm run jaeger\`, or set JAEGER_QUERY_URL): drawing the spans the services report to this demo.`,
  );
  const python = pythonForDemo((message) => console.log(message));
  if ('missing' in python) console.log(`No Python for the Python hops (${python.missing}): the chain runs with its Node services only.`);

  const database = await startDemoDatabase();
  if ('notice' in database) {
    console.log(database.notice);
    delete process.env.DEMO_DATABASE_URL;
  } else {
    running.database = database;
    console.log(`${database.description}: service_d reads its status there, through pg, traced by installAllPatches().`);
    // The services inherit the runner's environment.
    process.env.DEMO_DATABASE_URL = database.url;
  }

  const chain = await startChain(withJaeger ? agent : undefined, 'python' in python ? python.python : undefined).catch(async (error: unknown) => {
    await stopAll();
    throw error;
  });
  running.chain = chain;
  const sent: Array<{ path: string; status: number; traceId: string }> = [];
  try {
    console.log(`\nStarted ${chain.services.map((service, i) => `${service.name.padEnd(9)} ${service.kind}, on :${chain.ports[i]}`).join('\n        ')}\n`);
    for (const path of REQUESTS) {
      const response = await fetch(`${chain.entryUrl}${path}`);
      await response.arrayBuffer();
      const traceId = response.headers.get('x-trace-id') ?? '';
      sent.push({ path, status: response.status, traceId });
      console.log(`GET ${chain.entryUrl}${path} -> ${response.status}, trace ${traceId}`);
    }
  } finally {
    await stopAll();
  }

  for (const request of sent) {
    const spans: DemoSpan[] = withJaeger ? await readTrace(queryUrl, request.traceId) : chain.spans.filter((span) => span.traceId === request.traceId);
    console.log(`\nGET ${request.path} (${request.status})`);
    console.log(renderWaterfall(spans, withJaeger ? `Jaeger: ${queryUrl}/trace/${request.traceId}` : undefined));
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify({ withJaeger, services: chain.services.map((service) => service.name), requests: sent }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
