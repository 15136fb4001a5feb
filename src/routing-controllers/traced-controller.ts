import { getMetadataArgsStorage, type Action, type ActionMetadata } from 'routing-controllers';
import { isNoSpanMethod } from '../decorators/no-span';
import { routeHandlerMarker } from '../http-server/route-handlers';
import { resolveServerTracingOptions, type ResolvedServerTracingOptions, type ServerTracingOptions } from '../http-server/server-tracing-options';
import { controllerErrorMiddleware, controllerRequestMiddleware } from './controller-middleware';
import { observeKoaDriverErrors } from './koa-driver-errors';
import { callAction, runTracedAction, type MethodOverride } from './traced-action';

type ActionArgs = ReturnType<typeof getMetadataArgsStorage>['actions'][number];

// Controller class -> its options. Actions are looked up here when they run, so an action inherited from a base
// class is traced for the traced subclass and left alone for any other.
const tracedControllers = new WeakMap<Function, ResolvedServerTracingOptions>();
const overridden = new WeakSet<ActionArgs>();

// The options an action is traced with (null: its controller is not traced), kept on routing-controllers' metadata
// of the action, one object per action for the app's lifetime, rather than looked up in the WeakMap per request.
const TRACING_OPTIONS = Symbol('jaeger-decorators.tracingOptions');

function tracingOptionsOf(actionMetadata: ActionMetadata): ResolvedServerTracingOptions | null {
  const holder = actionMetadata as ActionMetadata & { [TRACING_OPTIONS]?: ResolvedServerTracingOptions | null };
  let options = holder[TRACING_OPTIONS];
  if (options === undefined) holder[TRACING_OPTIONS] = options = tracedControllers.get(actionMetadata.controllerMetadata.target) ?? null;
  return options;
}

function overrideAction(actionArgs: ActionArgs): void {
  if (overridden.has(actionArgs)) return;
  overridden.add(actionArgs);
  const previous = actionArgs.methodOverride as MethodOverride | undefined;
  // methodOverride is routing-controllers' own hook for "call this instead of the method": it hands us the
  // request (the Action) that the method itself never sees.
  actionArgs.methodOverride = (actionMetadata: ActionMetadata, action: Action, params: unknown[]) => {
    const options = tracingOptionsOf(actionMetadata);
    return options === null ? callAction(previous, actionMetadata, action, params) : runTracedAction(options, actionMetadata, action, params, previous);
  };
}

/**
 * Says once, when the class declaration is over, that `controller` never became a routing-controllers
 * controller: nothing in it can be traced. Checked after the declaration so that `@TracedController` may stand
 * above `@Controller`/`@JsonController` (and so run before it) or below it.
 */
function warnUnlessController(controller: Function): void {
  queueMicrotask(() => {
    if (getMetadataArgsStorage().controllers.some((args) => args.target === controller)) return;
    process.emitWarning(
      `jaeger-decorators: @TracedController() is on ${controller.name || 'an anonymous class'}, which is not a routing-controllers controller, so nothing in it is traced. ` +
        'Put @Controller() or @JsonController() on the class too (in either order), or use @Span() for a class that is not a controller.',
      'TracingWarning',
    );
  });
}

/**
 * Traces every action of a routing-controllers controller (Express or Koa driver) with a server span named
 * after the handler (`UserController.getOne`), joined to the caller's trace and active for the whole action.
 * A request turned away before the action runs (a body that does not parse, a failed conversion or validation,
 * a `@UseBefore` middleware's refusal) keeps the handler's name, and the reason is logged on its span.
 * Put it above or below `@Controller`/`@JsonController`; the class is modified in place, never replaced. On a
 * class that is not a controller it does nothing but say so, once, as a `TracingWarning`.
 */
export function TracedController(options?: ServerTracingOptions): (target: any, context?: any) => void {
  const resolved = resolveServerTracingOptions('@TracedController()', options);
  return function decorateController(target: unknown): void {
    if (typeof target !== 'function') throw new TypeError('@TracedController() decorates controller classes.');
    const controller = target as Function;
    if (tracedControllers.has(controller)) return;
    tracedControllers.set(controller, resolved);
    warnUnlessController(controller);
    observeKoaDriverErrors();
    const storage = getMetadataArgsStorage();
    // First among the controller's middlewares, so the span starts before any of them runs; first after the
    // action, so the route's errors are seen before any other error middleware can end the chain.
    storage.uses.unshift(
      { target: controller, middleware: controllerRequestMiddleware(resolved), afterAction: false },
      { target: controller, middleware: controllerErrorMiddleware(), afterAction: true },
    );
    // Method decorators (@Get, ...) have all run before any class decorator, so every action is registered.
    // routing-controllers builds the subclass's actions first and skips a base method the subclass overrides.
    const methods = new Set<string>();
    for (let owner: Function | null = controller; owner !== null && owner !== Function.prototype; owner = Object.getPrototypeOf(owner) as Function | null) {
      for (const actionArgs of storage.filterActionsWithTarget(owner)) {
        overrideAction(actionArgs);
        if (methods.has(actionArgs.method)) continue;
        methods.add(actionArgs.method);
        const handler = {
          name: `${controller.name}.${actionArgs.method}`,
          excluded: isNoSpanMethod((controller.prototype as Record<string, unknown>)[actionArgs.method]),
        };
        // Marks each of the controller's routes with its handler, so a request is named after it from the start.
        // The marker is read from the route, not run: after the action, where Express steps over it (see
        // routeHandlerMarker) and Koa reaches it only once the action has answered.
        storage.uses.push({
          target: controller,
          method: actionArgs.method,
          middleware: routeHandlerMarker(handler),
          afterAction: true,
        });
      }
    }
  };
}
