type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Finds the name of the class that declares `wrapper` by walking `thisArg`'s prototype chain. TC39 method
 * decorators are not told their class, so the name is learnt from the first call. A subclass instance still
 * reports the declaring class, as the legacy dialect does.
 */
export function declaringClassName(thisArg: unknown, methodKey: string | symbol, wrapper: AnyFunction): string | undefined {
  if (thisArg === null || thisArg === undefined) return undefined;
  let holder: object | null = Object(thisArg) as object;
  while (holder !== null) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, methodKey);
    if (descriptor !== undefined && descriptor.value === wrapper) {
      return typeof holder === 'function' ? holder.name : (holder.constructor as { name?: string } | undefined)?.name;
    }
    holder = Object.getPrototypeOf(holder) as object | null;
  }
  // Private (#name) methods live on no prototype: the instance's class is the best answer there is.
  return typeof thisArg === 'function' ? thisArg.name : (thisArg as { constructor?: { name?: string } }).constructor?.name;
}

/** `ClassName.methodName`, with a symbol key written as `[description]`. */
export function qualifiedMethodName(className: string | undefined, methodKey: string | symbol): string {
  const method = typeof methodKey === 'symbol' ? `[${methodKey.description ?? ''}]` : methodKey;
  return className ? `${className}.${method}` : method;
}
