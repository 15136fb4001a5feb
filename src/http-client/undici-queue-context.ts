// A patch of undici's private queue class, kept in this one file because no public hook can do its work.
//
// undici publishes `undici:request:create` when it builds a request, in whatever async context it builds it. A
// dispatcher with a connection limit (a `Pool`, an `Agent({ connections })`, as `setGlobalDispatcher` or as a
// call's `dispatcher`) builds no request while every connection is busy: it queues the call (`{ opts, handler }`
// in a FixedQueue) and dispatches it when a connection frees, in the context of the call that freed it. The
// queued call then joined that other call's trace and carried its headers, and an untraced call queued behind a
// traced one was traced. Nothing is published when a call is queued, and neither `fetch` nor `undici.request`
// exposes a hook that runs where the call is made.
//
// So the queue's `push` and `shift` are wrapped, on the FixedQueue of each undici copy once it has published its
// first request (found from the request's class among the loaded modules: an undici bundled into the app or into
// Node has no such modules and is left alone; Node's own has no connection limit). `push` takes a snapshot of
// every AsyncLocalStorage (ours and OpenTelemetry's among them) for the call it queues, in the caller's context;
// `shift` hands it on for the request undici builds at once from the call it takes off, and the create
// listeners (fetch-channels) run in it. Only a call that waits pays; `dispatch`, which apps bind and compose
// before their first request, is left as it is. Every copy of this package shares one state, through the
// global slot, so the copy that wrapped may uninstall while another still relies on the wraps.
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import path from 'node:path';
import { guard } from '../core/guard';
import { globalSlot } from '../internal/global-state';
import { loadedModules } from '../internal/module-cache';

type Snapshot = <R>(fn: () => R) => R;
type QueueMethod = (this: unknown, ...args: unknown[]) => unknown;

interface FixedQueuePrototype {
  push: QueueMethod;
  shift: QueueMethod;
}

/** What a Pool queues: the options of the call and its handler. */
interface QueuedCall {
  opts: { method?: unknown; path?: unknown };
  handler: object;
}

interface QueuedCallsState {
  /** Copies of this package with the HTTP client patches installed; the wraps are undone when none is left. */
  users: number;
  /** Each wrapped FixedQueue prototype, with its own methods. */
  wrapped: Map<FixedQueuePrototype, FixedQueuePrototype>;
  requestClassesSeen: WeakSet<object>;
  /** Each queued call, and the context it was made in. */
  callerContexts: WeakMap<object, Snapshot>;
  /** The call just taken off a queue, whose request undici builds now, in the same tick. */
  dequeued: { call: QueuedCall; context: Snapshot } | undefined;
}

const slot = globalSlot() as { undiciQueuedCalls?: QueuedCallsState };
const state: QueuedCallsState = (slot.undiciQueuedCalls ??= {
  users: 0,
  wrapped: new Map(),
  requestClassesSeen: new WeakSet(),
  callerContexts: new WeakMap(),
  dequeued: undefined,
});

function isQueuedCall(item: unknown): item is QueuedCall {
  const call = item as Partial<QueuedCall> | null;
  return typeof call === 'object' && call !== null && typeof call.opts === 'object' && call.opts !== null && typeof call.handler === 'object';
}

const forgetDequeued = () => {
  state.dequeued = undefined;
};

function wrapQueue(prototype: FixedQueuePrototype): void {
  const own = { push: prototype.push, shift: prototype.shift };
  state.wrapped.set(prototype, own);
  prototype.push = function push(this: unknown, ...args: unknown[]): unknown {
    const [item] = args;
    if (isQueuedCall(item)) state.callerContexts.set(item, AsyncLocalStorage.snapshot() as Snapshot);
    return Reflect.apply(own.push, this, args);
  };
  prototype.shift = function shift(this: unknown, ...args: unknown[]): unknown {
    const item = Reflect.apply(own.shift, this, args);
    const context = isQueuedCall(item) ? state.callerContexts.get(item) : undefined;
    if (context !== undefined) {
      state.dequeued = { call: item as QueuedCall, context };
      // The request is built in this tick or never (the call failed, the pool closed): not to be mistaken later.
      queueMicrotask(forgetDequeued);
    }
    return item;
  };
}

/** The FixedQueue prototype of the undici copy `requestClass` comes from, if that copy is loaded as modules. */
function fixedQueueOf(requestClass: object): FixedQueuePrototype | undefined {
  const loaded = loadedModules();
  let core: string | undefined;
  for (const file in loaded) {
    if (loaded[file]?.exports === requestClass) {
      core = path.dirname(file);
      break;
    }
  }
  if (core === undefined) return undefined;
  // lib/dispatcher/fixed-queue.js from undici 6 on, lib/node/fixed-queue.js in undici 5.
  for (const file of [path.join(core, '..', 'dispatcher', 'fixed-queue.js'), path.join(core, '..', 'node', 'fixed-queue.js')]) {
    const prototype = (loaded[file]?.exports as { prototype?: Partial<FixedQueuePrototype> } | undefined)?.prototype;
    if (typeof prototype?.push === 'function' && typeof prototype.shift === 'function') return prototype as FixedQueuePrototype;
  }
  return undefined;
}

function onCreate(message: unknown): void {
  const requestClass = (message as { request?: { constructor?: unknown } }).request?.constructor;
  if (typeof requestClass !== 'function' || state.requestClassesSeen.has(requestClass)) return;
  state.requestClassesSeen.add(requestClass);
  guard('keeping queued undici calls in their context', () => {
    const prototype = fixedQueueOf(requestClass);
    if (prototype !== undefined && !state.wrapped.has(prototype)) wrapQueue(prototype);
  });
}

/**
 * The context of the call `request` is built for, when it waited in a queue: the listeners of
 * `undici:request:create` run in it. Undefined for a request built as its call was made.
 */
export function queuedCallContextOf(request: { method?: unknown; path?: unknown }): Snapshot | undefined {
  const dequeued = state.dequeued;
  if (dequeued === undefined) return undefined;
  const { method, path: callPath } = dequeued.call.opts;
  // The request built from the call just dequeued carries its method and path (a `query` option appended).
  const sameCall = request.method === method && (typeof callPath !== 'string' || (typeof request.path === 'string' && request.path.startsWith(callPath)));
  return sameCall ? dequeued.context : undefined;
}

/**
 * Makes each undici call that waits for a free connection build its request, and so its span and headers, in
 * the context it was made in (with queuedCallContextOf). Returns the undo.
 */
export function keepQueuedUndiciCallsInTheirContext(): () => void {
  state.users += 1;
  diagnosticsChannel.subscribe('undici:request:create', onCreate);
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    diagnosticsChannel.unsubscribe('undici:request:create', onCreate);
    state.users -= 1;
    if (state.users > 0) return;
    for (const [prototype, own] of state.wrapped) Object.assign(prototype, own);
    state.wrapped.clear();
    state.requestClassesSeen = new WeakSet();
    state.dequeued = undefined;
  };
}
