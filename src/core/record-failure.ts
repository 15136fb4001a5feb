import type { Span } from 'opentracing';
import type { ExpectedErrorTest } from './expected-errors';
import { httpStatusOf } from './http-status';
import { recordClientError, recordError, recordExpectedError } from './record-error';

/** How a decorator reads an error its method threw: which are expected, and whether a 4xx is a failure. */
export interface FailurePolicy {
  ignoreErrors?: ExpectedErrorTest;
  /** A 4xx error (one carrying an HTTP status below 500) marks the span failed. Default: false. */
  errorOn4xx?: boolean;
}

// span -> the function that records errors on it by its owner's rules: a server span records a request's errors
// as its integration was configured (its own ignoreErrors, errorOn4xx, redaction of the request's secrets), so a
// decorator inside the handler that sees the error first records it the same way, once.
const owners = new WeakMap<Span, (error: unknown) => void>();

/** Says that errors seen on `span` are recorded by `record` (a server span's request trace). */
export function setErrorOwner(span: Span, record: (error: unknown) => void): void {
  owners.set(span, record);
}

/**
 * Records the error a call threw on `span`: as expected when `ignoreErrors` says so; by the span's owner when it
 * has one (a server span); as a client's error (`client_error`, no `error=true`) when it carries a 4xx status,
 * unless `errorOn4xx`; else as a failure. The same error is logged on a span once, whichever layer sees it.
 */
export function recordFailure(span: Span, error: unknown, policy: FailurePolicy): void {
  if (policy.ignoreErrors?.(error) === true) {
    recordExpectedError(span, error);
    return;
  }
  const owner = owners.get(span);
  if (owner !== undefined) {
    owner(error);
    return;
  }
  const status = policy.errorOn4xx === true ? undefined : httpStatusOf(error);
  if (status !== undefined && status < 500) recordClientError(span, error, status);
  else recordError(span, error);
}
