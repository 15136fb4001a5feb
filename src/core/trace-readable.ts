import { errorMonitor } from 'node:events';
import { Readable } from 'node:stream';
import { withSpan } from '../context/active-span';
import { endChildSpan, type StartedSpan } from './child-span';
import { guard, reportTracingFailure } from './guard';

interface ReadableLike {
  pipe: unknown;
  on: unknown;
  read: unknown;
}

/** What this file reads of a stream's state, public since Node 18 (`errored`) or earlier. */
interface StreamState {
  readableEnded?: boolean;
  destroyed?: boolean;
  errored?: unknown;
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
  try {
    Object.defineProperty(stream, '_read', {
      configurable: true,
      writable: true,
      value: function readInSpan(this: Readable, size: number): unknown {
        return withSpan(started.span, () => Reflect.apply(read, this, [size]));
      },
    });
  } catch (error) {
    // A frozen stream, or a `_read` that cannot be redefined: its span still ends with it, nothing nests.
    reportTracingFailure('nesting the work of a stream under its span', error);
  }
}

// How Node says a stream was closed before its end on purpose: an AbortSignal (an AbortError), or a later stage
// of a pipeline that closed early (a client gone away), which destroys this one with a premature close.
function isCancellation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ABORT_ERR' || name === 'AbortError';
}

/** The streams a call's span follows to their end. */
const followedStreams = new WeakSet<object>();

/**
 * Ends the span of a call that returned `stream` when the stream is done: its `end` (success), an error
 * (recorded), or a `close` before the end, when the consumer destroyed it or stopped reading early (tagged
 * `canceled=true`, no error). The stream is the caller's, unchanged but for its `_read` (see
 * readWithSpanActive) and three listeners. A stream nobody reads never ends, and neither does its span.
 */
export function endSpanWhenStreamEnds(started: StartedSpan, stream: Readable): void {
  // A stream some call's span already follows, returned again (a method that hands out one shared stream): its
  // reading is that call's, and this call's span ends with the call, so that calls do not pile listeners and
  // wrappers of `_read` on the one stream.
  if (followedStreams.has(stream)) {
    endChildSpan(started, false, undefined, stream);
    return;
  }
  followedStreams.add(stream);
  readWithSpanActive(started, stream);
  let ended = false;
  const end = (error: unknown, closedEarly: boolean): void => {
    if (ended) return;
    ended = true;
    followedStreams.delete(stream);
    // Called from the stream's events: nothing here may throw into the stream (a copy of the streams code may
    // lack removeListener).
    if (typeof stream.removeListener === 'function') {
      stream.removeListener(errorMonitor, onError);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onClose);
    }
    const failed = error !== undefined && error !== null;
    if (failed && !isCancellation(error)) {
      endChildSpan(started, true, error);
      return;
    }
    if (failed || closedEarly) guard('tagging a canceled span', () => started.span.setTag('canceled', true));
    // resultTags see what the method returned, the stream, as for any method's result.
    endChildSpan(started, false, undefined, stream);
  };
  const onError = (error: unknown): void => end(error, false);
  // An end after a destroy is still a consumer that stopped early: a `Readable.from` stream destroyed while
  // its iterable is in a step emits 'end' once the iterable returns. A natural end comes before autoDestroy.
  const onEnd = (): void => end(undefined, (stream as StreamState).destroyed === true);
  // A close with no end before it: destroyed, by the consumer or a `break` out of `for await`. An error emitted
  // before we listened is still the stream's `errored`.
  const onClose = (): void => end((stream as StreamState).errored, true);
  try {
    // Listeners of our own rather than stream.finished(), and errorMonitor rather than 'error': any 'error'
    // listener (finished() adds one) counts as handling the error, so a stream its consumer never watched for
    // errors would fail silently instead of crashing the process as it does undecorated. errorMonitor sees the
    // error and leaves the stream's behaviour as it was.
    stream.on(errorMonitor, onError);
    stream.once('end', onEnd);
    stream.once('close', onClose);
  } catch (error) {
    reportTracingFailure('watching a stream', error);
    end(undefined, false);
    return;
  }
  // Returned already over: its events are gone, so its state says how it ended.
  const state = stream as StreamState;
  if (state.readableEnded === true) end(undefined, false);
  else if (state.destroyed === true) end(state.errored, true);
}
