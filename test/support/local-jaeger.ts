import path from 'node:path';

/** A Jaeger this test starts and stops itself (test/jaeger/jaeger.js), for tests that must kill one. */
export interface LocalJaeger {
  queryUrl: string;
  collectorUrl: string;
  /** Base URL of the OTLP/HTTP receiver. */
  otlpHttpUrl: string;
  agentHost: string;
  agentPort: number;
  ports: Record<string, number>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

interface Launcher {
  ensureJaegerBinary(options: { build: boolean }): string | undefined;
  startJaeger(binary: string, options: { ports: 'free' | Record<string, number> }): Promise<LocalJaeger>;
}

const launcher = require(path.resolve(__dirname, '..', '..', '..', 'test', 'jaeger', 'jaeger.js')) as Launcher;

/** The built Jaeger binary, or undefined when the tests use a Jaeger they did not build (JAEGER_QUERY_URL). */
export function localJaegerBinary(): string | undefined {
  return launcher.ensureJaegerBinary({ build: false });
}

export function startLocalJaeger(binary: string, ports: 'free' | Record<string, number> = 'free'): Promise<LocalJaeger> {
  return launcher.startJaeger(binary, { ports });
}
