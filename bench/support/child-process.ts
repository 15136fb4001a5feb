// Talking to the benchmark's child processes over their IPC channel.
import type { ChildProcess } from 'node:child_process';

/** Resolves with the first message of `child` that has `key`; rejects if it exits first. */
export function messageWith<T>(child: ChildProcess, key: string, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (message === null || typeof message !== 'object' || !(key in message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`${what} exited with ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Kills `child` unless it has exited, and resolves once it has. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}
