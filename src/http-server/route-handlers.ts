// Marker middleware -> the handler it stands for. A traced controller puts one marker in the middleware list of
// each of its routes, so the handler a request was routed to can be read from the route itself, before (and
// whether or not) the handler runs.
const handlerNames = new WeakMap<Function, string>();

/** The markers' name, which Express keeps on each route layer (`layer.name`): set, so minifiers cannot change it. */
const MARKER_NAME = 'jaegerRouteHandler';

/**
 * A middleware that does nothing but pass the request on (Express or Koa, told apart by arity of call) and
 * that marks the route it stands in as leading to the handler `name` (`OrderController.create`).
 */
export function routeHandlerMarker(name: string): (first: unknown, second: unknown, third?: unknown) => unknown {
  const marker = function jaegerRouteHandler(_first: unknown, second: unknown, third?: unknown): unknown {
    return typeof third === 'function' ? (third as () => unknown)() : (second as () => unknown)();
  };
  Object.defineProperty(marker, 'name', { value: MARKER_NAME });
  handlerNames.set(marker, name);
  return marker;
}

/**
 * The handler named by a marker among a route's middleware: Koa router layers list the functions, Express
 * routes list layers that hold them in `handle`. Undefined when the route carries no marker.
 */
export function markedHandlerIn(stack: unknown): string | undefined {
  if (!Array.isArray(stack)) return undefined;
  for (let i = 0; i < stack.length; i += 1) {
    const item: unknown = stack[i];
    // An Express layer is asked its name first: a string compare, not a WeakMap lookup, for each of the route's
    // other middlewares. A Koa router's stack lists the functions themselves.
    const layer = item as { name?: unknown; handle?: unknown } | null;
    const fn: unknown = typeof item === 'function' ? item : layer?.name === MARKER_NAME ? layer.handle : undefined;
    const name = typeof fn === 'function' ? handlerNames.get(fn) : undefined;
    if (name !== undefined) return name;
  }
  return undefined;
}

// Handlers (`HealthController.check`) marked `@NoSpan()` in a traced controller: their requests go untraced.
const excludedHandlers = new Set<string>();

/** Says that requests routed to handler `name` are not to be traced. */
export function excludeHandler(name: string): void {
  excludedHandlers.add(name);
}

/** True for a handler marked `@NoSpan()` in a traced controller. */
export function isExcludedHandler(name: string): boolean {
  return excludedHandlers.size > 0 && excludedHandlers.has(name);
}
