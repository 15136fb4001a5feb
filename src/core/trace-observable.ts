import type { Span } from 'opentracing';
import { withSpan } from '../context/active-span';
import { endChildSpan, startChildSpan, type ChildSpanSpec } from './child-span';
import { guard, reportTracingFailure } from './guard';

/** What this file needs of an Observable (RxJS's, or any that follows the same protocol). */
interface ObservableLike {
  subscribe(observer: Partial<Observer>): Unsubscribable | undefined;
}

interface Unsubscribable {
  unsubscribe(): void;
}

interface Observer {
  next(value: unknown): void;
  error(error: unknown): void;
  complete(): void;
}

/** What `new Observable(subscribe)` takes: called once per subscription, returns the subscription's teardown. */
type SubscribeFunction = (subscriber: Observer) => () => void;
type ObservableConstructor = new (subscribe: SubscribeFunction) => ObservableLike;

// Symbol.observable is read at each check, not once at load: a polyfill (symbol-observable, which Redux loads)
// may define it after this module is loaded, and an RxJS loaded after the polyfill keys its interop method by it.
function observableSymbol(): symbol | undefined {
  return (Symbol as { observable?: symbol }).observable;
}

/** True for an RxJS-compatible Observable: `subscribe`, and the interop method under Symbol.observable or '@@observable'. */
export function isObservable(value: object): value is ObservableLike {
  const candidate = value as Record<string | symbol, unknown>;
  if (typeof candidate.subscribe !== 'function') return false;
  const key = observableSymbol();
  return typeof candidate['@@observable'] === 'function' || (key !== undefined && typeof candidate[key] === 'function');
}

// class -> the own keys an instance built from a subscribe function has, or false when the class does not build
// one that way. Learnt once per class; weak, so a class can still be unloaded.
const rebuildableClasses = new WeakMap<object, ReadonlySet<PropertyKey> | false>();

// Whether `new Class(subscribe)` makes an Observable that calls `subscribe` when subscribed to, learnt by building
// one and subscribing to it. RxJS's Observable does; its Subjects take no such function (`new BehaviorSubject(fn)`
// holds fn as its value), nor do other libraries' stateful classes (xstream's Stream wants a producer, Apollo's
// ObservableQuery its query manager), which a rebuild would turn into something else.
function keysOfRebuilt(Class: ObservableConstructor): ReadonlySet<PropertyKey> | false {
  let known = rebuildableClasses.get(Class);
  if (known !== undefined) return known;
  known = false;
  try {
    let subscribed = false;
    const probe = new Class(() => {
      subscribed = true;
      return () => {};
    });
    if (isObservable(probe)) {
      probe.subscribe({ next() {}, error() {}, complete() {} })?.unsubscribe();
      if (subscribed) known = new Set(Reflect.ownKeys(probe));
    }
  } catch {
    // not a class that takes a subscribe function: known stays false
  }
  rebuildableClasses.set(Class, known);
  return known;
}

// True when a new instance of `Class` would carry everything `source` carries: its own properties are those the
// constructor makes, or the links RxJS's `lift` gives an operator's Observable (`source`, `operator`). Anything
// else (the `connect` of RxJS's `connectable()`, the `key` of a `groupBy` group, a property the app added) would
// be lost, and the caller may use it.
function rebuildKeepsAll(source: object, keys: ReadonlySet<PropertyKey>): boolean {
  for (const key of Reflect.ownKeys(source)) {
    if (!keys.has(key) && key !== 'source' && key !== 'operator') return false;
  }
  return true;
}

/** A subscriber RxJS links to a parent: closed when the parent is, and forwarding to a destination of ours. */
type LinkedSubscriber = Observer & Unsubscribable;
type SubscriberClass = new (destination: Partial<Observer>) => LinkedSubscriber;

/**
 * RxJS's Subscriber class, found from the subscriber RxJS hands a subscribe function (an operator's, or the
 * SafeSubscriber it makes for an observer): the class its operators subscribe to their source with, each
 * instance added to the subscriber downstream, so that a consumer that stops during a synchronous emission
 * (`take(3)` of a `from(generator)`) closes what the source emits to, and the source stops. Undefined for another
 * library's subscriber: a plain observer of ours is subscribed then.
 */
function subscriberClassOf(subscriber: object): SubscriberClass | undefined {
  if (typeof (subscriber as { add?: unknown }).add !== 'function') return undefined;
  for (let prototype = Object.getPrototypeOf(subscriber) as Record<string, unknown> | null; prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
    const Class = prototype.constructor as { name?: unknown; create?: unknown } | undefined;
    if (Class?.name === 'Subscriber' && typeof Class.create === 'function' && typeof prototype._next === 'function') return Class as unknown as SubscriberClass;
  }
  return undefined;
}

/**
 * The subscribe function of a traced Observable: each subscription starts a span, a child of `parent` (the span
 * active at the call, as a generator's iteration is), subscribes to the source with that span active, and ends
 * the span on complete, on error (recorded), or on an unsubscribe before either (tagged `canceled=true`).
 */
