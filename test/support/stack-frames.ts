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

/** The frames of a stack outside the package, without file positions (the same code may sit on other lines). */
export function appFrames(stack: unknown): string[] {
  return frameLines(stack)
    .filter((line) => !line.includes(PACKAGE_FILES))
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
