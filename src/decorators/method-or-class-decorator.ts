import { generatorKind } from '../core/trace-generator';
import { WRAPPED_FUNCTION, classNameOf, declaringClassName, qualifiedMethodName, receiverClass } from './method-identity';
import { isNoSpanMethod } from './no-span';
import { preserveIdentity } from './preserve-identity';

type AnyFunction = (...args: unknown[]) => unknown;

/** A decorated method, as the wrapping routine sees it. */
export interface DecoratedMethod {
  original: AnyFunction;
  key: string | symbol;
  /**
   * `ClassName.methodName`, where ClassName is the class of `thisArg`, the receiver of the call: the class the
   * caller called, also for a method it inherits. Without a receiver, the class that declares the method.
   */
  qualifiedName(thisArg: unknown): string;
}

/** Builds the replacement for one method; `self` is the replacement itself, for name resolution. */
export type MethodWrapper = (method: DecoratedMethod) => AnyFunction;

/** What a decorator on a class leaves alone; an option of the class form only. */
export interface ClassDecoratorOptions {
  /** Methods (by name) a class-wide decoration skips, beside those marked `@NoSpan()`. */
  exclude?: (key: string) => boolean;
}

/** TC39 decorator context, as much of it as we read. */
interface DecoratorContext {
  kind: 'class' | 'method' | 'getter' | 'setter' | 'field' | 'accessor';
  name?: string | symbol;
  static?: boolean;
}

/**
 * One decorator usable on a class or on a method, under both `experimentalDecorators` and TC39 decorators:
 * TypeScript checks each use against the signatures of the dialect the project compiles with. Getters, setters,
 * accessors and fields match none of them, so putting the decorator there is a compile error (and, where types
 * cannot tell, e.g. a getter that returns a function, a TypeError when the class is defined).
 */
export interface MethodOrClassDecorator {
  /** TC39 decorators, on a class. */
  <Class extends abstract new (...args: any) => any>(target: Class, context: ClassDecoratorContext<Class>): void;
  /** TC39 decorators, on a method (static, private and generator methods included). */
  <Method extends (this: any, ...args: any) => any>(target: Method, context: ClassMethodDecoratorContext<any, Method>): Method;
  /** experimentalDecorators, on a class. (`context?: undefined` keeps TC39 uses on accessors from matching here.) */
  <Class extends Function>(target: Class, context?: undefined): void;
  /** experimentalDecorators, on a method: its descriptor holds a function value, which an accessor's does not. */
  <Method extends (...args: any) => any>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<Method>): TypedPropertyDescriptor<Method>;
}

const WRAPPED_BY = Symbol('jaeger-decorators.wrappedBy');

function isWrappedBy(fn: unknown, decoratorName: string): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, Set<string> | undefined>)[WRAPPED_BY]?.has(decoratorName) === true;
}

function markWrappedBy(wrapper: AnyFunction, original: AnyFunction, decoratorName: string): void {
  const inherited = (original as unknown as Record<symbol, Set<string> | undefined>)[WRAPPED_BY];
  const names = new Set(inherited);
  names.add(decoratorName);
  Object.defineProperty(wrapper, WRAPPED_BY, { value: names });
  Object.defineProperty(wrapper, WRAPPED_FUNCTION, { value: original });
}

/**
 * `knownDeclaringClass` is the class that declares the method, when the decorator is told it (experimental
 * decorators, TC39 class decorators); a TC39 method decorator learns it from the first call with a receiver.
 * It names calls that have no receiver of their own.
 */
function wrapOne(
  decoratorName: string,
  wrap: MethodWrapper,
  original: AnyFunction,
  key: string | symbol,
  knownDeclaringClass: string | undefined,
): AnyFunction {
  let declaredName = knownDeclaringClass === undefined ? undefined : qualifiedMethodName(knownDeclaringClass, key);
  // The name for the last receiver class seen: most methods are only ever called on one class.
  let lastClass: unknown;
  let lastName = '';
  const method: DecoratedMethod = {
    original,
    key,
    qualifiedName(thisArg) {
      const cls = receiverClass(thisArg);
      if (cls !== undefined && cls === lastClass) return lastName;
      declaredName ??= qualifiedNameOrUndefined(declaringClassName(thisArg, key, wrapper), key);
      const className = classNameOf(cls);
      if (className === undefined) return declaredName ?? qualifiedMethodName(undefined, key);
      lastClass = cls;
      lastName = qualifiedMethodName(className, key);
      return lastName;
    },
  };
  const wrapper = wrap(method);
  preserveIdentity(wrapper, original);
  markWrappedBy(wrapper, original, decoratorName);
  return wrapper;
}

