import { reportTracingFailure } from '../core/guard';
import { finishedSpanOf, type FinishedSpan } from './finished-span';

/**
 * A jaeger-client reporter that keeps a record of each finished span in memory. It records synchronously,
 * inside `span.finish()`, and closes at once: nothing waits on a timer, so fake timers cannot hold a record
 * or a close back.
 */
export class MemorySpanReporter {
  private _records: FinishedSpan[] = [];

  report(span: unknown): void {
    try {
      this._records.push(finishedSpanOf(span));
    } catch (error) {
      // A span of another shape (a jaeger-client this was not written for) must not fail the code under test.
      reportTracingFailure('recording a finished span', error);
    }
  }

  /** The records so far, in finishing order, in a new array. */
  records(): FinishedSpan[] {
    return this._records.slice();
  }

  clear(): void {
    this._records = [];
  }

  close(callback?: () => void): void {
    callback?.();
  }

  // jaeger-client hands the reporter the process (service name, host tags); a record does not carry them.
  setProcess(_serviceName: string, _tags: unknown): void {}
}
