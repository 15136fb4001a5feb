import type { Span } from 'opentracing';

/**
 * Who owns a span and records its errors by its own rules: a server span's request trace, which records a
 * request's errors as its integration was configured (ignoreErrors, errorOn4xx, the request's secrets redacted)
 * and adds the request's details to every error log on the span.
 */
export interface SpanOwner {
  /** An error a decorated call on the span threw (`@LogErrorsToSpan` on a handler, `@Span` left to the request). */
  recordErrorOfCall(error: unknown): void;
  /** More fields for every error log on the span (the request's redacted headers and arguments). */
  errorDetails(): Record<string, unknown>;
  /**
   * What takes the values this owner knows are secret (the request's secret parameters, headers and body fields)
   * out of an error's message and stack: found once, for the texts of one error log. `quotedBody: false` leaves
   * the text a JSON syntax error quotes (the request's body, for an error of its own; for a line the app logs,
   * whatever it parsed).
   */
  secretRedactor(quotedBody?: boolean): (text: string) => string;
}

// Kept on the span under a symbol of ours, as the request's trace is kept on the request: a WeakMap entry per
// span (and a closure per entry) was most of an unsampled request's cost of ours on Node 24, through the
// garbage collector, which must trace every entry whose key is itself young.
const OWNER = Symbol('jaeger-decorators.spanOwner');

type OwnedSpan = Span & { [OWNER]?: SpanOwner };

/** Makes `owner` record the errors seen on `span` (see recordFailure) and detail its error logs. */
export function setSpanOwner(span: Span, owner: SpanOwner): void {
  (span as OwnedSpan)[OWNER] = owner;
}

export function spanOwnerOf(span: Span): SpanOwner | undefined {
  return (span as OwnedSpan)[OWNER];
}
