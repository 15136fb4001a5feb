// The cases that run an app in a child process keep it on a core of its own with taskset (core 1), and the load
// generator, the span sink and the benchmark itself on the other (core 0), so the two never fight for a core.
import { spawnSync } from 'node:child_process';

export const hasTaskset = () => spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;

/** Pins every thread of process `pid` to `cpus` (taskset -a -p -c). */
export function pin(pid: number, cpus: string): void {
  spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

/** fork() options that start the child under `taskset -c cpus`, or nothing when `cpus` is undefined. */
export function forkPinnedTo(cpus: string | undefined): { execPath?: string; execArgv?: string[] } {
  return cpus === undefined ? {} : { execPath: 'taskset', execArgv: ['-c', cpus, process.execPath] };
}
