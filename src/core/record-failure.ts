import type { Span } from 'opentracing';
import type { ExpectedErrorTest } from './expected-errors';
import { httpStatusOf } from './http-status';
import { recordClientError, recordError, recordExpectedError } from './record-error';
import { spanOwnerOf } from './span-owner';

/** How a decorator reads an error its method threw: which are expected, and whether a 4xx is a failure. */
export interface FailurePolicy {
  ignoreErrors?: ExpectedErrorTest;
  /** A 4xx error (one carrying an HTTP status below 500) marks the span failed. Default: false. */
  errorOn4xx?: boolean;
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
  const owner = spanOwnerOf(span);
  if (owner !== undefined) {
    owner.recordErrorOfCall(error);
    return;
  }
  const status = policy.errorOn4xx === true ? undefined : httpStatusOf(error);
  if (status !== undefined && status < 500) recordClientError(span, error, status);
  else recordError(span, error);
}
