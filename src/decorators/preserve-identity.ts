type AnyFunction = (...args: unknown[]) => unknown;

interface ReflectWithMetadata {
  getOwnMetadataKeys?: (target: object) => unknown[];
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
}

/**
 * Makes `wrapper` look like `original` to code that inspects functions: the same `name` and `length`, and every
 * reflect-metadata key defined on the function itself, so decorators applied before ours keep working.
 */
export function preserveIdentity(wrapper: AnyFunction, original: AnyFunction): void {
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  const reflect = Reflect as unknown as ReflectWithMetadata;
  if (reflect.getOwnMetadataKeys === undefined || reflect.getOwnMetadata === undefined || reflect.defineMetadata === undefined) {
    return; // reflect-metadata is not loaded, so there is no metadata to carry over
  }
  for (const key of reflect.getOwnMetadataKeys(original)) {
    reflect.defineMetadata(key, reflect.getOwnMetadata(key, original), wrapper);
  }
}