function subscribeInSpan(spec: ChildSpanSpec, parent: Span | undefined, thisArg: unknown, args: ArrayLike<unknown>, source: ObservableLike): SubscribeFunction {
  return (subscriber) => {
    const started = startChildSpan(spec, parent, thisArg, args);
    if (started === undefined) {
      const untraced = source.subscribe(subscriber);
      return () => untraced?.unsubscribe();
    }
    let ended = false;
    const end = (failed: boolean, error: unknown, canceled: boolean) => {
      if (ended) return;
      ended = true;
      // Called from the subscriber's unsubscribe: nothing here may throw into the app.
      if (canceled) guard('tagging a canceled span', () => started.span.setTag('canceled', true));
      // resultTags see what the method returned, the source Observable, as for any method's result.
      endChildSpan(started, failed, error, source);
    };
    let subscription: Unsubscribable | undefined;
    let observer: Partial<Observer> = {
      next: (value) => subscriber.next(value),
      error: (error) => {
        end(true, error, false);
        subscriber.error(error);
      },
      complete: () => {
        end(false, undefined, false);
        subscriber.complete();
      },
    };
    const Linked = guard('linking a subscription', () => subscriberClassOf(subscriber));
    if (Linked !== undefined) {
      try {
        const linked = new Linked(observer);
        (subscriber as unknown as { add(teardown: Unsubscribable): void }).add(linked);
        observer = linked;
      } catch (error) {
        reportTracingFailure('linking a subscription', error);
      }
    }
    try {
      subscription = withSpan(started.span, () => source.subscribe(observer));
    } catch (error) {
      // A source that throws instead of calling error() (RxJS catches it and calls our error(); others may not).
      end(true, error, false);
      throw error;
    }
    return () => {
      end(false, undefined, true);
      subscription?.unsubscribe();
    };
  };
}

/**
 * A plain-object Observable (`{ subscribe, [Symbol.observable]() }`) traced: an object that inherits the
 * source's other properties, with a subscribe of its own and the interop methods returning itself.
 */
function tracedPlainObservable(source: ObservableLike, subscribe: SubscribeFunction): ObservableLike {
  const traced = Object.create(source) as ObservableLike;
  const own = (key: PropertyKey, value: unknown) => Object.defineProperty(traced, key, { value, configurable: true, writable: true });
  type Callback = (value: unknown) => void;
  // An observer, or the protocol's older form, three callbacks (`subscribe(next, error, complete)`).
  own('subscribe', (observerOrNext?: Partial<Observer> | Callback | null, onError?: Callback, onComplete?: () => void): Unsubscribable => {
    const observer: Partial<Observer> =
      typeof observerOrNext === 'function' ? { next: observerOrNext, error: onError, complete: onComplete } : (observerOrNext ?? {});
    let closed = false;
    const teardown = subscribe({
      next: (value) => {
        if (!closed) observer.next?.(value);
      },
      error: (error) => {
        if (closed) return;
        closed = true;
        observer.error?.(error);
      },
      complete: () => {
        if (closed) return;
        closed = true;
        observer.complete?.();
      },
    });
    let unsubscribed = false;
    return {
      unsubscribe: () => {
        if (unsubscribed) return;
        unsubscribed = true;
        closed = true;
        teardown();
      },
    };
  });
  own('@@observable', () => traced);
  const key = observableSymbol();
  if (key !== undefined) own(key, () => traced);
  return traced;
}

/**
 * The Observable a traced method returned, traced per subscription (see subscribeInSpan); a cold Observable
 * subscribed twice makes two spans. It is rebuilt as a new instance of the source's own class, so `pipe`,
 * operators, `instanceof` and RxJS's subscriptions work as before, when that class takes a subscribe function
 * and the rebuilt instance loses nothing of the source; a plain object is traced by one that inherits from it.
 * Returns undefined for any other (a Subject, a `connectable()`, another library's stateful class): its values
 * come from whoever feeds it, not from a subscription, and it is the caller's as it is, so it stays a value.
 */
export function tracedObservable(
  spec: ChildSpanSpec,
  parent: Span | undefined,
  thisArg: unknown,
  args: ArrayLike<unknown>,
  source: ObservableLike,
): ObservableLike | undefined {
  const prototype: unknown = Object.getPrototypeOf(source);
  if (prototype === Object.prototype || prototype === null) {
    return tracedPlainObservable(source, subscribeInSpan(spec, parent, thisArg, args, source));
  }
  const Class = (source as { constructor?: unknown }).constructor;
  if (typeof Class !== 'function') return undefined;
  const keys = keysOfRebuilt(Class as ObservableConstructor);
  if (keys === false || !rebuildKeepsAll(source, keys)) return undefined;
  try {
    return new (Class as ObservableConstructor)(subscribeInSpan(spec, parent, thisArg, args, source));
  } catch {
    return undefined;
  }
}
