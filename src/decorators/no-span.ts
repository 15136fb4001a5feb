import { assertCalledAsFactory } from './decorator-arguments';

const NO_SPAN = Symbol.for('jaeger-decorators.noSpan');

type MethodDecorator = {
  /** TC39 decorators, on a method. */
  <Method extends (this: any, ...args: any) => any>(target: Method, context: ClassMethodDecoratorContext<any, Method>): Method;
  /** experimentalDecorators, on a method. */
  <Method extends (...args: any) => any>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<Method>): TypedPropertyDescriptor<Method>;
};

function mark(fn: unknown): void {
  if (typeof fn === 'function') Object.defineProperty(fn, NO_SPAN, { value: true });
}

/** True for a method marked with `@NoSpan()`, which a class-wide `@Span()` or `@TracedController()` leaves untraced. */
export function isNoSpanMethod(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[NO_SPAN] === true;
}

/**
 * Leaves one method of a traced class untraced: `@Span()` on the class skips it, and `@TracedController()`
 * leaves its requests unsampled (no span, and the callee services are told not to sample either), for a
 * health check or a metrics endpoint. The method itself is returned unchanged.
 */
export function NoSpan(...args: []): MethodDecorator {
  assertCalledAsFactory('NoSpan', args);
  if (args.length > 0) throw new TypeError('@NoSpan() takes no arguments.');
  return function decorate(target: unknown, keyOrContext: unknown, descriptor?: PropertyDescriptor): any {
    const tc39 = typeof keyOrContext === 'object' && keyOrContext !== null && 'kind' in keyOrContext;
    if (tc39) {
      const kind = (keyOrContext as { kind: string }).kind;
      if (kind !== 'method') throw new TypeError(`@NoSpan() decorates methods of a traced class, not ${kind}s.`);
      mark(target);
      return target;
    }
    if (typeof descriptor?.value !== 'function') throw new TypeError('@NoSpan() decorates methods of a traced class, not classes, properties or accessors.');
    mark(descriptor.value);
    return descriptor;
  } as MethodDecorator;
}
