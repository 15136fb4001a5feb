import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from 'opentracing';
import { getActiveSpan, withSpan } from '../context/active-span';
import { activeTracer, initializedTracerState } from '../internal/global-state';
import { epochNowMs, finishTimeMs } from '../core/clock';
import { guard, reportTracingFailure } from '../core/guard';
import { isNoopSpan, isUnsampled, whenMadeSampled, type MadeSampledListener } from '../core/sampling';
import { capText, hasFailureLogged, markFailed, MAX_ERROR_TEXT, recordClientError, recordError, recordExpectedError } from '../core/record-error';
import type { CallObserver } from '../core/observe-call';
import { SERVER, SERVER_KIND_TAGS, SPAN_KIND } from '../core/server-kind';
import { setSpanOwner, spanOwnerOf, type SpanOwner } from '../core/span-owner';
import { extractRequestSpanContext } from '../propagation/extract-span-context';
import { traceIdHex } from '../propagation/trace-ids';
import { isSecretName } from '../core/redaction-rules';
import { rejectionFields, rejectionOfError, scrub, scrubbedStack, type Rejection, type RejectionPolicy } from './describe-rejection';
import { isSecretHeader, redactBody, redactHeaders, redactParams } from './redact';
import { onConnectionGoneBefore } from './queued-responses';
import { markIgnored } from './ignored-request';
import { tagRequest } from './request-tags';
import type { ResolvedServerTracingOptions } from './server-tracing-options';

/** The `component` tag of a server span: the framework that served the request. */
export type ServerComponent = 'express' | 'koa' | 'routing-controllers' | 'fastify' | 'nestjs' | (string & {});

/** How an adapter lets the request trace read framework-specific facts, when it needs them. */
export interface RequestFacts {
  /** The route template that matched (`/users/:id`), once routing has happened. */
  route?: () => string | undefined;
  params?: () => Record<string, unknown> | undefined;
  body?: () => unknown;
  /** The handler the framework routed the request to, when it names it (Nest 12 names its route handlers). */
  handler?: () => string | undefined;
  /** For a request stopped before routing: the handler and route it would have been routed to, if known. */
  unroutedHandler?: () => { name: string | undefined; route: string } | undefined;
  /**
   * Starts watching what `route` will need at the end (Express: each route assigned). Called only for a span
   * that records: a trace finally not sampled reads no route, and should pay nothing for one.
   */
  follow?: () => void;
}

// The request's trace, kept on the request under a symbol of ours, as middleware keeps its own fields (req.body):
// a WeakMap cost an insertion and a lookup or three on every request, and work for the garbage collector,
// whose young generation must trace every entry whose key, the request, is itself young.
const TRACE = Symbol('jaeger-decorators.requestTrace');

type TracedRequest = IncomingMessage & { [TRACE]?: RequestTrace };

function traceOf(req: IncomingMessage | undefined): RequestTrace | undefined {
  return (req as TracedRequest | undefined)?.[TRACE];
}

function queryOf(url: string): Record<string, string> {
  const query: Record<string, string> = {};
  const index = url.indexOf('?');
  if (index >= 0) for (const [name, value] of new URLSearchParams(url.slice(index + 1))) query[name] = value;
  return query;
}

function safeJson(value: unknown, maxLength: number): string {
  try {
    return capText(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)), maxLength);
  } catch {
    return '[unserializable]';
  }
}

/**
 * Puts the trace id in a response header, and keeps it there: error handlers such as Koa's remove every header
 * before they answer, so it is set again, if missing, when the headers are written. Only this response is
 * touched; the error object and shared state are not.
 */
function returnTraceId(res: ServerResponse, name: string, traceId: string): void {
  if (res.headersSent) return;
  res.setHeader(name, traceId);
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithTraceId(this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent && !this.hasHeader(name)) this.setHeader(name, traceId);
    return Reflect.apply(writeHead, this, args) as ServerResponse;
  } as ServerResponse['writeHead'];
}

const NO_FACTS: RequestFacts = {};

const MAX_SECRET_DEPTH = 4;
const MAX_SECRET_VALUES = 50;
const MIN_SECRET_LENGTH = 4;
const MIN_COOKIE_SECRET_LENGTH = 8;

