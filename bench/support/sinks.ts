import { fork } from 'node:child_process';
import path from 'node:path';

export interface Sinks {
  udpPort: number;
  /** Jaeger's collector path on the HTTP sink. */
  httpUrl: string;
  /** OTLP/HTTP's path on the same sink. */
  otlpUrl: string;
  close(): Promise<void>;
}

/**
 * Starts bench/apps/sink-server in its own process (see there), pinned to `cpus` with taskset when given, and
 * returns where it listens.
 */
export async function startSinks(cpus?: string): Promise<Sinks> {
  const child = fork(path.join(__dirname, '..', 'apps', 'sink-server.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(cpus === undefined ? {} : { execPath: 'taskset', execArgv: ['-c', cpus, process.execPath] }),
  });
  const { udpPort, httpPort } = await new Promise<{ udpPort: number; httpPort: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { udpPort: number; httpPort: number }));
    child.once('exit', (code) => reject(new Error(`sink server exited with ${code}`)));
  });
  return {
    udpPort,
    httpUrl: `http://127.0.0.1:${httpPort}/api/traces`,
    otlpUrl: `http://127.0.0.1:${httpPort}/v1/traces`,
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
