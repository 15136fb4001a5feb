import type { Context, ContextManager } from '@opentelemetry/api';

type AnyFunction = (...args: unknown[]) => unknown;

// One maker per arity: a wrapper whose declared parameters give it the target's `length`, as OpenTelemetry's own
// bind() keeps it (Express, for one, tells an error handler by its four parameters). OpenTelemetry sets it with
// Object.defineProperty on every wrapper, which cost some 400 ns a bind (ad-hoc loop, Node 24): instrumentation-pg
// binds a callback or two per query.
// `arguments`, not rest parameters: the target gets the arguments the wrapper got, as many as it got (handed on as
// they are, not spread), while the declared parameters only give the wrapper its length.
/* eslint-disable prefer-rest-params */

/**
 * Calls `target` with the `this` and the arguments its wrapper was called with, as they were: undefined stays
 * undefined for a strict function (AsyncLocalStorage.run would call it with null).
 */
function applyTarget(target: AnyFunction, self: unknown, args: IArguments): unknown {
  return Reflect.apply(target, self, args);
}

const MAKERS: Array<(manager: ContextManager, context: Context, target: AnyFunction) => AnyFunction> = [
  (manager, context, target) =>
    function (this: unknown) {
      return manager.with(context, applyTarget, undefined, target, this, arguments);
    },
  (manager, context, target) =>
    function (this: unknown, _a: unknown) {
      return manager.with(context, applyTarget, undefined, target, this, arguments);
    },
  (manager, context, target) =>
    function (this: unknown, _a: unknown, _b: unknown) {
      return manager.with(context, applyTarget, undefined, target, this, arguments);
    },
  (manager, context, target) =>
    function (this: unknown, _a: unknown, _b: unknown, _c: unknown) {
      return manager.with(context, applyTarget, undefined, target, this, arguments);
    },
  (manager, context, target) =>
    function (this: unknown, _a: unknown, _b: unknown, _c: unknown, _d: unknown) {
      return manager.with(context, applyTarget, undefined, target, this, arguments);
    },
];
/* eslint-enable prefer-rest-params */

/**
 * `target` bound to `context`: a function that runs it with that context active, with the `this` and arguments it
 * is called with, and the same `length`. Undefined for a target of more parameters than the makers cover: the
 * caller binds it as OpenTelemetry does.
 */
export function contextBoundFunction<F extends AnyFunction>(manager: ContextManager, context: Context, target: F): F | undefined {
  return MAKERS[target.length]?.(manager, context, target) as F | undefined;
}
