import path from 'node:path';

// Frames in the package's own files are its wrappers' (a decorator's, a middleware's); every other frame is the
// app's, or its framework's.
const PACKAGE_FILES = path.dirname(require.resolve('jaeger-decorators'));

/** The frame lines of a stack as Node prints it. */
function frameLines(stack: unknown): string[] {
  return String(stack)
    .split('\n')
    .filter((line) => /^\s+at /.test(line));
}

// The event loop's own frames under a continuation (`runNextTicks`, `processTimers`): whether a promise settled in
// a timer's callback resumes from the timers phase or from the microtask queue's own drain depends on what else
// was due in that turn, so they come and go between two runs of the same code.
const EVENT_LOOP_FRAME = /\(node:internal\/(process\/task_queues|timers):/;

/**
 * The frames of a stack outside the package, without file positions (the same code may sit on other lines) and
 * without the event loop's own frames.
 */
export function appFrames(stack: unknown): string[] {
  return frameLines(stack)
    .filter((line) => !line.includes(PACKAGE_FILES) && !EVENT_LOOP_FRAME.test(line))
    .map((line) =>
      line
        .trim()
        .replace(/ \(.*\)$/, '')
        .replace(/:\d+:\d+$/, ''),
    );
}

/** The frames of a stack in the package's own files, as printed. */
export function packageFrames(stack: unknown): string[] {
  return frameLines(stack).filter((line) => line.includes(PACKAGE_FILES));
}
