/**
 * Catches a decorator factory used without its call parentheses (`@Span` instead of `@Span()`): the
 * factory then receives a class, a method or a decorator context where its options belong.
 */
export function assertCalledAsFactory(decoratorName: string, args: unknown[]): void {
  const [first, second] = args;
  const looksLikeDecoratorCall =
    typeof first === 'function' ||
    // A TC39 decorator context, told from options by its addInitializer (`@Span('name', { kind: 'client' })` has a kind too).
    (typeof second === 'object' && second !== null && typeof (second as { addInitializer?: unknown }).addInitializer === 'function') ||
    (typeof first === 'object' && first !== null && (typeof second === 'string' || typeof second === 'symbol') && args.length === 3);
  if (looksLikeDecoratorCall) {
    throw new TypeError(`@${decoratorName} must be called: write @${decoratorName}() with parentheses.`);
  }
}

/** Checks that `value` is a plain options object (or absent) and names the decorator when it is not. */
export function assertOptionsObject(decoratorName: string, value: unknown): asserts value is Record<string, unknown> | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new TypeError(`@${decoratorName}(): options must be an object, got ${JSON.stringify(value) ?? String(value)}.`);
  }
}
