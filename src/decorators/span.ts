import type { Tracer } from 'opentracing';
import type { CallTags } from '../core/call-tags';
import { expectedErrorTest, type ErrorMatcher } from '../core/expected-errors';
import { parameterTagsInUse, parameterTagsOf, tagsFromParameters, type ParameterTag } from '../core/parameter-tags';
import { tracedMethod, type ChildSpanSpec } from '../core/trace-call';
import { assertKnownOptions } from '../internal/known-options';
import { assertCalledAsFactory, assertOptionsObject } from './decorator-arguments';
import { methodOrClassDecorator, type MethodOrClassDecorator } from './method-or-class-decorator';

/** Options of `@Span()`. */
export interface SpanOptions {
  /**
   * Tags set on every span this decorator starts: an object, or a function of the call's arguments that returns
   * one (`tags: (orderId) => ({ 'order.id': orderId })`), called when the span starts. Computed values are
   * redacted and capped as request data is; a function that throws is reported once and the call goes on.
   */
  tags?: Record<string, string | number | boolean> | ((...args: any[]) => CallTags | undefined);
  /**
   * Tags computed from what the method returned, once it settles (a Promise's value, a generator's return
   * value): `resultTags: (order) => ({ 'order.status': order.status })`. Not called when the method fails.
   */
  resultTags?: (result: any) => CallTags | undefined;
  /**
   * The span follows from the active span instead of being its child (an OpenTracing FOLLOWS_FROM reference):
   * for work that outlives its caller, such as a fire-and-forget promise or a queue publish, so the caller's
   * span is not stretched to the work's end, and the link is kept. Default: false.
   */
  followsFrom?: boolean;
  /** The tracer to use. Default: the global tracer at call time, so decorated code runs before `initTracer()`. */
  tracer?: Tracer;
  /** When true, a call with no active span runs untraced rather than starting a new trace. Default: false. */
  requireParent?: boolean;
  /**
   * The span's kind, tagged `span.kind` as Jaeger and OTLP read it: `client` for a call to another system (a
   * database, a queue, a remote API), `producer`/`consumer` for messaging, `server` for handling a request,
   * `internal` for work inside the service. Default: none (Jaeger shows it as internal).
   */
  kind?: SpanKindName;
  /**
   * On a class: methods it leaves untraced, by name or pattern (`exclude: ['healthCheck', /^_/]`), beside
   * those marked `@NoSpan()`. Not an option of a method's `@Span()`.
   */
  exclude?: ReadonlyArray<string | RegExp>;
  /**
   * Errors that are not failures: error classes and functions of the error (`[NotFoundError, (error) =>
   * error.code === 'ENOENT']`). A matching error still reaches the caller unchanged, but the span is not marked
   * `error=true`: it gets one log `{event: 'expected_error', 'error.kind', message}`, without the stack.
   */
  ignoreErrors?: readonly ErrorMatcher[];
  /**
   * An error that carries an HTTP status below 500 (`status`, `statusCode`, `httpCode` or `getStatus()`: a
   * NotFoundException, a refused validation) marks the span failed. Default: false, such an error is the caller's
   * mistake and gets one `client_error` log with its `http.status_code`, without `error=true`.
   */
  errorOn4xx?: boolean;
}

/** The span kinds `@Span({ kind })` takes. */
export type SpanKindName = 'client' | 'server' | 'producer' | 'consumer' | 'internal';

const SPAN_KINDS: readonly string[] = ['client', 'server', 'producer', 'consumer', 'internal'];

const NO_PARAMETER_TAGS: readonly ParameterTag[] = [];