// The values of secret-named fields of a parsed body (nested a few levels), to take out of what is logged.
function collectSecretValues(body: unknown, secretNames: ReadonlySet<string>, out: string[], depth: number): void {
  if (typeof body !== 'object' || body === null || depth > MAX_SECRET_DEPTH || out.length >= MAX_SECRET_VALUES) return;
  for (const [name, value] of Object.entries(body)) {
    // A value of a few characters (a PIN of 1) would be taken out of every word that holds it, garbling the
    // message: from four characters on.
    if (isSecretName(name, secretNames) && (typeof value === 'string' || typeof value === 'number') && String(value).length >= MIN_SECRET_LENGTH)
      out.push(String(value));
    else collectSecretValues(value, secretNames, out, depth + 1);
    if (out.length >= MAX_SECRET_VALUES) return;
  }
}

/**
 * The values of the secret headers of a request, to take out of what is logged (an app that quotes the token it
 * refused): each whole, the credentials after an Authorization scheme (`Bearer <token>`), each cookie's value.
 */
function collectSecretHeaderValues(
  headers: IncomingMessage['headers'],
  secretHeaders: ReadonlySet<string>,
  secretParams: ReadonlySet<string>,
  out: string[],
): void {
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !isSecretHeader(name, secretHeaders, secretParams)) continue;
    for (const text of Array.isArray(value) ? value : [value]) {
      out.push(text);
      const credentials = /^\s*[\w-]+\s+(\S.*)$/.exec(text)?.[1];
      if (credentials !== undefined && credentials.length >= MIN_SECRET_LENGTH) out.push(credentials);
      // A cookie's value from eight characters on: a session id is long, and a preference (`consent=true`) is
      // no secret, and taking `true` out of every message would garble them.
      for (const pair of text.split(';')) {
        const cookieValue = pair.slice(pair.indexOf('=') + 1).trim();
        if (pair.includes('=') && cookieValue.length >= MIN_COOKIE_SECRET_LENGTH) out.push(cookieValue);
      }
    }
  }
}

// The name a server span starts with, per method: one string per method rather than one per request. HTTP/1's
// parser accepts a fixed list of methods, but an HTTP/2 request may name any token: the map stops growing.
const startingNames = new Map<string, string>();
const MAX_STARTING_NAMES = 64;

function startingName(method: string): string {
  let name = startingNames.get(method);
  if (name === undefined) {
    name = `HTTP ${method}`;
    if (startingNames.size < MAX_STARTING_NAMES) startingNames.set(method, name);
  }
  return name;
}

// The name a routed request's span ends with (`GET /users/:id`), per route and method, for the same reason: a
// string built per request is one more to allocate, and flat only once the encoder copies it. A service has a
// fixed set of routes; past MAX_ROUTE_NAMES (routes made up per request) names are built as before.
const routeNames = new Map<string, Map<string, string>>();
const MAX_ROUTE_NAMES = 1024;
let routeNameCount = 0;

function routeOperationName(method: string, route: string): string {
  let byMethod = routeNames.get(route);
  let name = byMethod?.get(method);
  if (name !== undefined) return name;
  name = `${method} ${route}`;
  if (routeNameCount < MAX_ROUTE_NAMES) {
    if (byMethod === undefined) routeNames.set(route, (byMethod = new Map()));
    byMethod.set(method, name);
    routeNameCount += 1;
  }
  return name;
}

/**
 * Starts the server span and its trace. Work for the span's tags and the trace_id tag is done only for a span
 * that records them: a trace finally not sampled drops every tag, and its requests are the ones that must cost
 * least. The context is extracted and the span started either way, so an unsampled trace still propagates (the
 * ids go downstream, to the response header and to log4js).
 */
