import { fork, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { DemoSpan, SpanMessage } from './demo-span';

/** The seed's chain: service -> service_a -> service_b -> service_c -> service_d. */
export const CHAIN = [
  { name: 'service', file: 'service.js', kind: 'routing-controllers + Express, @TracedController' },
  { name: 'service_a', file: 'service-a.js', kind: 'routing-controllers + Koa, @TracedController' },
  { name: 'service_b', file: 'service-b.js', kind: 'Express + tracingMiddleware()' },
  { name: 'service_c', file: 'service-c.js', kind: 'Koa + koaTracingMiddleware()' },
  { name: 'service_d', file: 'service-d.js', kind: 'Express + tracingMiddleware() + log4js appender' },
] as const;

export interface JaegerTarget {
  agentHost: string;
  agentPort: number;
}

export interface RunningChain {
  /** URL of `service`, the entry of the chain. */
  entryUrl: string;
  ports: number[];
  /** Spans the services sent over IPC (only without Jaeger). */
  spans: DemoSpan[];
  /** Flushes every service's tracer and stops them all. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitReady(child: ChildProcess, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 15 s`)), 15000);
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} while starting`)));
  });
}

/** Starts the five services, each its own process on a free loopback port, reporting to `jaeger` or over IPC. */
export async function startChain(jaeger: JaegerTarget | undefined): Promise<RunningChain> {
  const ports = await Promise.all(CHAIN.map(() => freePort()));
  const spans: DemoSpan[] = [];
  const children: ChildProcess[] = [];
  try {
    for (let i = CHAIN.length - 1; i >= 0; i -= 1) {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DEMO_PORT: String(ports[i]),
        DEMO_NEXT_URL: i + 1 < CHAIN.length ? `http://127.0.0.1:${ports[i + 1]}` : '',
        DEMO_JAEGER: jaeger === undefined ? 'off' : 'on',
        DEMO_AGENT_HOST: jaeger?.agentHost ?? '',
        DEMO_AGENT_PORT: String(jaeger?.agentPort ?? ''),
      };
      const child = fork(path.join(__dirname, '..', 'services', CHAIN[i].file), [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (message: SpanMessage) => {
        if (message?.type === 'span') spans.push(message.span);
      });
      children.push(child);
      await waitReady(child, CHAIN[i].name);
    }
  } catch (error) {
    for (const child of children) child.kill();
    throw error;
  }
  return {
    entryUrl: `http://127.0.0.1:${ports[0]}`,
    ports,
    spans,
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
              child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              child.send('shutdown');
            }),
        ),
      );
    },
  };
}
