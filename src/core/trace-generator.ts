import type { Span } from 'opentracing';
import { getActiveSpan, withSpan } from '../context/active-span';
import { endChildSpan, startChildSpan, type ChildSpanSpec, type StartedSpan } from './child-span';
import { isUnsampled } from './sampling';

type AnyMethod = (...args: unknown[]) => unknown;
type AnyGenerator = Generator<unknown, unknown, unknown>;
type AnyAsyncGenerator = AsyncGenerator<unknown, unknown, unknown>;

export type GeneratorKind = 'sync' | 'async';

/** Whether `fn` is a generator function (`function*`) or an async one (`async function*`), else undefined. */
export function generatorKind(fn: AnyMethod): GeneratorKind | undefined {
  const kind = fn.constructor?.name;
  if (kind === 'GeneratorFunction') return 'sync';
  if (kind === 'AsyncGeneratorFunction') return 'async';
  return undefined;
}

/**
 * The iterator the delegating generator runs through: the method's own generator, each of whose steps
 * (next, throw, return) runs with `span` active, so calls made while iterating nest below it.
 */
function stepsInSpan<G extends AnyGenerator | AnyAsyncGenerator>(span: Span, generator: G) {
  return {
    [Symbol.iterator]() {
      return this;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    next: (value?: unknown) => withSpan(span, () => generator.next(value)),
    throw: (error?: unknown) => withSpan(span, () => generator.throw(error)),
    return: (value?: unknown) => withSpan(span, () => generator.return(value)),
  };
}

// Its body starts at the caller's first next(), so the span covers the iteration, from there until the method's
// generator completes, fails, or is closed by return() (a `break` out of for...of). `yield*` hands every
// next/throw/return, and the final value, through unchanged.
function* iterateInSpan(spec: ChildSpanSpec, parent: Span | undefined, thisArg: unknown, args: unknown[], generator: AnyGenerator): AnyGenerator {
  const started = startChildSpan(spec, parent, thisArg, args);
  if (started === undefined) return yield* generator;
  let failed = false;
  let failure: unknown;
  let returned: unknown;
  try {
    returned = yield* stepsInSpan(started.span, generator) as AnyGenerator;
    return returned;
  } catch (error) {
    failed = true;
    failure = error;
    throw error;
  } finally {
    endChildSpan(started, failed, failure, returned);
  }
}

async function* iterateAsyncInSpan(
  spec: ChildSpanSpec,
  parent: Span | undefined,
  thisArg: unknown,
  args: unknown[],
  generator: AnyAsyncGenerator,
): AnyAsyncGenerator {
  const started: StartedSpan | undefined = startChildSpan(spec, parent, thisArg, args);
  if (started === undefined) return yield* generator;
  let failed = false;
  let failure: unknown;
  let returned: unknown;
  try {
    returned = yield* stepsInSpan(started.span, generator) as AnyAsyncGenerator;
    return returned;
  } catch (error) {
    failed = true;
    failure = error;
    throw error;
  } finally {
    endChildSpan(started, failed, failure, returned);
  }
}

/**
 * Wraps a generator or async generator method. Calling a generator runs none of its body, so a span around the
 * call would last 0 ms and see nothing; the span covers the iteration instead. The method itself is called at
 * once, as undecorated (its arguments are bound and checked then), and the parent is the span active at that
 * call; the caller gets a generator of ours that delegates to the method's.
 */
export function tracedGeneratorMethod(spec: ChildSpanSpec, method: AnyMethod, kind: GeneratorKind): AnyMethod {
  return function tracedGenerator(this: unknown, ...args: unknown[]): unknown {
    const parent = getActiveSpan();
    const generator = Reflect.apply(method, this, args);
    // Fast path, as for any method: no span would be seen, so the method's own generator is returned.
    if (parent === undefined ? spec.requireParent : isUnsampled(parent)) return generator;
    return kind === 'async'
      ? iterateAsyncInSpan(spec, parent, this, args, generator as AnyAsyncGenerator)
      : iterateInSpan(spec, parent, this, args, generator as AnyGenerator);
  };
}
