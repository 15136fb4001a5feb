/** A reporter that can say, at the process's exit, what it had not sent. */
export interface ExitWitness {
  sayUnsentAtExit(): void;
}

const open = new Set<ExitWitness>();
let listening = false;

/**
 * Asks `reporter` at the process's exit what it had not sent, until forgetAtExit(). A process that ends by
 * `process.exit()` or an uncaught exception runs no close: its buffered spans are lost, and only an `exit`
 * listener, which runs synchronously, can still say so. (A worker thread that is terminated cannot: what it
 * writes goes through its parent's thread, which does not wait for it.) One listener for every reporter.
 */
export function witnessExit(reporter: ExitWitness): void {
  open.add(reporter);
  if (listening) return;
  listening = true;
  process.on('exit', () => {
    for (const each of open) each.sayUnsentAtExit();
  });
}

export function forgetAtExit(reporter: ExitWitness): void {
  open.delete(reporter);
}

/**
 * Emits a TracingWarning at once, where `process.emitWarning` would on a later tick that an exiting process never
 * reaches. Node's own printer is a `warning` listener (absent under `--no-warnings`), as an app's are.
 */
export function warnNow(message: string): void {
  const warning = new Error(message);
  warning.name = 'TracingWarning';
  process.emit('warning', warning);
}
