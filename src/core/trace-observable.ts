import type { Span } from 'opentracing';
import { withSpan } from '../context/active-span';
import { endChildSpan, startChildSpan, type ChildSpanSpec } from './child-span';

/** What this file needs of an Observable (RxJS's, or any that follows the same protocol). */
interface ObservableLike {
  subscribe(observer: Partial<Observer>): { unsubscribe(): void };
}

interface Observer {
  next(value: unknown): void;
  error(error: unknown): void;
  complete(): void;
}

type ObservableConstructor = new (subscribe: (subscriber: Observer) => () => void) => ObservableLike;

// RxJS keys its interop method by Symbol.observable where the environment defines one, else by '@@observable'.
const OBSERVABLE_KEY: string | symbol = (Symbol as { observable?: symbol }).observable ?? '@@observable';

/** True for an RxJS-compatible Observable: `subscribe`, and the interop method under Symbol.observable or '@@observable'. */
export function isObservable(value: object): value is ObservableLike {
  const candidate = value as Record<string | symbol, unknown>;
  return typeof candidate.subscribe === 'function' && (typeof candidate[OBSERVABLE_KEY] === 'function' || typeof candidate['@@observable'] === 'function');
}

/**
 * The Observable a traced method returned, traced per subscription: each subscription starts a span, a child
 * of the span that was active at the call (as a generator's iteration is), subscribes to the source with that
 * span active, and ends it on complete, on error (recorded) or on an unsubscribe before either (tagged
 * `canceled=true`). A cold Observable subscribed twice makes two spans. The result is a new Observable of the
 * source's own class where that class takes a subscribe function (RxJS's does: operators, `instanceof` and
 * `pipe` keep working); otherwise a minimal Observable.
 */
export function tracedObservable(
  spec: ChildSpanSpec,
  parent: Span | undefined,
  thisArg: unknown,
  args: ArrayLike<unknown>,
  source: ObservableLike,
): ObservableLike {
  const subscribe = (subscriber: Observer): (() => void) => {
    const started = startChildSpan(spec, parent, thisArg, args);
    if (started === undefined) {
      const untraced = source.subscribe(subscriber);
      return () => untraced.unsubscribe();
    }
    let ended = false;
    const end = (failed: boolean, error?: unknown) => {
      if (ended) return;
      ended = true;
      endChildSpan(started, failed, error);
    };
    const subscription = withSpan(started.span, () =>
      source.subscribe({
        next: (value) => subscriber.next(value),
        error: (error) => {
          end(true, error);
          subscriber.error(error);
        },
        complete: () => {
          end(false);
          subscriber.complete();
        },
      }),
    );
    return () => {
      if (!ended) {
        started.span.setTag('canceled', true);
        end(false);
      }
      subscription.unsubscribe();
    };
  };
  const Observable = (source as { constructor?: unknown }).constructor;
  if (typeof Observable === 'function' && Observable !== Object) {
    try {
      return new (Observable as ObservableConstructor)(subscribe);
    } catch {
      // not a constructor that takes a subscribe function: the minimal Observable below
    }
  }
  const minimal: ObservableLike & Record<string | symbol, unknown> = {
    subscribe(observer: Partial<Observer>) {
      let closed = false;
      const teardown = subscribe({
        next: (value) => !closed && observer.next?.(value),
        error: (error) => {
          if (!closed) observer.error?.(error);
          closed = true;
        },
        complete: () => {
          if (!closed) observer.complete?.();
          closed = true;
        },
      });
      return {
        unsubscribe: () => {
          closed = true;
          teardown();
        },
      };
    },
  };
  minimal[OBSERVABLE_KEY] = () => minimal;
  return minimal;
}
