// A patch of undici's private dispatcher class, kept in this one file because no public hook can do its work.
//
// undici publishes `undici:request:create` when it builds a request, in whatever async context it builds it. A
// dispatcher with a connection limit (a `Pool`, an `Agent({ connections })`, as `setGlobalDispatcher` or as a
// call's `dispatcher`) builds no request while every connection is busy: it queues the call's options and
// dispatches them when a connection frees, in the context of the call that freed it. The queued call then joined
// that other call's trace and carried its headers, and an untraced call queued behind a traced one was traced.
// Nothing is published when a call is queued, and neither `fetch` nor `undici.request` exposes a hook that runs
// where the call is made, so the caller's context can only be taken in `dispatch` itself.
//
// `DispatcherBase.prototype.dispatch`, which every Agent, Pool and Client of an undici copy inherits, is wrapped
// once that copy has published its first request (found from the request's class among the loaded modules; an
// undici bundled into the app or into Node has no such modules and is left alone: Node's own has no connection
// limit). A dispatch that returns without building its request (queued) keeps a snapshot of every
// AsyncLocalStorage, ours and OpenTelemetry's among them, under each options object it passed down; the
// dispatch that later builds the request from one of them runs in that snapshot, so the create listeners see
// the caller's span. A call that builds its request at once, nearly all of them, pays a WeakMap lookup.
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import path from 'node:path';
import { guard } from '../core/guard';

type Dispatch = (this: unknown, opts: unknown, handler: unknown) => unknown;
type Snapshot = <R>(fn: () => R) => R;

/** Marks a dispatch wrapped by a copy of this package, so a second copy leaves it alone. */
const WRAPPED = Symbol.for('jaeger-decorators.undiciDispatchKeepsCallerContext');

/** The outermost dispatch on the stack: the options objects passed down, and whether a request was built. */
interface DispatchInProgress {
  passed: object[];
  built: boolean;
}

let inProgress: DispatchInProgress | undefined;
/** A queued call's options, and the context it was made in. */
const callerContexts = new WeakMap<object, Snapshot>();
let requestClassesSeen = new WeakSet<object>();
/** Each wrapped prototype and its own dispatch, for the undo. */
const wrapped = new Map<{ dispatch: Dispatch }, Dispatch>();

function keepingCallerContext(original: Dispatch): Dispatch {
  const dispatch: Dispatch = function dispatch(this: unknown, opts, handler) {
    const callerContext = typeof opts === 'object' && opts !== null ? callerContexts.get(opts) : undefined;
    if (callerContext !== undefined) return callerContext(() => outermost(this, original, opts, handler));
    if (inProgress !== undefined) {
      if (typeof opts === 'object' && opts !== null) inProgress.passed.push(opts);
      return original.call(this, opts, handler);
    }
    return outermost(this, original, opts, handler);
  };
  Object.defineProperty(dispatch, WRAPPED, { value: true });
  return dispatch;
}

function outermost(dispatcher: unknown, original: Dispatch, opts: unknown, handler: unknown): unknown {
  const outer = inProgress;
  const call: DispatchInProgress = { passed: typeof opts === 'object' && opts !== null ? [opts] : [], built: false };
  inProgress = call;
  let result: unknown;
  try {
    result = original.call(dispatcher, opts, handler);
  } finally {
    inProgress = outer;
  }
  if (!call.built && call.passed.length > 0) {
    const snapshot = AsyncLocalStorage.snapshot() as Snapshot;
    for (const passed of call.passed) callerContexts.set(passed, snapshot);
  }
  return result;
}

/** The prototype that defines `dispatch` for the undici copy `requestClass` comes from, if it is loaded as modules. */
function dispatcherBaseOf(requestClass: object): { dispatch: Dispatch } | undefined {
  const modules = Object.values(require.cache);
  const requestModule = modules.find((module) => module?.exports === requestClass);
  if (requestModule === undefined) return undefined;
  const core = path.dirname(requestModule.filename);
  // lib/dispatcher/dispatcher-base.js from undici 6 on, lib/dispatcher-base.js in undici 5.
  for (const file of [path.join(core, '..', 'dispatcher', 'dispatcher-base.js'), path.join(core, '..', 'dispatcher-base.js')]) {
    const base = require.cache[file]?.exports as { prototype?: { dispatch?: unknown } } | undefined;
    if (typeof base?.prototype?.dispatch === 'function') return base.prototype as { dispatch: Dispatch };
  }
  return undefined;
}

function wrapDispatchOf(requestClass: object): void {
  const prototype = dispatcherBaseOf(requestClass);
  if (prototype === undefined || (prototype.dispatch as unknown as Record<symbol, unknown>)[WRAPPED]) return;
  wrapped.set(prototype, prototype.dispatch);
  prototype.dispatch = keepingCallerContext(prototype.dispatch);
}

function onCreate(message: unknown): void {
  if (inProgress !== undefined) inProgress.built = true;
  const requestClass = (message as { request?: { constructor?: unknown } }).request?.constructor;
  if (typeof requestClass !== 'function' || requestClassesSeen.has(requestClass)) return;
  requestClassesSeen.add(requestClass);
  guard('keeping queued undici calls in their context', () => wrapDispatchOf(requestClass));
}

/**
 * Makes each undici call that waits for a free connection build its request, and so its span and headers, in
 * the context it was made in. Returns the undo: the dispatch functions put back.
 */
export function keepQueuedUndiciCallsInTheirContext(): () => void {
  diagnosticsChannel.subscribe('undici:request:create', onCreate);
  return () => {
    diagnosticsChannel.unsubscribe('undici:request:create', onCreate);
    for (const [prototype, original] of wrapped) prototype.dispatch = original;
    wrapped.clear();
    requestClassesSeen = new WeakSet();
  };
}
