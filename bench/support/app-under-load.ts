// One run of an HTTP benchmark app for the counting harnesses (instructions under valgrind, bytes allocated
// under V8's GC tracing): the app started the harness's way, sent a fixed number of requests, then told to exit,
// so that what it wrote at exit (a profile, a count) is complete when the run returns.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { appOf } from '../cases/http-variants';
import type { Sinks } from './sinks';

export interface Launch {
  /** What runs the app (taskset, to pin it and run valgrind in turn), or Node itself. */
  execPath?: string;
  execArgv: string[];
  /** 'pipe' to read what the app writes to stdout (V8's GC trace); ignored otherwise. */
  stdout?: 'pipe' | 'ignore';
  /** Environment variables for the app beside the variant's and the sinks'. */
  env?: Record<string, string>;
}

export interface AppUnderLoad {
  child: ChildProcess;
  /** Sends `requests` requests over 8 connections; any error or non-2xx answer fails the run. */
  load(requests: number): Promise<void>;
}

/** Starts `variant`'s app as `launch` says, lets `drive` load it, then has it exit and returns what `drive` returned. */
export async function withAppUnderLoad<T>(variant: string, sinks: Sinks, launch: Launch, drive: (app: AppUnderLoad) => Promise<T>): Promise<T> {
  const child = fork(path.join(__dirname, '..', 'apps', appOf(variant)), [], {
    env: { ...process.env, ...launch.env, VARIANT: variant, SINK_PORT: String(sinks.udpPort), SINK_HTTP_PORT: String(new URL(sinks.otlpUrl).port) },
    stdio: ['ignore', launch.stdout ?? 'ignore', 'inherit', 'ipc'],
    ...(launch.execPath === undefined ? {} : { execPath: launch.execPath }),
    execArgv: launch.execArgv,
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.on('message', (message: { port?: number }) => typeof message?.port === 'number' && resolve(message.port));
      child.once('exit', (code) => reject(new Error(`${variant} exited with ${code} before listening`)));
    });
    const url = `http://127.0.0.1:${port}/users/42`;
    const result = await drive({
      child,
      load: async (requests) => {
        const answers = await autocannon({ url, connections: 8, amount: requests, timeout: 60 });
        if (answers.errors + answers.non2xx > 0) throw new Error(`${variant}: ${answers.errors} errors, ${answers.non2xx} non-2xx answers`);
      },
    });
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.send('exit');
    });
    return result;
  } finally {
    child.kill();
  }
}
