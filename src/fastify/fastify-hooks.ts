import type { IncomingMessage } from 'node:http';
import { getActiveSpan } from '../context/active-span';
import { runUntraced } from '../http-server/ignored-request';
import { endedStream } from '../http-server/ended-stream';
import type { ServerRequestSpan, ServerResponseLike, ServerTracing } from '../http-server/server-tracing';
import { FastifyRequestFacts, type FastifyRequestLike } from './fastify-request-facts';

/** A Fastify instance, as far as the hooks are added to it (method syntax: Fastify's overloads are assignable). */
export interface FastifyInstanceLike {
  addHook(name: any, hook: any): unknown;
}

type Done = (error?: Error) => void;
type PayloadDone = (error: Error | null, payload?: unknown) => void;

interface FastifyReplyLike {
  raw: ServerResponseLike;
}

/**
 * Calls `next` with the request's span active: as it is when it already is, inside `run()` when it is not; for
 * a request not traced, as runUntraced() runs it (an ignored path under its unsampled span, else with no span).
 */
function withRequestSpan(trace: ServerRequestSpan | undefined, request: FastifyRequestLike, next: () => void): void {
  if (trace === undefined) runUntraced(request.raw as IncomingMessage, next);
  else if (getActiveSpan() === trace.span) next();
  else trace.run(next);
}

/** A payload Fastify pipes into the response (`reply.send(readable)`). */
function isStream(payload: unknown): payload is { once(event: 'error', listener: (error: unknown) => void): unknown } {
  return typeof (payload as { pipe?: unknown } | null | undefined)?.pipe === 'function' && typeof (payload as { once?: unknown }).once === 'function';
}

/**
 * Adds the hooks that trace every request of `fastify` (Fastify 5, plain or under Nest's adapter): the span
 * starts at `onRequest`, before body parsing, and finishes when the raw response closes.
 *
 * Each later hook is given the request's context again where it lost it: Fastify calls `preValidation` from the
 * end of body parsing, in the context of the socket's data, where the span started in `onRequest` is not active;
 * a handler that answers from a callback API that drops the context (a pooled client's events) has Fastify run
 * `preSerialization`, `onSend` and `onResponse` outside it. Where the span is still active, nothing is entered.
 *
 * With `recordErrors`, `onError` records the error by the status the error handler answers it with (Fastify runs
 * the hook before that handler, which may map a domain error to a 404). A streamed payload that fails after
 * the head went out (Fastify destroys the response, and calls no `onError`) is recorded from the stream itself,
 * under Nest too. Under Nest, its exception handler records the other errors instead: it sees the error Nest
 * answers with.
 */
export function addFastifyTracingHooks(fastify: FastifyInstanceLike, tracing: ServerTracing, recordErrors: boolean): void {
  fastify.addHook('onRequest', function jaegerStartServerSpan(request: FastifyRequestLike, reply: FastifyReplyLike, done: Done): void {
    const trace = tracing.start(request.raw, reply.raw, new FastifyRequestFacts(request));
    if (trace === undefined) runUntraced(request.raw as IncomingMessage, done);
    else trace.run(done);
  });
  const reenter = function jaegerReenterServerSpan(request: FastifyRequestLike, _reply: unknown, done: Done): void {
    withRequestSpan(tracing.of(request.raw), request, done);
  };
  const reenterWithPayload = function jaegerReenterServerSpanWithPayload(
    request: FastifyRequestLike,
    _reply: unknown,
    payload: unknown,
    done: PayloadDone,
  ): void {
    withRequestSpan(tracing.of(request.raw), request, () => done(null, payload));
  };
  // The route whose handler runs next stays the request's route: a handler that calls `reply.callNotFound()`
  // has Fastify answer from its 404 handler, whose route options name no route.
  const enterHandler = function jaegerEnterRouteHandler(request: FastifyRequestLike, _reply: unknown, done: Done): void {
    const trace = tracing.of(request.raw);
    const route = request.routeOptions?.url;
    if (trace !== undefined && typeof route === 'string' && route !== '') trace.setRoute(route);
    withRequestSpan(trace, request, done);
  };
  fastify.addHook('preValidation', reenter);
  fastify.addHook('preHandler', enterHandler);
  fastify.addHook('preSerialization', reenterWithPayload);
  fastify.addHook('onResponse', reenter);
  fastify.addHook(
    'onSend',
    function jaegerWatchStreamedPayload(request: FastifyRequestLike, reply: FastifyReplyLike, payload: unknown, done: PayloadDone): void {
      const trace = tracing.of(request.raw);
      // Fastify listens for the stream's errors too: one more listener changes nothing of its handling. Before the
      // head went out, Fastify hands the error to the error handler (a missing file answered 404), and onError (or
      // Nest's exception handler) records it by that answer; after, it only destroys the response, and no error
      // handler, Nest's included, sees it.
      // A source that fails once it has ended (its file closing) handed every byte on: the reply is whole.
      if (trace !== undefined && isStream(payload))
        payload.once('error', (error) => reply.raw.headersSent && !endedStream(payload) && trace.recordError(error));
      withRequestSpan(trace, request, () => done(null, payload));
    },
  );
  if (!recordErrors) return;
  fastify.addHook('onError', function jaegerRecordServerError(request: FastifyRequestLike, _reply: unknown, error: unknown, done: Done): void {
    const trace = tracing.of(request.raw);
    trace?.recordErrorWhenAnswered(error);
    withRequestSpan(trace, request, done);
  });
}
