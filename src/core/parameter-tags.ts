/** One parameter whose argument becomes a tag: its position and the tag's name. */
export interface ParameterTag {
  index: number;
  name: string;
}

/** The reflect-metadata key the parameter tags of a method are kept under, on (prototype, method name). */
export const PARAMETER_TAGS_METADATA = 'jaeger-decorators:parameter-tags';

interface ReflectWithMetadata {
  getMetadata?: (key: unknown, target: object, property: string | symbol) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object, property: string | symbol) => void;
}

// Where they are kept when reflect-metadata is not loaded: by prototype (or constructor, for a static
// method), then method name. A lookup walks the prototype chain, as reflect-metadata's does.
const withoutReflectMetadata = new WeakMap<object, Map<string | symbol, ParameterTag[]>>();

function reflectMetadata(): Required<ReflectWithMetadata> | undefined {
  const reflect = Reflect as unknown as ReflectWithMetadata;
  return reflect.getMetadata !== undefined && reflect.defineMetadata !== undefined ? (reflect as Required<ReflectWithMetadata>) : undefined;
}

let anyParameterTags = false;

/** False until the first `@SpanTag` is applied: until then no call needs to look its parameters up. */
export function parameterTagsInUse(): boolean {
  return anyParameterTags;
}

/** Records that argument `index` of `target[method]` is tagged `name`. */
export function addParameterTag(target: object, method: string | symbol, tag: ParameterTag): void {
  anyParameterTags = true;
  const reflect = reflectMetadata();
  if (reflect !== undefined) {
    const own = (reflect.getMetadata(PARAMETER_TAGS_METADATA, target, method) as ParameterTag[] | undefined) ?? [];
    reflect.defineMetadata(PARAMETER_TAGS_METADATA, [...own, tag], target, method);
    return;
  }
  let methods = withoutReflectMetadata.get(target);
  if (methods === undefined) withoutReflectMetadata.set(target, (methods = new Map()));
  methods.set(method, [...(methods.get(method) ?? []), tag]);
}

/** The parameter tags of `method` as seen from `receiver` (an instance, a prototype or a class). */
export function parameterTagsOf(receiver: unknown, method: string | symbol): readonly ParameterTag[] {
  if ((typeof receiver !== 'object' && typeof receiver !== 'function') || receiver === null) return [];
  const reflect = reflectMetadata();
  if (reflect !== undefined) return (reflect.getMetadata(PARAMETER_TAGS_METADATA, receiver, method) as ParameterTag[] | undefined) ?? [];
  for (let target: object | null = receiver; target !== null; target = Object.getPrototypeOf(target) as object | null) {
    const tags = withoutReflectMetadata.get(target)?.get(method);
    if (tags !== undefined) return tags;
  }
  return [];
}

/** The tags `parameters` give `args`: each tagged argument under its tag name. */
export function tagsFromParameters(parameters: readonly ParameterTag[], args: ArrayLike<unknown>): Record<string, unknown> {
  const tags: Record<string, unknown> = {};
  for (const { index, name } of parameters) tags[name] = args[index];
  return tags;
}