function startTrace(
  req: IncomingMessage,
  res: ServerResponse,
  component: ServerComponent,
  options: ResolvedServerTracingOptions,
  facts: RequestFacts,
  url: string,
): RequestTrace | undefined {
  const method = req.method ?? 'GET';
  const startMs = epochNowMs();
  const parent = extractRequestSpanContext(req);
  // initTracer()'s tracer starts it at less cost when the trace is not sampled; a tracer of the options' own
  // starts it itself. Only span.kind goes to startSpan, which reads it (an RPC server span may share its caller's
  // span id, with shareRpcSpan, and is counted as a joined trace); the other tags are added once the sampling
  // decision is known.
  const startServerSpan = options.tracer === undefined ? initializedTracerState()?.startServerSpan : undefined;
  const span =
    startServerSpan !== undefined
      ? startServerSpan(startingName(method), parent, startMs)
      : (options.tracer ?? activeTracer()).startSpan(startingName(method), { childOf: parent, tags: SERVER_KIND_TAGS, startTime: startMs });
  // OpenTracing's no-op tracer (before initTracer, after closeTracer, or disabled): the request runs
  // untraced, with no span made active, as decorated methods do then. initTracer()'s starter makes none.
  if (startServerSpan === undefined && isNoopSpan(span)) return undefined;
  const recorded = !isUnsampled(span);
  if (recorded) {
    tagRequest(span, req, component, method, url, options);
    facts.follow?.();
  }
  if (recorded || options.traceResponseHeader !== undefined) {
    const traceId = traceIdHex(span.context());
    if (traceId) {
      if (recorded) span.setTag('trace_id', traceId);
      if (options.traceResponseHeader !== undefined) returnTraceId(res, options.traceResponseHeader, traceId);
    }
  }
  const trace = new RequestTrace(span, startMs, req, res, options, facts, recorded, component);
  (req as TracedRequest)[TRACE] = trace;
  trace.followResponse();
  return trace;
}

// A response emits 'close' once it is done, finished or not: one listener covers both ends. One function for every
// response, which finds the trace from the response's request, rather than a closure and once()'s wrapper.
// Aborted means closed before the app ended the response (`writableEnded`), not before its last bytes reached the
// socket (`writableFinished`): an ended response was answered with its status, and a response served in process
// (Fastify's and Nest's `inject()`, light-my-request) has no socket to flush to, so it never "finishes".
function finishOnClose(this: ServerResponse): void {
  traceOf(this.req)?.finish(this.statusCode, !this.writableEnded);
}

/**
 * The server span of one HTTP request, the seed's `before_request_trace`/`after_request_trace` pair: started
 * from the caller's context, finished exactly once when the response finishes or the connection closes.
 */
export class RequestTrace implements SpanOwner, CallObserver, MadeSampledListener {
  private _finished = false;
  /** An error `ignoreErrors` expects answered this request: its status is no failure either. */
  private _expectedError = false;
  private _handler: string | undefined;
  private _route: string | undefined;
  private _params: Record<string, unknown> | undefined;
  /** Whether the span kept the component tag setHandler() gave it (it was recording then). */
  private _componentTagged = false;
  /** The rest of the request's chain, kept unobserved while the trace is finally not sampled (see deferErrorWatch). */
  private _downstream: PromiseLike<unknown> | undefined = undefined;
  /** Whether the span tells this trace if it is made sampled (see followResponse), which then starts recording. */
  private _followsSampling = false;
  /** Errors to record by the status the response is answered with (see recordErrorWhenAnswered). */
  private _answerPending: unknown[] | undefined = undefined;
  /** When each error recorded later was first seen (see _seen). */
  private _seenAtMs: Map<unknown, number> | undefined = undefined;
  /** Errors decorated calls threw, kept until the end under a framework that answers errors later (see recordErrorOfCall). */
  private _callErrors: unknown[] | undefined = undefined;

  constructor(
    readonly span: Span,
    /** When the span started, on the core's clock (see core/clock). */
    private readonly _startMs: number,
    private readonly _req: IncomingMessage,
    private readonly _res: ServerResponse,
    private readonly _options: ResolvedServerTracingOptions,
    private readonly _facts: RequestFacts,
    /** Whether the span records (its trace is sampled, or not finally decided), as startTrace found it. */
    private readonly _recordedFromStart: boolean,
    private _component: ServerComponent,
  ) {
    // A decorator inside the handler that sees an error first records it by this request's rules, once, and
    // any error log on the span carries the request's details. Only for a span that records: a trace finally
    // not sampled logs no error, and its requests must cost least.
    if (_recordedFromStart) setSpanOwner(span, this);
  }

