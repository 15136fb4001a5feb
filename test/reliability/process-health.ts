/** Counts what must never happen while tracing runs: unhandled rejections, uncaught errors, tracing warnings. */
export function watchProcessHealth(): { unhandled: unknown[]; tracingWarnings: string[]; stop(): void } {
  const unhandled: unknown[] = [];
  const tracingWarnings: string[] = [];
  const onRejection = (reason: unknown) => unhandled.push(reason);
  const onWarning = (warning: Error) => {
    // Spans dropped while Jaeger is down are said (the reporter's DropWarnings); anything else is tracing trouble.
    if (warning.name === 'TracingWarning' && !/could not send spans to|dropped in all/.test(warning.message)) tracingWarnings.push(warning.message);
  };
  process.on('unhandledRejection', onRejection);
  process.on('warning', onWarning);
  return {
    unhandled,
    tracingWarnings,
    stop() {
      process.removeListener('unhandledRejection', onRejection);
      process.removeListener('warning', onWarning);
    },
  };
}

/** Sends `count` requests, `concurrency` at a time; resolves with the statuses (0 for a failed connection). */
export async function load(count: number, concurrency: number, send: (i: number) => Promise<number>): Promise<number[]> {
  const statuses: number[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      statuses[i] = await send(i).catch(() => 0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}
