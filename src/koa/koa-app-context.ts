import type { IncomingMessage } from 'node:http';
import { RequestTrace } from '../http-server/request-trace';
import { originForm } from '../http-server/request-target';

/**
 * What the middleware adds, once, to a Koa app's context prototype (`app.context`, which every `ctx` of the app
 * inherits from, Koa's documented place to extend contexts):
 *
 * - `onerror` with the request's span: Koa hands an error that never went through the middleware chain (a
 *   response body stream that fails, `ctx.body = fs.createReadStream(missing)`) to `ctx.onerror` only, and
 *   calls it, and the app's `app.on('error')` listeners, outside the span's context: a request's logs there
 *   were not in its trace.
 * - a listener for the app's `error` event, where an error handler of the app's own emits what it caught
 *   (`ctx.app.emit('error', err, ctx)`, as Koa's documentation writes one): mounted after the tracing
 *   middleware, it answers the error itself, and no rejection reaches the request's span. Added once the app
 *   has served a request, so after `app.callback()` has given the app Koa's own error logger (which it adds only
 *   to an app with no `error` listener).
 * - the mount path of the route @koa/router matched: koa-mount strips its prefix from `ctx.path` before the
 *   mounted app's router matches, so `_matchedRoute` (`/users/:id`) lacks it (`/admin`). The prefix is what the
 *   original path holds before `ctx.path` at the moment the router sets `_matchedRoute`: nested mounts included.
 */
interface KoaAppContext {
  req?: IncomingMessage;
  res?: { headersSent?: boolean };
  app?: { on?(event: 'error', listener: (error: unknown, ctx?: { req?: IncomingMessage }) => void): unknown };
  originalUrl?: string;
  path?: string;
  mountPath?: unknown;
  onerror?: (this: KoaAppContext, error: unknown) => unknown;
  [MATCHED_ROUTE]?: unknown;
  [MOUNT_PREFIX]?: string;
  [EXTENDED]?: true;
}

const EXTENDED = Symbol('jaeger-decorators.koaContextExtended');
const MATCHED_ROUTE = Symbol('jaeger-decorators.matchedRoute');
const MOUNT_PREFIX = Symbol('jaeger-decorators.mountPrefix');

/** Errors a client that went away makes: the request is recorded as aborted, not as failed. */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Set while Koa's own ctx.onerror runs: the `error` event it emits carries an error recorded there (or Koa's
 * wrapper of a thrown string, which the chain's rejection already stands for). */
let inKoaOnerror = false;

function wrapOnerror(prototype: KoaAppContext): void {
  const onerror = prototype.onerror;
  if (typeof onerror !== 'function') return;
  prototype.onerror = function onerrorInRequestSpan(this: KoaAppContext, error: unknown): unknown {
    // Koa calls it with null for every response that finished: nothing to record, no span to enter.
    if (error === null || error === undefined) return onerror.call(this, error);
    const trace = this.req === undefined ? undefined : RequestTrace.of(this.req);
    if (trace === undefined) return onerror.call(this, error);
    // One error object is logged once, the chain's rejection and this call alike. A thrown string or number
    // comes from the chain only, and is no object to know again: left to it. Before the headers, Koa is about to
    // answer it: by that status (`status`, `statusCode`, else 500). After, the response is cut off whatever its
    // status said: a failure.
    if (typeof error === 'object' && !CLIENT_GONE.has((error as { code?: unknown }).code as string)) {
      if (this.res?.headersSent === true) trace.recordError(error);
      else trace.recordErrorWhenAnswered(error);
    }
    return trace.run(() => {
      inKoaOnerror = true;
      try {
        return onerror.call(this, error);
      } finally {
        inKoaOnerror = false;
      }
    });
  };
}

function listenForAppErrors(app: KoaAppContext['app']): void {
  if (typeof app?.on !== 'function') return;
  app.on('error', (error, errorCtx) => {
    if (inKoaOnerror) return;
    const trace = errorCtx?.req === undefined ? undefined : RequestTrace.of(errorCtx.req);
    // By the status the handler answers it with (a 422 it maps a validation error to is a client_error); one
    // error object is logged once, whichever way it came (Koa's own onerror emits it here too).
    if (trace !== undefined && typeof error === 'object' && error !== null) trace.recordErrorWhenAnswered(error);
  });
}

function readMatchedRoute(this: KoaAppContext): unknown {
  return this[MATCHED_ROUTE];
}

function assignMatchedRoute(this: KoaAppContext, route: unknown): void {
  this[MATCHED_ROUTE] = route;
  // Only under koa-mount, which sets mountPath: other requests pay a property read.
  if (this.mountPath === undefined) return;
  const original = originForm(this.originalUrl ?? '');
  const queryStart = original.indexOf('?');
  const originalPath = queryStart < 0 ? original : original.slice(0, queryStart);
  const path = this.path ?? '';
  if (originalPath.length > path.length && originalPath.endsWith(path)) this[MOUNT_PREFIX] = originalPath.slice(0, originalPath.length - path.length);
  // koa-mount serves its own path (`/admin`) as `/`: the route `/` there is `/admin/`.
  else if (path === '/' && originalPath !== '' && !originalPath.endsWith('/')) this[MOUNT_PREFIX] = originalPath;
  else this[MOUNT_PREFIX] = '';
}

// App contexts that could not be marked (frozen): tried once, not on every request.
const triedPrototypes = new WeakSet<object>();

/** Extends the app context `ctx` inherits from, the first time a request of that app is traced. */
export function extendKoaAppContext(ctx: object): void {
  const context = ctx as KoaAppContext;
  if (context[EXTENDED] === true) return;
  const prototype = Object.getPrototypeOf(ctx) as KoaAppContext | null;
  // A context that is no app's (built by hand, a test's): nothing to extend.
  if (prototype === null || prototype === Object.prototype || triedPrototypes.has(prototype)) return;
  triedPrototypes.add(prototype);
  try {
    Object.defineProperty(prototype, EXTENDED, { value: true });
    wrapOnerror(prototype);
    listenForAppErrors(context.app);
    if (!Object.prototype.hasOwnProperty.call(prototype, '_matchedRoute'))
      Object.defineProperty(prototype, '_matchedRoute', { configurable: true, enumerable: true, get: readMatchedRoute, set: assignMatchedRoute });
  } catch {
    // A frozen prototype: the app is traced without these.
  }
}

/** The path koa-mount stripped in front of the route @koa/router matched for `ctx`, if any. */
export function mountPrefixOf(ctx: object): string {
  return (ctx as KoaAppContext)[MOUNT_PREFIX] ?? '';
}
