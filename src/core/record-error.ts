import type { Span } from 'opentracing';
import { epochNowMs } from './clock';
import { isUnsampled } from './sampling';
import { spanOwnerOf } from './span-owner';

/** Longest error message and stack recorded on a span; the rest is cut so one huge error cannot bloat a trace. */
export const MAX_ERROR_TEXT = 4096;

// error -> spans it has been logged on. An error rising through several decorated frames of the same span is
// logged there once; WeakMap/WeakSet so that neither errors nor spans are kept alive by the bookkeeping.
const loggedOn = new WeakMap<object, WeakSet<Span>>();

// Spans marked failed (`error=true`) by recordError: a layer that would log a failure of its own (a server span's
// 5xx status) leaves a span that already carries one alone, so one failure is one error log.
const failedSpans = new WeakSet<Span>();

// Spans tagged `error=true`, by whichever layer: the tag is set once, since a tag set again is a second row in
// Jaeger (two failures of one span, an OpenTelemetry ERROR status on a span a decorator marked, a 5xx answer
// and then a broken body).
const errorTagged = new WeakSet<Span>();

/** Tags `span` `error=true`, once; true when this call tagged it. */
export function markFailed(span: Span): boolean {
  if (errorTagged.has(span)) return false;
  span.setTag('error', true);
  // A span of a trace not sampled keeps no tag: not remembered, so that one made sampled later is still marked.
  if (!isUnsampled(span)) errorTagged.add(span);
  return true;
}

/**
 * Forgets that `span` was tagged `error=true`, for the one layer that may take a failure back: an OpenTelemetry
 * status set OK after ERROR (OK is final). Its caller removes the tag; a failure logged by recordError stays.
 */
export function forgetFailedMark(span: Span): boolean {
  if (failedSpans.has(span)) return false;
  return errorTagged.delete(span);
}

/** Cuts `text` to `max` characters, marking the cut. */
export function capText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

function errorKind(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor?.name || 'Error';
  if (error === null) return 'null';
  return typeof error;
}

// Remembers that `error` is logged on `span`; false when it already was (as a failure or as expected).
function firstTimeOn(span: Span, error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  let spans = loggedOn.get(error);
  if (spans === undefined) {
    spans = new WeakSet<Span>();
    loggedOn.set(error, spans);
  }
  if (spans.has(span)) return false;
  spans.add(span);
  return true;
}

/** True once recordError has marked `span` failed. */
export function hasFailureLogged(span: Span): boolean {
  return failedSpans.has(span);
}

/** The message of an error, or of anything thrown. */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * Logs an error that carries a 4xx status (a not-found, a refused validation): the caller's mistake, not a
 * failure of the span. One log `{event: 'client_error', 'error.kind', message, 'http.status_code'}` plus
 * `fields` (a server span's redacted validation details), no `error=true`. Once per error and span, like
 * recordError, whichever layer sees it first.
 */
export function recordClientError(span: Span, error: unknown, status: number, fields?: Record<string, unknown>, atMs?: number): boolean {
  if (isUnsampled(span) || !firstTimeOn(span, error)) return false;
  const log: Record<string, unknown> = { event: 'client_error', 'error.kind': errorKind(error), message: capText(messageOf(error), MAX_ERROR_TEXT) };
  if (fields !== undefined) Object.assign(log, fields);
  log['http.status_code'] = status;
  span.log(log, atMs ?? epochNowMs());
  return true;
}

/**
 * Logs an error that `ignoreErrors` says is expected (a not-found, a validation refusal): one log
 * `{event: 'expected_error', 'error.kind', message}`, no stack and no `error=true`, since the call did what it
 * should. Once per span, like recordError.
 */
export function recordExpectedError(span: Span, error: unknown, atMs?: number): boolean {
  if (isUnsampled(span) || !firstTimeOn(span, error)) return false;
  const message = messageOf(error);
  span.log({ event: 'expected_error', 'error.kind': errorKind(error), message: capText(message, MAX_ERROR_TEXT) }, atMs ?? epochNowMs());
  return true;
}

/**
 * Marks `span` as failed (`error=true`) and logs `{event: 'error', 'error.kind', message, stack}` on it, the
 * OpenTracing conventions the Python seed follows, plus its owner's error details (see span-owner).
 * The same error object is logged on the same span at most once.
 * @param fields replace or add to those fields (a request's rejection gives its own redacted message).
 * @param atMs when the error was seen, if it is recorded later (by the status it was answered with); else now.
 * @returns false when nothing was logged: this error was already logged on this span, or the span records nothing.
 */
export function recordError(span: Span, error: unknown, fields?: Record<string, unknown>, atMs?: number): boolean {
  // A span of a trace finally not sampled keeps no tag or log: nothing to build, nothing to remember.
  if (isUnsampled(span) || !firstTimeOn(span, error)) return false;
  const owner = spanOwnerOf(span);
  // A request's span: the values of its secret parameters, headers and body fields are taken out of what an
  // error quotes.
  const redact = owner?.secretRedactor();
  const message = messageOf(error);
  const log: Record<string, unknown> = {
    event: 'error',
    'error.kind': errorKind(error),
    message: capText(redact === undefined ? message : redact(message), MAX_ERROR_TEXT),
  };
  if (error instanceof Error && typeof error.stack === 'string') {
    log.stack = capText(redact === undefined ? error.stack : redact(error.stack), MAX_ERROR_TEXT);
  }
  if (fields !== undefined) Object.assign(log, fields);
  markFailed(span);
  failedSpans.add(span);
  span.log(owner === undefined ? log : { ...log, ...owner.errorDetails() }, atMs ?? epochNowMs());
  return true;
}