  /** The request's trace, if one was started for it. */
  static of(req: IncomingMessage): RequestTrace | undefined {
    return traceOf(req);
  }

  /**
   * The trace of the request whose span is the active one, where the request itself is out of reach (a GraphQL
   * resolver's context). Only a span that records has its trace on it: nothing to name or record otherwise.
   */
  static active(): RequestTrace | undefined {
    const span = getActiveSpan();
    const owner = span === undefined ? undefined : spanOwnerOf(span);
    return owner instanceof RequestTrace ? owner : undefined;
  }

  /** Whether setHandler() has named the span. */
  get hasHandler(): boolean {
    return this._handler !== undefined;
  }

  /**
   * Starts the server span of `req` (or returns the one already started by another layer) and arranges for it
   * to finish with the response. Returns undefined for an ignored path, or when tracing itself fails.
   */
  static start(
    req: IncomingMessage,
    res: ServerResponse,
    component: ServerComponent,
    options: ResolvedServerTracingOptions,
    facts: RequestFacts = NO_FACTS,
  ): RequestTrace | undefined {
    const existing = traceOf(req);
    if (existing !== undefined) return existing;
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    if (options.ignoredPaths.has(url)) {
      markIgnored(req, options.tracer ?? activeTracer());
      return undefined;
    }
    try {
      return startTrace(req, res, component, options, facts, url);
    } catch (error) {
      reportTracingFailure('starting a server span', error);
      return undefined;
    }
  }

  /** Names the span after the handler, as the seed names it after the view. */
  setHandler(component: ServerComponent, handler: string, params?: Record<string, unknown>): void {
    // Named already (routing-controllers names it in its middleware, then again as the action runs): only the
    // parameters are new.
    if (params !== undefined) this._params = params;
    if (handler === this._handler && component === this._component) return;
    const otherComponent = component !== this._component;
    this._handler = handler;
    this._component = component;
    try {
      // The span was tagged with the component that started it, if it recorded then (a trace finally not sampled
      // drops every tag: one made sampled later gets it then, _tagAsStarted); only another component is tagged
      // here, so Jaeger does not show the same `component` twice.
      if (otherComponent && !isUnsampled(this.span)) {
        this.span.setTag('component', component);
        this._componentTagged = true;
      }
      if (this._options.operationName === 'handler') this.span.setOperationName(handler);
    } catch (error) {
      reportTracingFailure('naming a server span', error);
    }
  }

  /** Sets the route template that matched (`/users/:id`), for a framework whose facts do not report it. */
  setRoute(route: string): void {
    this._route = route;
  }

  /** Runs `fn` with this request's span active (see withSpan). */
  run<T>(fn: () => T): T {
    return withSpan(this.span, fn);
  }

  /**
   * Keeps the route the framework reports now as the one that handled the request: a route matched after it
   * (routing-controllers goes on to the next matching route after it answers) no longer replaces it.
   */
  pinCurrentRoute(): void {
    this._route = this._facts.route?.() ?? this._route;
  }

  /**
   * Records a failure of the handler: `error=true` and the seed's error log, with the request's (redacted)
   * headers and arguments. A 4xx (routing-controllers' NotFoundError, a failed conversion or validation, a
   * body that does not parse, a middleware's refusal) is a rejection: a `client_error` log with `error.kind`,
   * `message`, `http.status_code` and any validation constraints, secrets redacted and capped, without marking
   * the span failed; with `errorOn4xx`, the seed's error log with those fields and `error=true` instead.
   * One error object is logged once, whichever layers report it.
   */
  recordError(error: unknown): void {
    this._recordErrorAnswered(error, undefined);
  }

