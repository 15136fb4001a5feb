import { reportTracingFailure } from './guard';

/**
 * What `ignoreErrors` lists: error classes (an error that is an instance of one is expected) and functions of
 * the error that return true for an expected one (`(error) => error.code === 'ENOENT'`).
 */
export type ErrorMatcher = (abstract new (...args: any[]) => unknown) | ((error: any) => unknown);

/** Whether an error is one of the expected ones; built once from an `ignoreErrors` option. */
export type ExpectedErrorTest = (error: unknown) => boolean;

// `class X {}` and `class X extends Error {}`: a class is matched with instanceof, never called (a class
// constructor called without `new` throws). A function whose prototype is an Error's is a class too, written
// the ES5 way.
function isClass(fn: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn)) || fn === Error || fn.prototype instanceof Error;
}

/**
 * Checks an `ignoreErrors` option at decoration (or middleware creation) time, naming `where` on a bad value,
 * and builds its test. Undefined when nothing is listed, so the failure path stays as it was. A matcher that
 * throws is reported once and the error counts as a failure.
 */
export function expectedErrorTest(where: string, matchers: unknown): ExpectedErrorTest | undefined {
  if (matchers === undefined) return undefined;
  if (!Array.isArray(matchers) || !matchers.every((matcher) => typeof matcher === 'function')) {
    throw new TypeError(`${where}: option ignoreErrors must be a list of error classes and functions (error) => boolean, got ${String(matchers)}.`);
  }
  if (matchers.length === 0) return undefined;
  const classes = matchers.filter(isClass) as Function[];
  const predicates = matchers.filter((matcher) => !isClass(matcher)) as Array<(error: unknown) => unknown>;
  return (error) => {
    for (const cls of classes) if (error instanceof cls) return true;
    for (const predicate of predicates) {
      try {
        if (predicate(error)) return true;
      } catch (matcherError) {
        reportTracingFailure(`${where}: an ignoreErrors function`, matcherError);
        return false;
      }
    }
    return false;
  };
}
