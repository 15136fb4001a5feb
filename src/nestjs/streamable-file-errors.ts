import type { IncomingMessage, ServerResponse } from 'node:http';
import { endedStream } from '../http-server/ended-stream';
import { RequestTrace } from '../http-server/request-trace';

type StreamErrorHandler = (this: unknown, error: Error, response: ServerResponse) => unknown;

/** Nest's StreamableFile, as far as its error handler goes (`setErrorHandler`, public since Nest 8.3). */
interface StreamableFileLike {
  getStream(): unknown;
  readonly errorHandler: StreamErrorHandler;
  setErrorHandler(handler: StreamErrorHandler): unknown;
}

const WRAPPED = Symbol('jaeger-decorators.streamableFileErrors');

/** Nest's ExpressAdapter, as far as its `reply()` goes: what every route's return value is sent through. */
export interface NestReplyingAdapter {
  reply?: (this: unknown, response: ServerResponse, body: unknown, statusCode?: number) => unknown;
  [WRAPPED]?: true;
}

function isStreamableFile(body: unknown): body is StreamableFileLike {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Partial<StreamableFileLike>;
  return typeof candidate.setErrorHandler === 'function' && typeof candidate.getStream === 'function';
}

/**
 * Records on the request's span the error of a StreamableFile whose stream fails, through the error handler
 * Nest gives every StreamableFile. Under Express, Nest hands that error to the handler only: once the file's
 * first bytes are out, it destroys the response, and the span said `http.aborted` as for a client gone, with no
 * error; before, it answers 400, and the span said `client_error` without the cause. (On Fastify, Nest sends
 * the stream through Fastify, whose hooks see its error: fastify/fastify-hooks.)
 */
function recordErrorsOf(file: StreamableFileLike, response: ServerResponse): void {
  const req = (response as { req?: IncomingMessage }).req;
  const trace = req === undefined ? undefined : RequestTrace.of(req);
  if (trace === undefined) return;
  const handler = file.errorHandler;
  file.setErrorHandler(function recordStreamError(this: unknown, error, res) {
    // After the head, the truncated file is the failure: not so for a source that fails once it has ended (its
    // file closing), whose bytes all went out, which Nest lets finish. Before the head, Nest picks the status
    // (400), and the error is recorded by it, as any error Nest answers.
    if (!res.headersSent) trace.recordErrorWhenAnswered(error);
    else if (!endedStream(file.getStream())) trace.recordError(error);
    return handler.call(this, error, res);
  });
}

/** Has `adapter` record the stream errors of the StreamableFiles its routes return (see recordErrorsOf). */
export function recordStreamableFileErrors(adapter: NestReplyingAdapter): void {
  const reply = adapter.reply;
  if (typeof reply !== 'function' || adapter[WRAPPED] === true) return;
  adapter[WRAPPED] = true;
  adapter.reply = function jaegerReply(this: unknown, response, body, statusCode) {
    if (isStreamableFile(body)) recordErrorsOf(body, response);
    return reply.call(this, response, body, statusCode);
  };
}
