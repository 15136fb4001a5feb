import type { ExitEvent } from './tracer-config';

export const DEFAULT_EXIT_EVENTS: readonly ExitEvent[] = ['SIGTERM', 'SIGINT', 'beforeExit'];

/**
 * Calls `close` once when the process is told to stop or runs out of work. A signal handler replaces Node's
 * default "exit at once", so after the flush the signal is raised again when nobody else listens for it: the
 * process then ends the way it would have without us. When the app listens for the signal too, it runs its own
 * shutdown (a server that drains its requests, then exits), which still finishes spans: closing now would lose
 * them, so what waits is sent (`flush`) and the tracer stays open for the app's closeTracer() or `beforeExit`.
 * Returns a function that removes the listeners.
 */
export function installExitHooks(events: readonly ExitEvent[], close: () => Promise<void>, flush: () => void): () => void {
  let closing: Promise<void> | undefined;
  const closeOnce = (): Promise<void> => (closing ??= close());

  const listeners = new Map<ExitEvent, () => void>();
  const remove = (): void => {
    for (const [event, listener] of listeners) process.removeListener(event, listener);
    listeners.clear();
  };
  for (const event of events) {
    const listener =
      event === 'beforeExit'
        ? () => void closeOnce()
        : () => {
            if (process.listenerCount(event) > 1) {
              flush();
              return;
            }
            void closeOnce().then(() => {
              remove();
              if (process.listenerCount(event) === 0) process.kill(process.pid, event);
            });
          };
    listeners.set(event, listener);
    process.on(event, listener);
  }
  return remove;
}
