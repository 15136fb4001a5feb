type AnyFunction = (...args: unknown[]) => unknown;

/** On each of our wrappers: the function it wraps, so a wrapper can be recognised under another of ours. */
export const WRAPPED_FUNCTION = Symbol('jaeger-decorators.wrappedFunction');

/** True when `candidate` is `wrapper`, or one of our wrappers around it (another decorator of ours outside). */
function isOrWraps(candidate: unknown, wrapper: AnyFunction): boolean {
  for (let current = candidate; typeof current === 'function'; current = (current as unknown as Record<symbol, unknown>)[WRAPPED_FUNCTION]) {
    if (current === wrapper) return true;
  }
  return false;
}

/**
 * The name of the class that declares `wrapper`, found by walking `thisArg`'s prototype chain, or undefined
 * when it is not there (a private method, a detached call). TC39 method decorators are not told their class;
 * this finds it from a call, the fallback for later calls that have no receiver.
 */
export function declaringClassName(thisArg: unknown, methodKey: string | symbol, wrapper: AnyFunction): string | undefined {
  if (thisArg === null || thisArg === undefined) return undefined;
  let holder: object | null = Object(thisArg) as object;
  while (holder !== null) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, methodKey);
    if (descriptor !== undefined && isOrWraps(descriptor.value, wrapper)) {
      return typeof holder === 'function' ? holder.name : (holder.constructor as { name?: string } | undefined)?.name;
    }
    holder = Object.getPrototypeOf(holder) as object | null;
  }
  return undefined;
}

/** The class a call was made on: the receiver itself for a static method, else the receiver's constructor. */
export function receiverClass(thisArg: unknown): unknown {
  if (thisArg === null || thisArg === undefined) return undefined;
  return typeof thisArg === 'function' ? thisArg : (Object(thisArg) as { constructor?: unknown }).constructor;
}

/** The name of a class, or undefined for anything that is not a function with a non-empty name. */
export function classNameOf(cls: unknown): string | undefined {
  const name: unknown = typeof cls === 'function' ? cls.name : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** `ClassName.methodName`, with a symbol key written as `[description]`. */
export function qualifiedMethodName(className: string | undefined, methodKey: string | symbol): string {
  const method = typeof methodKey === 'symbol' ? `[${methodKey.description ?? ''}]` : methodKey;
  return className ? `${className}.${method}` : method;
}
