/** How a failed send is retried. Every field has a default. */
export interface RetrySettings {
  /** First backoff, in ms, before jitter. Default: 250. */
  initialDelayMs?: number;
  /** Longest backoff between two tries, in ms (a Retry-After above it is cut to it). Default: 5000. */
  maxDelayMs?: number;
  /**
   * Longest a batch is kept and retried after its first failed try, in ms; then it is dropped and counted.
   * Default: 60,000: a collector restart or a rolling deploy takes seconds, and the queue limits bound the
   * memory whatever this is.
   */
  maxElapsedMs?: number;
}

export const DEFAULT_RETRY: Required<RetrySettings> = { initialDelayMs: 250, maxDelayMs: 5000, maxElapsedMs: 60000 };

/** Which HTTP answers a receiver gives are worth another try. */
export type RetryableStatus = (status: number) => boolean;

/**
 * Jaeger's collector (`/api/traces`): it answers a batch it refuses for now with a 500 (its memory limiter's "data
 * refused due to high memory usage"), so every 5xx is worth another try, as are 408 and 429. Any other 4xx says
 * the request itself is wrong (401 bad token, 413 too large...): sending it again gives the same answer.
 */
export function isRetryableJaegerStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * An OTLP/HTTP receiver, as the specification lists them and OpenTelemetry's exporters retry them: overloaded
 * (429, and 503, what the OpenTelemetry Collector answers when its memory limiter refuses), or a proxy or gateway
 * in front of it failing for now (502, 504). Any other answer is final (the specification says it MUST NOT be
 * retried): a 500 is the receiver failing on that batch.
 */
export function isRetryableOtlpStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP date (RFC 9110 10.2.3); undefined
 * when absent or unreadable. A date in the past means "now".
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse reads the IMF-fixdate an HTTP server sends; a bare number was handled above.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Exponential backoff with full jitter: a random wait from 0 to min(maxDelay, initialDelay * 2^(failures-1)).
 * Full jitter spreads the clients a collector restart disconnected all at once, so they do not all come back
 * in the same millisecond. `random` is Math.random (a parameter for tests of the bounds).
 */
export function backoffDelayMs(failures: number, settings: Required<RetrySettings>, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.floor(random() * ceiling);
}

/** The wait before the next try: what the collector asked for (capped at maxDelayMs), else the backoff. */
export function nextRetryDelayMs(failures: number, retryAfterMs: number | undefined, settings: Required<RetrySettings>, random?: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, settings.maxDelayMs);
  return backoffDelayMs(failures, settings, random);
}