  /**
   * Records `error` once the response is done, by the status it was answered with rather than the one the error
   * carries: for a framework whose error handlers (Nest's exception filters) receive the error after we see it
   * and may answer it with any status, a domain error mapped to a 404, a 400 turned into a 503. Answered with a
   * success, it is logged as expected, as `ignoreErrors` logs one.
   */
  recordErrorWhenAnswered(error: unknown): void {
    this._seen(error);
    const pending = (this._answerPending ??= []);
    // Seen by @LogErrorsToSpan on the handler, then by the framework's error handler: one log.
    if (!pending.includes(error)) pending.push(error);
  }

  /**
   * An error a decorated call on the span threw. Where the framework answers errors itself (Nest), one that
   * reaches its error handler goes by the status it is answered with (recordErrorWhenAnswered); one the handler
   * caught and answered otherwise is a failure by its own status: which it was is known at the end.
   */
  recordErrorOfCall(error: unknown): void {
    if (this._options.errorsAnsweredLater) {
      this._seen(error);
      (this._callErrors ??= []).push(error);
    } else this.recordError(error);
  }

  /** Notes when `error` was first seen, for an error recorded later: its log goes at that time, not the response's end. */
  private _seen(error: unknown): void {
    const seenAtMs = (this._seenAtMs ??= new Map());
    if (!seenAtMs.has(error)) seenAtMs.set(error, epochNowMs());
  }

  private _recordErrorAnswered(error: unknown, answeredStatus: number | undefined): void {
    guard('recording a request error', () => {
      const atMs = this._seenAtMs?.get(error);
      if (this._options.ignoreErrors?.(error) === true || (answeredStatus !== undefined && answeredStatus < 400)) {
        recordExpectedError(this.span, error, atMs);
        this._expectedError = true;
        return;
      }
      const status = answeredStatus ?? this._options.errorStatus(error);
      if (status !== undefined && status < 500) {
        this._recordRejection(rejectionOfError(error, status), atMs);
        return;
      }
      // Logged here or already by @LogErrorsToSpan: either way the span carries it, with the request details.
      recordError(this.span, error, undefined, atMs);
    });
  }

  /**
   * Finishes the span when the response is done. A trace finally not sampled reports nothing when it ends, so
   * its response is not listened to: should a `sampling.priority` tag make it sampled, its span tells this trace
   * (core/sampling) and onMadeSampled listens then. A span that cannot tell is followed from the start.
   */
  followResponse(): void {
    this._followsSampling = !this._recordedFromStart && whenMadeSampled(this.span, this);
    if (!this._followsSampling) this._listenForClose();
  }

  private _listenForClose(): void {
    const res = this._res;
    res.on('close', finishOnClose);
    // A pipelined request answered after the one before it has no socket yet, and on Node 20 its response
    // never closes when the client goes away first: its connection's end is its end.
    const socket = this._req.socket as IncomingMessage['socket'] | null;
    if (res.socket !== null || socket === null || socket === undefined) return;
    onConnectionGoneBefore(res, socket, () => this.finish(res.statusCode, true));
  }

  /**
   * For a trace finally not sampled, where an error is recorded nowhere: returns true, and the caller runs the
   * rest of the chain unobserved, with no reaction made per request, and hands its promise to followDownstream.
   * Should the trace be made sampled during the request (a `sampling.priority` tag), the chain's error is then
   * recorded as in a sampled one. False when the span records, or cannot tell when it is made sampled: the
   * caller then observes the chain itself.
   */
  deferErrorWatch(): boolean {
    return this._followsSampling;
  }

  /** Keeps the promise of the rest of the chain (see deferErrorWatch) and returns it unchanged. */
  followDownstream<T>(downstream: T): T {
    if (typeof (downstream as PromiseLike<unknown> | undefined)?.then !== 'function') return downstream;
    this._downstream = downstream as PromiseLike<unknown>;
    // Made sampled before the chain handed back its promise: onMadeSampled found nothing to watch yet.
    if (!isUnsampled(this.span)) this._recordErrorOf(this._downstream);
    return downstream;
  }

  /** The trace was made sampled during the request: from now on it records as a sampled one does. */
  onMadeSampled(): void {
    setSpanOwner(this.span, this);
    if (this._downstream !== undefined) this._recordErrorOf(this._downstream);
    const res = this._res;
    // Made sampled after the response was done (by work the request left running): its end is now.
    if (res.closed) this.finish(res.statusCode, !res.writableEnded);
    else this._listenForClose();
  }