const SPAN_OPTION_KEYS = ['tags', 'resultTags', 'followsFrom', 'tracer', 'requireParent', 'kind', 'exclude', 'ignoreErrors', 'errorOn4xx'] as const;

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
  if (checked.tags !== undefined && typeof checked.tags !== 'function' && (typeof checked.tags !== 'object' || checked.tags === null)) {
    throw new TypeError('@Span(): option tags must be an object of tag names to values, or a function of the arguments that returns one.');
  }
  if (checked.resultTags !== undefined && typeof checked.resultTags !== 'function') {
    throw new TypeError('@Span(): option resultTags must be a function of the result that returns tag names to values.');
  }
  if (checked.followsFrom !== undefined && typeof checked.followsFrom !== 'boolean') {
    throw new TypeError('@Span(): option followsFrom must be true or false.');
  }
  if (checked.tracer !== undefined && typeof (checked.tracer as Tracer | null)?.startSpan !== 'function') {
    throw new TypeError('@Span(): option tracer must be an OpenTracing tracer (the value initTracer() returns).');
  }
  if (checked.kind !== undefined && !SPAN_KINDS.includes(checked.kind as string)) {
    throw new TypeError(
      `@Span(): option kind must be one of ${SPAN_KINDS.map((kind) => `'${kind}'`).join(', ')}, got ${JSON.stringify(checked.kind) ?? String(checked.kind)}.`,
    );
  }
  const exclude = checked.exclude as unknown;
  if (exclude !== undefined && (!Array.isArray(exclude) || !exclude.every((item) => (typeof item === 'string' && item !== '') || item instanceof RegExp))) {
    throw new TypeError("@Span(): option exclude must be a list of method names and regular expressions, e.g. ['healthCheck', /^_/].");
  }
  if (checked.errorOn4xx !== undefined && typeof checked.errorOn4xx !== 'boolean') throw new TypeError('@Span(): option errorOn4xx must be true or false.');
  return { name, options: checked as SpanOptions };
}

function excludedBy(patterns: ReadonlyArray<string | RegExp> | undefined): ((key: string) => boolean) | undefined {
  if (patterns === undefined) return undefined;
  return (key) => patterns.some((pattern) => (typeof pattern === 'string' ? pattern === key : pattern.test(key)));
}

/**
 * Wraps a method (or every own method of a class) in a span, a child of the span active at the call and
 * itself active during the call, so decorated calls made inside it nest below it. What the method returns or
 * throws is unchanged; a sync method stays sync; a failure is tagged `error=true` and logged on the span (an
 * error carrying a 4xx status is the caller's: logged as `client_error`, unless `errorOn4xx`).
 * Inside a trace that is not sampled it creates no span at all.
 *
 * @param name operation name. Default: `ClassName.methodName`.
 * @param options tags (fixed, or from the arguments), resultTags, followsFrom, a fixed tracer, requireParent, kind,
 *   ignoreErrors, errorOn4xx; on a class, exclude.
 */
export function Span(name?: string, options?: SpanOptions): MethodOrClassDecorator;
export function Span(options: SpanOptions): MethodOrClassDecorator;
export function Span(...args: unknown[]): MethodOrClassDecorator {
  const { name, options } = readSpanArguments(args);
  const tagsFromArguments = typeof options.tags === 'function' ? options.tags : undefined;
  const fixedTags = typeof options.tags === 'object' ? options.tags : undefined;
  const tags = options.kind === undefined ? fixedTags : { ...fixedTags, 'span.kind': options.kind };
  const ignoreErrors = expectedErrorTest('@Span()', options.ignoreErrors);
  const decorator = methodOrClassDecorator(
    'Span',
    (method) => {
      const spec: ChildSpanSpec = {
        operationName: name === undefined ? (thisArg) => method.qualifiedName(thisArg) : () => name,
        tags,
        tracer: options.tracer,
        requireParent: options.requireParent === true,
        callTags(thisArg, args) {
          // Parameters tagged with @SpanTag first, so the tags option, written for this method, has the last word.
          const fromParameters = parameterTagsInUse() ? parameterTagsOf(thisArg, method.key) : NO_PARAMETER_TAGS;
          if (tagsFromArguments === undefined) return fromParameters.length === 0 ? undefined : tagsFromParameters(fromParameters, args);
          const computed = Reflect.apply(tagsFromArguments, undefined, args) as CallTags | undefined;
          return fromParameters.length === 0 ? computed : { ...tagsFromParameters(fromParameters, args), ...computed };
        },
        resultTags: options.resultTags,
        followsFrom: options.followsFrom === true,
        ignoreErrors,
        errorOn4xx: options.errorOn4xx === true,
      };
      return tracedMethod(spec, method.original);
    },
    { exclude: excludedBy(options.exclude) },
  );
  return decorator;
}
