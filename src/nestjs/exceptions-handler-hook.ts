import { reportTracingFailure } from '../core/guard';
import { RequestTrace } from '../http-server/request-trace';
import type { IncomingMessage } from 'node:http';
import type { NestExceptionsHandlerClass } from './nest-core';

const HOOKED = Symbol.for('jaeger-decorators.nestExceptionsHook');

type HookedPrototype = NestExceptionsHandlerClass['prototype'] & { [HOOKED]?: true };

interface ArgumentsHostLike {
  getArgByIndex?(index: number): unknown;
  getType?(): string;
}

/**
 * The one patch of this integration, and why it is one.
 *
 * Nest answers every error of a route itself: its exception filters reply, and nothing reaches the server's own
 * error handling (Express's error middleware, Fastify's onError). A public place that sees every error does not
 * exist: an interceptor sees the handler's and the pipes' errors but not the guards', and a catch-all filter of
 * ours would take the place of the app's own global filter (Nest runs one filter per error). Every route error,
 * a guard's refusal, a pipe's, the handler's, a body that does not parse, goes through
 * `ExceptionsHandler.prototype.next(exception, host)` before any filter, so that one method is wrapped: it
 * hands the error to the request's span, which records it by the status the filter answers with (the 4xx rule),
 * then calls Nest's own unchanged, whatever that did. Installed once per process, by TracingModule.forRoot().
 * A GraphQL resolver's error goes through `ExternalExceptionsHandler.prototype.next` instead, wrapped the same way
 * (hookExternalExceptionsHandler).
 */
export function hookExceptionsHandler(ExceptionsHandler: NestExceptionsHandlerClass): void {
  recordBeforeNext(ExceptionsHandler, (exception, host) => {
    const request = host?.getArgByIndex?.(0) as { raw?: unknown } | undefined;
    // Fastify's request wraps Node's (`raw`), where the span is kept; Express's is Node's own.
    const raw = (request?.raw ?? request) as IncomingMessage | undefined;
    // Recorded by the status the response goes out with: the app's own filter may answer otherwise than the
    // error says (a domain error mapped to a 404, a 400 turned into a 503).
    if (raw !== undefined && raw !== null) RequestTrace.of(raw)?.recordErrorWhenAnswered(exception);
  });
}

/**
 * The same for GraphQL resolvers, whose errors go through `ExternalExceptionsHandler.prototype.next`: the error
 * becomes one of the response's `errors`, and the response a 200, so it is recorded at once by its own status (a
 * plain error `error=true`, an `HttpException` 4xx or a guard's refusal a `client_error`) on the span of the
 * request, active where the resolver ran. Microservice and WebSocket handlers' errors, which pass there too and
 * belong to no request, are left alone.
 */
export function hookExternalExceptionsHandler(ExternalExceptionsHandler: NestExceptionsHandlerClass): void {
  recordBeforeNext(ExternalExceptionsHandler, (exception, host) => {
    if (host?.getType?.() === 'graphql') RequestTrace.active()?.recordError(exception);
  });
}

/** Wraps the class's `next(exception, host)`, once per process: `record` first (guarded), then Nest's own, unchanged. */
function recordBeforeNext(Handler: NestExceptionsHandlerClass, record: (exception: unknown, host: ArgumentsHostLike | undefined) => void): void {
  const prototype = Handler.prototype as HookedPrototype;
  if (prototype[HOOKED] === true || typeof prototype.next !== 'function') return;
  const next = prototype.next;
  prototype.next = function nextRecordingOnSpan(this: unknown, exception: unknown, host: unknown): unknown {
    try {
      record(exception, host as ArgumentsHostLike | undefined);
    } catch (error) {
      reportTracingFailure('recording a Nest exception', error);
    }
    return Reflect.apply(next, this, [exception, host]);
  };
  prototype[HOOKED] = true;
}
