import { WRAPPED_FUNCTION, declaringClassName, qualifiedMethodName, receiverClassName } from './method-identity';
import { preserveIdentity } from './preserve-identity';

type AnyFunction = (...args: unknown[]) => unknown;

/** A decorated method, as the wrapping routine sees it. */
export interface DecoratedMethod {
  original: AnyFunction;
  key: string | symbol;
  /** `ClassName.methodName`; `thisArg` is the receiver of a call, needed only by TC39 decorators. */
  qualifiedName(thisArg: unknown): string;
}

/** Builds the replacement for one method; `self` is the replacement itself, for name resolution. */
export type MethodWrapper = (method: DecoratedMethod) => AnyFunction;

/** TC39 decorator context, as much of it as we read. */
interface DecoratorContext {
  kind: 'class' | 'method' | 'getter' | 'setter' | 'field' | 'accessor';
  name?: string | symbol;
  static?: boolean;
}

/**
 * One decorator usable on a class or on a method, under both `experimentalDecorators` and TC39 decorators.
 * TypeScript checks call sites against the dialect the user compiles with, so the type is deliberately loose.
 */
export type MethodOrClassDecorator = (target: any, keyOrContext?: any, descriptor?: any) => any;

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

function isGeneratorFunction(fn: AnyFunction): boolean {
  const kind = fn.constructor?.name;
  return kind === 'GeneratorFunction' || kind === 'AsyncGeneratorFunction';
}

function wrapOne(decoratorName: string, wrap: MethodWrapper, original: AnyFunction, key: string | symbol, knownClassName: string | undefined): AnyFunction {
  let cachedName = knownClassName === undefined ? undefined : qualifiedMethodName(knownClassName, key);
  const method: DecoratedMethod = {
    original,
    key,
    qualifiedName(thisArg) {
      if (cachedName !== undefined) return cachedName;
      const declaring = declaringClassName(thisArg, key, wrapper);
      // Only a name found on the prototype chain is for good; a guess from one call's receiver is not kept.
      if (declaring !== undefined) cachedName = qualifiedMethodName(declaring, key);
      return cachedName ?? qualifiedMethodName(receiverClassName(thisArg), key);
    },
  };
  const wrapper = wrap(method);
  preserveIdentity(wrapper, original);
  markWrappedBy(wrapper, original, decoratorName);
  return wrapper;
}

/**
 * Wraps every own method of a class prototype in place. Left alone, deliberately: the constructor, getters and
 * setters (a span per property read is noise), generator methods (they return before their work runs),
 * symbol-keyed methods (protocol hooks such as `Symbol.iterator` or `util.inspect.custom`), static methods, and
 * methods this decorator already wraps (a method's own decorator wins over the class's).
 */
function wrapClassMethods(decoratorName: string, wrap: MethodWrapper, cls: AnyFunction, className: string): void {
  const prototype = cls.prototype as object;
  for (const key of Object.getOwnPropertyNames(prototype)) {
    if (key === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    const value: unknown = descriptor?.value;
    if (descriptor === undefined || typeof value !== 'function') continue;
    const original = value as AnyFunction;
    if (isGeneratorFunction(original) || isWrappedBy(original, decoratorName)) continue;
    Object.defineProperty(prototype, key, { ...descriptor, value: wrapOne(decoratorName, wrap, original, key, className) });
  }
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
export function methodOrClassDecorator(decoratorName: string, wrap: MethodWrapper): MethodOrClassDecorator {
  return function decorate(target: unknown, keyOrContext?: unknown, descriptor?: unknown): unknown {
    if (isTc39Context(keyOrContext)) {
      const context = keyOrContext;
      if (context.kind === 'class') {
        wrapClassMethods(decoratorName, wrap, target as AnyFunction, String(context.name ?? (target as AnyFunction).name));
        return undefined;
      }
      if (context.kind === 'method' && typeof target === 'function' && context.name !== undefined) {
        return wrapOne(decoratorName, wrap, target as AnyFunction, context.name, undefined);
      }
      throw misuse(decoratorName, `${context.kind}s (${String(context.name)})`);
    }

    // experimentalDecorators: (constructor) for a class, (prototype or constructor, key, descriptor) for a method.
    if (keyOrContext === undefined && typeof target === 'function') {
      wrapClassMethods(decoratorName, wrap, target as AnyFunction, (target as AnyFunction).name);
      return undefined;
    }
    const key = keyOrContext as string | symbol;
    const methodDescriptor = descriptor as PropertyDescriptor | undefined;
    if (typeof methodDescriptor?.value !== 'function') {
      throw misuse(decoratorName, `properties or accessors (${String(key)})`);
    }
    const className = typeof target === 'function' ? target.name : (target as { constructor?: { name?: string } }).constructor?.name;
    return { ...methodDescriptor, value: wrapOne(decoratorName, wrap, methodDescriptor.value as AnyFunction, key, className) };
  };
}