  private _recordErrorOf(downstream: PromiseLike<unknown>): void {
    // A branch of the chain's promise, beside the framework's own: the error still reaches it unchanged. By the
    // status the framework answers it with (Koa's chain, as koa/trace-koa-request records a sampled one's).
    downstream.then(undefined, (error: unknown) => this.recordErrorWhenAnswered(error));
  }

  /** A handler call this request ran failed (see core/observe-call): its failure is the request's. */
  onError(error: unknown): void {
    this.recordError(error);
  }

  /** A handler call this request ran is over: the response, not the call, ends the request's span. */
  onSettled(): void {}

  private _recordRejection(rejection: Rejection, atMs?: number): void {
    const { error } = rejection;
    const policy = this._rejectionPolicy();
    const fields = rejectionFields(rejection, policy);
    if (!this._options.errorOn4xx) {
      recordClientError(this.span, error, rejection.status, fields, atMs);
      return;
    }
    const stack = scrubbedStack(error, policy);
    recordError(this.span, error, stack === undefined ? fields : { ...fields, stack: capText(stack, MAX_ERROR_TEXT) }, atMs);
  }

  private _rejectionPolicy(): RejectionPolicy {
    const secretNames = this._options.redactParams;
    const secretValues: string[] = [];
    const url = (this._req as { originalUrl?: string }).originalUrl ?? this._req.url ?? '';
    const queryStart = url.indexOf('?');
    // Every value of a parameter given twice (`?password=a&password=b`): a message may quote any of them.
    if (queryStart >= 0)
      for (const [name, value] of new URLSearchParams(url.slice(queryStart + 1)))
        if (isSecretName(name, secretNames) && value.length >= MIN_SECRET_LENGTH) secretValues.push(value);
    // From four characters on, as a body's: a `?pageToken=2` taken out of every 2 garbles every number quoted.
    for (const [name, value] of Object.entries(this._params ?? this._facts.params?.() ?? {})) {
      if (isSecretName(name, secretNames) && typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) secretValues.push(value);
    }
    collectSecretHeaderValues(this._req.headers, this._options.redactHeaders, secretNames, secretValues);
    // A validation message may quote the value it refused (class-validator's $value): the body's secrets too.
    collectSecretValues(this._facts.body?.(), secretNames, secretValues, 0);
    return { secretNames, secretValues };
  }

  /**
   * Takes the values of this request's secret parameters, headers and body fields out of an error's texts, and
   * with `quotedBody` the body text a JSON syntax error quotes (an error of the request's own body; not a line an
   * app logs about a response it parsed).
   */
  secretRedactor(quotedBody = true): (text: string) => string {
    const { secretValues } = this._rejectionPolicy();
    return (text) => scrub(text, secretValues, quotedBody);
  }

  /** The request's redacted headers, arguments and (with recordBody) body, for the span's error logs. */
  errorDetails(): Record<string, unknown> {
    const { redactHeaders: secretHeaders, redactParams: secretParams, maxBodyLength } = this._options;
    const url = (this._req as { originalUrl?: string }).originalUrl ?? this._req.url ?? '';
    const params = this._params ?? this._facts.params?.() ?? {};
    const details: Record<string, unknown> = {
      'request.headers': safeJson(redactHeaders(this._req.headers, secretHeaders, secretParams, maxBodyLength), 8 * maxBodyLength),
      'request.args': safeJson(redactParams({ ...queryOf(url), ...params }, secretParams, maxBodyLength), 4 * maxBodyLength),
    };
    if (this._options.recordBody) {
      const body = this._facts.body?.();
      const empty = typeof body === 'object' && body !== null && Object.keys(body).length === 0;
      if (body !== undefined && !empty) {
        details['request.data'] = safeJson(redactBody(body, secretParams, maxBodyLength), maxBodyLength);
      }
    }
    return details;
  }

  private _operationName(route: string | undefined, handler: string | undefined): string {
    const method = this._req.method ?? 'GET';
    if (this._options.operationName === 'handler' && handler !== undefined) return handler;
    return route === undefined ? startingName(method) : routeOperationName(method, route);
  }

