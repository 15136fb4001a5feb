import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import type { DemoSpan, SpanMessage } from './demo-span';
import { startPythonService, type PythonKind } from './python-services';

// The test servers' free ports, and their restart when a port is taken before it is bound (plain JS, as the
// demo's PostgreSQL comes from test/servers too).
const freePorts = require('../../../test/jaeger/free-ports.js') as typeof import('../../test/jaeger/free-ports');

interface ChainService {
  name: string;
  kind: string;
  /** A Node service (a file in demo/services/), or a Python one (the seed's stack). */
  node?: string;
  python?: PythonKind;
}

/**
 * The seed's chain, service -> service_a -> ... -> service_d, with two Python hops in the seed's own stack (as
 * the seed's demo was Flask and Django throughout): every request crosses languages four times.
 */
export const CHAIN: ChainService[] = [
  { name: 'service', node: 'service.js', kind: 'Node: routing-controllers + Express, @TracedController' },
  { name: 'service_a', node: 'service-a.js', kind: 'Node: routing-controllers + Koa, @TracedController' },
  { name: 'service_e', python: 'flask', kind: "Python: Flask, jaeger_client, the seed's trace_id header" },
  { name: 'service_b', node: 'service-b.mjs', kind: 'Node: NestJS 12 on Fastify, TracingModule.forRoot()' },
  { name: 'service_c', node: 'service-c.js', kind: 'Node: Koa + koaTracingMiddleware()' },
  { name: 'service_f', python: 'django', kind: "Python: Django, jaeger_client, the seed's middleware" },
  { name: 'service_d', node: 'service-d.js', kind: 'Node: Express + tracingMiddleware() + log4js appender' },
];

export interface JaegerTarget {
  agentHost: string;
  /** UDP, binary Thrift: jaeger-client (Node). */
  agentPort: number;
  /** UDP, compact Thrift: Python's jaeger_client. */
  compactPort: number;
}

export interface RunningChain {
  services: ChainService[];
  /** URL of `service`, the entry of the chain. */
  entryUrl: string;
  ports: number[];
  /** Spans the services handed over (only without Jaeger): Node's over IPC, Python's over HTTP. */
  spans: DemoSpan[];
  /** Flushes every service's tracer and stops them all. */
  stop(): Promise<void>;
}

/** A free TCP port on the loopback, for a service or server the demo starts. */
export function freePort(): Promise<number> {
  return freePorts.freeTcpPort();
}

/** Resolves when `child` says it listens; rejects, with the last of what it wrote, if it ends or is silent. */
function waitReady(child: ChildProcess, name: string, errorOutput: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 15 s`)), 15000);
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    // 'close', not 'exit': what it wrote last (a port it could not bind) has been read by then.
    child.once('close', (code) => reject(new Error(`${name} exited with code ${code} while starting:\n${errorOutput()}`)));
  });
}

/** Where Python services POST their spans when no Jaeger runs (see test/python-peers/seed_tracing/span_sink_reporter.py). */
async function startSpanSink(spans: DemoSpan[]): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      try {
        spans.push(JSON.parse(body) as DemoSpan);
      } catch {
        // not a span: ignore it
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/spans`, close: () => server.close() };
}

function stopChild(child: ChildProcess, python: boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // A Node service flushes and leaves when told over IPC; a Python one on SIGTERM. One whose channel has
    // closed (it is dying already, on a Ctrl-C its process group got too) is sent SIGTERM.
    if (python || !child.connected) child.kill('SIGTERM');
    else child.send('shutdown', (error) => error !== null && child.kill('SIGTERM'));
  });
}

/**
 * Starts the chain, each service its own process on a free loopback port, reporting to `jaeger` or, without
 * one, to the demo itself. `python` is the venv's interpreter; without it the Python hops are left out.
 */
export function startChain(jaeger: JaegerTarget | undefined, python: string | undefined): Promise<RunningChain> {
  // A port picked free may be taken by something else before its service binds it: then the chain starts
  // again, on new ports.
  return freePorts.startOnFreePorts('the demo services', () => startChainOnFreePorts(jaeger, python), { log: console.log });
}

async function startChainOnFreePorts(jaeger: JaegerTarget | undefined, python: string | undefined): Promise<RunningChain> {
  const services = CHAIN.filter((service) => service.node !== undefined || python !== undefined);
  const ports = await Promise.all(services.map(() => freePort()));
  const spans: DemoSpan[] = [];
  const sink = jaeger === undefined ? await startSpanSink(spans) : undefined;
  const children: Array<{ child: ChildProcess; python: boolean }> = [];
  try {
    for (let i = services.length - 1; i >= 0; i -= 1) {
      const service = services[i];
      const nextUrl = i + 1 < services.length ? `http://127.0.0.1:${ports[i + 1]}` : '';
      if (service.python !== undefined) {
        const reporting = jaeger === undefined ? { spanSinkUrl: sink!.url } : { agentHost: jaeger.agentHost, compactPort: jaeger.compactPort };
        const child = await startPythonService(python!, service.python, { service: service.name, port: ports[i], nextUrl, reporting });
        children.push({ child, python: true });
        continue;
      }
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DEMO_PORT: String(ports[i]),
        DEMO_NEXT_URL: nextUrl,
        DEMO_JAEGER: jaeger === undefined ? 'off' : 'on',
        DEMO_AGENT_HOST: jaeger?.agentHost ?? '',
        DEMO_AGENT_PORT: String(jaeger?.agentPort ?? ''),
      };
      const child = fork(path.join(__dirname, '..', 'services', service.node as string), [], { env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
      child.on('message', (message: SpanMessage) => {
        if (message?.type === 'span') spans.push(message.span);
      });
      // Its errors still reach the terminal; the last of them are also kept for the error of a failed start.
      let errorOutput = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        process.stderr.write(chunk);
        errorOutput = (errorOutput + chunk.toString()).slice(-4000);
      });
      children.push({ child, python: false });
      await waitReady(child, service.name, () => errorOutput);
    }
  } catch (error) {
    for (const { child } of children) child.kill();
    sink?.close();
    throw error;
  }
  return {
    services,
    entryUrl: `http://127.0.0.1:${ports[0]}`,
    ports,
    spans,
    async stop() {
      await Promise.all(children.map(({ child, python: isPython }) => stopChild(child, isPython)));
      sink?.close();
    },
  };
}
