/** The TracingWarnings this process emits from now on, until stop(). */
export function collectTracingWarnings(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const listener = (warning: Error) => {
    if (warning.name === 'TracingWarning') messages.push(warning.message);
  };
  process.on('warning', listener);
  return { messages, stop: () => process.removeListener('warning', listener) };
}