  /**
   * True when code inside the request named the span itself (`getActiveSpan().setOperationName(...)`): its name
   * is kept. The names this trace gives are `HTTP <method>` at the start and the handler's; jaeger-client's span
   * reads its name back through its public `operationName` getter (another tracer's span may not: then ours wins).
   */
  private _renamedByApp(): boolean {
    const current = (this.span as { operationName?: unknown }).operationName;
    if (typeof current !== 'string') return false;
    return current !== startingName(this._req.method ?? 'GET') && current !== this._handler;
  }

  /**
   * Leaves this request untraced from here on (a `@NoSpan()` action of a traced controller): its trace is made
   * unsampled through OpenTracing's `sampling.priority` tag, so nothing of it is reported, the spans below it
   * are not made, and the services it calls are told not to sample it either.
   */
  exclude(): void {
    guard('excluding a request from tracing', () => this.span.setTag('sampling.priority', 0));
  }

  /**
   * Gives a span made sampled during the request (a `sampling.priority` tag) the tags it was started without:
   * an unsampled span keeps no tag, so those given at its start were dropped.
   */
  private _tagAsStarted(): void {
    const method = this._req.method ?? 'GET';
    const url = (this._req as { originalUrl?: string }).originalUrl ?? this._req.url ?? '/';
    this.span.setTag(SPAN_KIND, SERVER);
    tagRequest(this.span, this._req, this._component, method, url, this._options, !this._componentTagged);
    const traceId = traceIdHex(this.span.context());
    if (traceId !== undefined) this.span.setTag('trace_id', traceId);
  }

  /** Ends the span once: status, route, the error flag for a 5xx, and whether the client went away. */
  finish(status: number, aborted: boolean): void {
    if (this._finished) return;
    this._finished = true;
    // A span of a trace finally not sampled records nothing: no route, name or status to work out. (One made
    // sampled during the request, by a sampling.priority tag, is sampled by now and takes the long way.)
    if (isUnsampled(this.span)) {
      try {
        this.span.finish();
      } catch (error) {
        reportTracingFailure('finishing a server span', error);
      }
      return;
    }
    guard('finishing a server span', () => {
      if (!this._recordedFromStart) this._tagAsStarted();
      let route = this._route ?? this._facts.route?.();
      let handler = this._handler ?? this._facts.handler?.();
      if (route === undefined && handler === undefined) {
        const unrouted = this._facts.unroutedHandler?.();
        route = unrouted?.route;
        handler = unrouted?.name;
      }
      if (route !== undefined) this.span.setTag('http.route', route);
      if (!this._renamedByApp()) this.span.setOperationName(this._operationName(route, handler));
      if (aborted) this.span.setTag('http.aborted', true);
      // The status went out with the head, whatever cut the body off after it (a client gone before the last
      // bytes, a body stream that failed).
      if (!aborted || this._res.headersSent) this.span.setTag('http.status_code', status);
      const pending = this._answerPending;
      const callErrors = this._callErrors;
      this._answerPending = this._callErrors = undefined;
      // A client gone before the answer leaves no status to go by: the error's own.
      if (pending !== undefined) for (const error of pending) this._recordErrorAnswered(error, aborted ? undefined : status);
      // Those the framework's error handler never saw (recorded once: one that it saw is logged by now).
      if (callErrors !== undefined) for (const error of callErrors) this._recordErrorAnswered(error, undefined);
      // A 5xx head that went out before the response was cut off is a failure, as a whole one is.
      const failed = (!aborted || this._res.headersSent) && (status >= 500 || (this._options.errorOn4xx && status >= 400));
      // A span some layer (@LogErrorsToSpan, @Span's own error) already marked failed has its error log.
      if (failed && !this._expectedError && !hasFailureLogged(this.span)) {
        markFailed(this.span);
        this.span.log({ event: 'error', 'error.kind': 'HttpStatus', message: `responded with status ${status}`, ...this.errorDetails() }, epochNowMs());
      }
      this.span.finish(finishTimeMs(this._startMs));
    });
  }
}
