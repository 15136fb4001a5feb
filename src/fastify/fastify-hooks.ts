import type { ServerResponseLike, ServerTracing } from '../http-server/server-tracing';
import { FastifyRequestFacts, type FastifyRequestLike } from './fastify-request-facts';

/** A Fastify instance, as far as the hooks are added to it (method syntax: Fastify's overloads are assignable). */
export interface FastifyInstanceLike {
  addHook(name: any, hook: any): unknown;
}

type Done = (error?: Error) => void;

interface FastifyReplyLike {
  raw: ServerResponseLike;
}

/**
 * Adds the hooks that trace every request of `fastify` (Fastify 5, plain or under Nest's adapter): the span
 * starts at `onRequest`, before body parsing, and finishes when the raw response closes.
 *
 * Each hook that may run in another async context than the one before it is given the request's context
 * again: Fastify calls `preValidation` from the end of body parsing, in the context of the socket's data, where
 * the span started in `onRequest` is not active. `preHandler` re-enters too, for a user's hook that resumed
 * from a callback API. The handler runs inside it. With `recordErrors`, `onError` records the error with message
 * and stack, once, before any error handler answers (under Nest, its exception handler records them instead:
 * it sees the error Nest answers with, which is not always Fastify's).
 */
export function addFastifyTracingHooks(fastify: FastifyInstanceLike, tracing: ServerTracing, recordErrors: boolean): void {
  fastify.addHook('onRequest', function jaegerStartServerSpan(request: FastifyRequestLike, reply: FastifyReplyLike, done: Done): void {
    const trace = tracing.start(request.raw, reply.raw, new FastifyRequestFacts(request));
    if (trace === undefined) done();
    else trace.run(done);
  });
  const reenter = function jaegerReenterServerSpan(request: FastifyRequestLike, _reply: unknown, done: Done): void {
    const trace = tracing.of(request.raw);
    if (trace === undefined) done();
    else trace.run(done);
  };
  fastify.addHook('preValidation', reenter);
  fastify.addHook('preHandler', reenter);
  if (!recordErrors) return;
  fastify.addHook('onError', function jaegerRecordServerError(request: FastifyRequestLike, _reply: unknown, error: unknown, done: Done): void {
    tracing.of(request.raw)?.recordError(error);
    done();
  });
}
