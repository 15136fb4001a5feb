import type { Tracer } from 'opentracing';
import { tracedMethod, type ChildSpanSpec } from '../core/trace-call';
import { assertKnownOptions } from '../internal/known-options';
import { assertCalledAsFactory, assertOptionsObject } from './decorator-arguments';
import { methodOrClassDecorator, type MethodOrClassDecorator } from './method-or-class-decorator';

/** Options of `@Span()`. */
export interface SpanOptions {
  /** Tags set on every span this decorator starts. */
  tags?: Record<string, string | number | boolean>;
  /** The tracer to use. Default: the global tracer at call time, so decorated code runs before `initTracer()`. */
  tracer?: Tracer;
  /** When true, a call with no active span runs untraced rather than starting a new trace. Default: false. */
  requireParent?: boolean;
}

const SPAN_OPTION_KEYS = ['tags', 'tracer', 'requireParent'] as const;

function readSpanArguments(args: unknown[]): { name: string | undefined; options: SpanOptions } {
  assertCalledAsFactory('Span', args);
  const [first, second] = args;
  const name = typeof first === 'string' ? first : undefined;
  const options = typeof first === 'string' || first === undefined ? second : first;
  if (name === '') throw new TypeError('@Span(): the operation name must not be empty; omit it to use ClassName.methodName.');
  if (first !== undefined && typeof first !== 'string' && second !== undefined) {
    throw new TypeError(`@Span(): the operation name must be a string, got ${typeof first}.`);
  }
  assertOptionsObject('Span', options);
  const checked = options ?? {};
  assertKnownOptions('@Span()', checked, SPAN_OPTION_KEYS);
  if (checked.tags !== undefined && (typeof checked.tags !== 'object' || checked.tags === null)) {
    throw new TypeError('@Span(): option tags must be an object of tag names to values.');
  }
  if (checked.tracer !== undefined && typeof (checked.tracer as Tracer | null)?.startSpan !== 'function') {
    throw new TypeError('@Span(): option tracer must be an OpenTracing tracer (the value initTracer() returns).');
  }
  return { name, options: checked as SpanOptions };
}

/**
 * Wraps a method (or every own method of a class) in a span, a child of the span active at the call and
 * itself active during the call, so decorated calls made inside it nest below it. What the method returns or
 * throws is unchanged; a sync method stays sync; a failure is tagged `error=true` and logged on the span.
 * Inside a trace that is not sampled it creates no span at all.
 *
 * @param name operation name. Default: `ClassName.methodName`.
 * @param options tags, a fixed tracer, requireParent.
 */
export function Span(name?: string, options?: SpanOptions): MethodOrClassDecorator;
export function Span(options: SpanOptions): MethodOrClassDecorator;
export function Span(...args: unknown[]): MethodOrClassDecorator {
  const { name, options } = readSpanArguments(args);
  return methodOrClassDecorator('Span', (method) => {
    const spec: ChildSpanSpec = {
      operationName: name === undefined ? (thisArg) => method.qualifiedName(thisArg) : () => name,
      tags: options.tags,
      tracer: options.tracer,
      requireParent: options.requireParent === true,
    };
    return tracedMethod(spec, method.original);
  });
}
