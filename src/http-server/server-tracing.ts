import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from 'opentracing';
import { runUntraced } from './ignored-request';
import { RequestTrace } from './request-trace';
import { resolveServerTracingOptions, type ServerTracingOptions } from './server-tracing-options';

/** Node's `IncomingMessage`, as far as a server span reads it (declared here: the types need no Node types). */
export interface IncomingRequestLike {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Node's `ServerResponse` of that request, as far as the span uses it: its `close` event finishes the span, with
 * the status sent and whether it was (`writableEnded`: the response was ended before its connection closed); `traceResponseHeader` sets a header before the head is
 * written. Pass Node's own (`reply.raw`, `ctx.res`, `h.response().raw`...).
 */
export interface ServerResponseLike {
  statusCode: number;
  /** The request it answers: Node sets it on every server response. */
  readonly req: IncomingRequestLike;
  readonly writableEnded: boolean;
  readonly headersSent: boolean;
  on(event: 'close', listener: () => void): unknown;
  setHeader(name: string, value: string): unknown;
  hasHeader(name: string): boolean;
  writeHead(...args: any[]): unknown;
}

/** What a framework tells the server span about a request, read when the span records and when it finishes. */
export interface ServerRequestFacts {
  /** The route template that matched (`/users/:id`), once routing has happened. */
  route?: () => string | undefined;
  /** The handler the request was routed to (`UsersController.getOne`), when the framework names it. */
  handler?: () => string | undefined;
  /** Route parameters, for the error logs' `request.args` (secret names redacted). */
  params?: () => Record<string, unknown> | undefined;
  /** The parsed body, for the error logs' `request.data` when `recordBody` is on (secret fields redacted). */
  body?: () => unknown;
}

/** The server span of one request, as `createServerTracing().start()` returns it. */
export interface ServerRequestSpan {
  /** The OpenTracing span: a child of the caller's span, finished when the response is. */
  readonly span: Span;
  /** Runs `fn` with the span active, so `@Span` methods, outgoing calls and logs inside it join the request. */
  run<T>(fn: () => T): T;
  /** Names the span after the handler (with `operationName: 'handler'`); tags `component` where it is not the one the span started with. */
  setHandler(component: string, handler: string, params?: Record<string, unknown>): void;
  /** Sets `http.route` (and the route-style name) when the framework's facts do not give it. */
  setRoute(route: string): void;
  /**
   * Records an error the request failed with, as every integration does: a 4xx error (one carrying `status`,
   * `statusCode`, `httpCode` or `getStatus()` below 500) as `client_error` with its validation messages, secrets
   * redacted; any other as `error=true` and the seed's error log, with stack and the request's redacted details.
   * The same error is logged once, whichever layer reports it.
   */
  recordError(error: unknown): void;
  /**
   * Records an error by the status the response goes out with, once it has, rather than by the status the error
   * carries: for an error that the framework's error handler answers after you see it, and may answer with any
   * status (a domain error mapped to a 404, a 400 turned into a 503). Answered with a success, it is logged as an
   * expected error; a client gone before the answer leaves the error's own status to go by.
   */
  recordErrorWhenAnswered(error: unknown): void;
  /** Leaves the request untraced from here on: nothing of its trace is reported, downstream included. */
  exclude(): void;
}

/** Starts and finds the server spans of requests, for one framework and one set of options. */
export interface ServerTracing {
  /**
   * Starts the server span of `req` (joined to the caller through the propagation headers), or returns the one
   * some layer already started. It finishes, with status, route, name and error flag, when `res` closes.
   * Undefined for an ignored path, before `initTracer()`, or if tracing itself failed (reported once).
   */
  start(req: IncomingRequestLike, res: ServerResponseLike, facts?: ServerRequestFacts): ServerRequestSpan | undefined;
  /** The server span started for `req`, if any. */
  of(req: IncomingRequestLike): ServerRequestSpan | undefined;
  /**
   * Runs `fn`, the rest of a request `start()` returned no span for. An ignored path (a health check) runs under
   * a span of a trace not sampled, so that nothing it reaches (a `@Span` service, a database call, an outgoing
   * call) starts a trace of its own on every probe; any other request runs with no span active.
   */
  runUntraced<T>(req: IncomingRequestLike, fn: () => T): T;
}

/**
 * The server span every integration of this library uses (Express, Koa, Fastify, NestJS), for any other
 * framework: the same tags, µs timing, redaction, ignored paths, `traceResponseHeader`, 4xx rule and error logs.
 * Call `start()` from the framework's first hook with Node's request and response, run the rest of the request
 * inside `run()`, and report the handler, route and error as the framework learns them.
 *
 * @param component the `component` tag, the framework's name (`hapi`).
 * @param options the options of `tracingMiddleware()`, checked now: a wrong one throws, naming the key.
 */
export function createServerTracing(component: string, options?: ServerTracingOptions): ServerTracing {
  return serverTracing(component, options, false);
}

/**
 * The server tracing of a framework that answers a handler's errors itself, after the decorators inside have seen
 * them, with a status of its own choosing (Nest's exception filters): an error `@LogErrorsToSpan` logs on the
 * request's span that reaches that handler is recorded by the status the response goes out with, as the
 * framework's own error is; one the handler caught itself, by its own.
 */
export function createServerTracingAnsweringErrors(component: string, options?: ServerTracingOptions): ServerTracing {
  return serverTracing(component, options, true);
}

function serverTracing(component: string, options: ServerTracingOptions | undefined, errorsAnsweredLater: boolean): ServerTracing {
  if (typeof component !== 'string' || component === '') {
    throw new TypeError(`createServerTracing(): the component must be the framework's name, got ${JSON.stringify(component) ?? String(component)}.`);
  }
  const resolved = resolveServerTracingOptions('createServerTracing()', options, errorsAnsweredLater);
  return {
    start: (req, res, facts) => RequestTrace.start(req as IncomingMessage, res as ServerResponse, component, resolved, facts),
    of: (req) => RequestTrace.of(req as IncomingMessage),
    runUntraced: (req, fn) => runUntraced(req as IncomingMessage, fn),
  };
}
