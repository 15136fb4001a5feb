import { finished, Readable } from 'node:stream';
import { withSpan } from '../context/active-span';
import { endChildSpan, type StartedSpan } from './child-span';
import { reportTracingFailure } from './guard';

interface ReadableLike {
  pipe: unknown;
  on: unknown;
  read: unknown;
}

/**
 * True for a Node readable stream: an instance of `stream.Readable`, or one from another copy of the streams
 * code (the `readable-stream` package) that reads, pipes and emits like one.
 */
export function isReadableStream(value: object): value is Readable {
  if (value instanceof Readable) return true;
  const candidate = value as Partial<ReadableLike>;
  return typeof candidate.pipe === 'function' && typeof candidate.on === 'function' && typeof candidate.read === 'function';
}

/**
 * Makes the span active whenever the stream produces data: `_read`, the method a stream implements to produce
 * (what `Readable.from` runs its iterable's `next()` in), is wrapped on this one object. Work the stream does
 * there, and what that work awaits, then nests under the span, whoever reads. Work a stream does on its own
 * schedule (pushing from a socket or a timer it started elsewhere) keeps the context it was started in.
 */
function readWithSpanActive(started: StartedSpan, stream: Readable): void {
  const read = (stream as { _read?: unknown })._read;
  if (typeof read !== 'function') return;
  Object.defineProperty(stream, '_read', {
    configurable: true,
    writable: true,
    value: function readInSpan(this: Readable, size: number): unknown {
      return withSpan(started.span, () => Reflect.apply(read, this, [size]));
    },
  });
}

// How Node says a stream was closed before its end: destroyed with no error (a premature close), or through
// the async iterator a `break` out of `for await` leaves, or an AbortSignal (an AbortError).
function isCancellation(error: unknown): boolean {
  const { code, name } = error as { code?: unknown; name?: unknown };
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ABORT_ERR' || name === 'AbortError';
}

/**
 * Ends the span of a call that returned `stream` when the stream is done: its end (success), an error
 * (recorded), or a close before the end, when the consumer destroyed it or stopped reading early (tagged
 * `canceled=true`, no error). The stream is the caller's, unchanged: only listeners are added, through
 * `stream.finished`. A stream nobody reads never ends, and neither does its span.
 */
export function endSpanWhenStreamEnds(started: StartedSpan, stream: Readable): void {
  readWithSpanActive(started, stream);
  try {
    finished(stream, { writable: false }, (error) => {
      if (error === undefined || error === null) {
        endChildSpan(started, false, undefined);
      } else if (isCancellation(error)) {
        started.span.setTag('canceled', true);
        endChildSpan(started, false, undefined);
      } else {
        endChildSpan(started, true, error);
      }
    });
  } catch (error) {
    reportTracingFailure('watching a stream', error);
    endChildSpan(started, false, undefined);
  }
}