/**
 * Wraps every own method of a class prototype in place. Left alone, deliberately: the constructor, getters and
 * setters (a span per property read is noise), generator methods (their work runs while the caller iterates,
 * not in the call: decorate one with `@Span()` itself to trace its iteration),
 * symbol-keyed methods (protocol hooks such as `Symbol.iterator` or `util.inspect.custom`), static methods, and
 * methods this decorator already wraps (a method's own decorator wins over the class's).
 */
function wrapClassMethods(decoratorName: string, wrap: MethodWrapper, cls: AnyFunction, className: string, classOptions: ClassDecoratorOptions): void {
  const prototype = cls.prototype as object;
  for (const key of Object.getOwnPropertyNames(prototype)) {
    if (key === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    const value: unknown = descriptor?.value;
    if (descriptor === undefined || typeof value !== 'function') continue;
    const original = value as AnyFunction;
    if (generatorKind(original) !== undefined || isWrappedBy(original, decoratorName)) continue;
    if (isNoSpanMethod(original) || classOptions.exclude?.(key) === true) continue;
    Object.defineProperty(prototype, key, { ...descriptor, value: wrapOne(decoratorName, wrap, original, key, className) });
  }
}

function qualifiedNameOrUndefined(className: string | undefined, key: string | symbol): string | undefined {
  return className === undefined ? undefined : qualifiedMethodName(className, key);
}

function isTc39Context(value: unknown): value is DecoratorContext {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

function misuse(decoratorName: string, what: string): TypeError {
  return new TypeError(`@${decoratorName}() decorates classes and methods, not ${what}.`);
}

/**
 * Creates a decorator that wraps one method, or every own method of a class, with `wrap`. Works in both
 * decorator dialects; a class is modified in place, never replaced by a subclass.
 */
export function methodOrClassDecorator(decoratorName: string, wrap: MethodWrapper, classOptions: ClassDecoratorOptions = {}): MethodOrClassDecorator {
  const onMethod = (key: string | symbol): void => {
    if (classOptions.exclude !== undefined) {
      throw new TypeError(
        `@${decoratorName}(): option exclude names methods a class-wide @${decoratorName}() leaves alone; on the method ${String(key)} it means nothing. Remove it, or use @NoSpan() on the methods to skip.`,
      );
    }
  };
  return function decorate(target: unknown, keyOrContext?: unknown, descriptor?: unknown): any {
    if (isTc39Context(keyOrContext)) {
      const context = keyOrContext;
      if (context.kind === 'class') {
        wrapClassMethods(decoratorName, wrap, target as AnyFunction, String(context.name ?? (target as AnyFunction).name), classOptions);
        return undefined;
      }
      if (context.kind === 'method') onMethod(context.name ?? '');
      if (context.kind === 'method' && typeof target === 'function' && context.name !== undefined) {
        return wrapOne(decoratorName, wrap, target as AnyFunction, context.name, undefined);
      }
      throw misuse(decoratorName, `${context.kind}s (${String(context.name)})`);
    }

    // experimentalDecorators: (constructor) for a class, (prototype or constructor, key, descriptor) for a method.
    if (keyOrContext === undefined && typeof target === 'function') {
      wrapClassMethods(decoratorName, wrap, target as AnyFunction, (target as AnyFunction).name, classOptions);
      return undefined;
    }
    const key = keyOrContext as string | symbol;
    onMethod(key);
    const methodDescriptor = descriptor as PropertyDescriptor | undefined;
    if (typeof methodDescriptor?.value !== 'function') {
      throw misuse(decoratorName, `properties or accessors (${String(key)})`);
    }
    const className = typeof target === 'function' ? target.name : (target as { constructor?: { name?: string } }).constructor?.name;
    return { ...methodDescriptor, value: wrapOne(decoratorName, wrap, methodDescriptor.value as AnyFunction, key, className) };
  };
}
