import { getMetadataArgsStorage, type Action, type ActionMetadata } from 'routing-controllers';
import type { ServerResponse } from 'node:http';
import { traceExpressRequest, type ExpressRequestLike } from '../express/trace-express-request';
import { resolveServerTracingOptions, type ResolvedServerTracingOptions, type ServerTracingOptions } from '../http-server/server-tracing-options';
import { traceKoaRequest, type KoaContextLike } from '../koa/trace-koa-request';
import { runTracedAction, type MethodOverride } from './traced-action';

type ActionArgs = ReturnType<typeof getMetadataArgsStorage>['actions'][number];

// Controller class -> its options. Actions are looked up here when they run, so an action inherited from a base
// class is traced for the traced subclass and left alone for any other.
const tracedControllers = new WeakMap<Function, ResolvedServerTracingOptions>();
const overridden = new WeakSet<ActionArgs>();

/**
 * The controller-level middleware: starts the server span before body parsers and `@UseBefore` middlewares
 * run, so the span covers the whole request. One function serves both drivers, told apart by arity of call.
 */
function controllerRequestMiddleware(options: ResolvedServerTracingOptions) {
  return function jaegerTracedController(first: unknown, second: unknown, third?: unknown): unknown {
    if (typeof third === 'function') {
      traceExpressRequest(first as ExpressRequestLike, second as ServerResponse, third as (error?: unknown) => void, 'routing-controllers', options);
      return undefined;
    }
    return traceKoaRequest(first as KoaContextLike, second as () => Promise<unknown>, 'routing-controllers', options);
  };
}

function overrideAction(actionArgs: ActionArgs): void {
  if (overridden.has(actionArgs)) return;
  overridden.add(actionArgs);
  const previous = actionArgs.methodOverride as MethodOverride | undefined;
  // methodOverride is routing-controllers' own hook for "call this instead of the method": it hands us the
  // request (the Action) that the method itself never sees.
  actionArgs.methodOverride = (actionMetadata: ActionMetadata, action: Action, params: unknown[]) => {
    const callAction = () => (previous !== undefined ? previous(actionMetadata, action, params) : actionMetadata.callMethod(params, action));
    const options = tracedControllers.get(actionMetadata.controllerMetadata.target);
    return options === undefined ? callAction() : runTracedAction(options, actionMetadata, action, callAction);
  };
}

/**
 * Traces every action of a routing-controllers controller (Express or Koa driver) with a server span named
 * after the handler (`UserController.getOne`), joined to the caller's trace and active for the whole action.
 * Put it above or below `@Controller`/`@JsonController`; the class is modified in place, never replaced.
 */
export function TracedController(options?: ServerTracingOptions): (target: any, context?: any) => void {
  const resolved = resolveServerTracingOptions('@TracedController()', options);
  return function decorateController(target: unknown): void {
    if (typeof target !== 'function') throw new TypeError('@TracedController() decorates controller classes.');
    const controller = target as Function;
    if (tracedControllers.has(controller)) return;
    tracedControllers.set(controller, resolved);
    const storage = getMetadataArgsStorage();
    // First among the controller's middlewares, so the span starts before any of them runs.
    storage.uses.unshift({ target: controller, middleware: controllerRequestMiddleware(resolved), afterAction: false });
    // Method decorators (@Get, ...) have all run before any class decorator, so every action is registered.
    for (let owner: Function | null = controller; owner !== null && owner !== Function.prototype; owner = Object.getPrototypeOf(owner) as Function | null) {
      for (const actionArgs of storage.filterActionsWithTarget(owner)) overrideAction(actionArgs);
    }
  };
}
