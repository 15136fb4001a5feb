import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY, backoffDelayMs, isRetryableJaegerStatus, isRetryableOtlpStatus, nextRetryDelayMs, parseRetryAfter } from './reporting-modules';

describe('the retry policy', () => {
  it('reads Retry-After as delay-seconds or as an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', now), 30000);
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now), 0, 'a date in the past means now');
    for (const unreadable of [undefined, '', '-5', '1.5', 'soon', '12:00']) assert.equal(parseRetryAfter(unreadable, now), undefined, String(unreadable));
  });

  it("Jaeger's collector: retries 408, 429 and every 5xx (it refuses for now with a 500), never another 4xx", () => {
    assert.deepEqual([400, 401, 403, 404, 413, 422].filter(isRetryableJaegerStatus), []);
    assert.deepEqual([408, 429, 500, 502, 503, 504].filter(isRetryableJaegerStatus), [408, 429, 500, 502, 503, 504]);
  });

  it('an OTLP receiver: retries 429, 502, 503 and 504, as the OTLP/HTTP specification lists them, and no other answer', () => {
    assert.deepEqual([400, 401, 403, 404, 408, 413, 422, 500, 501, 505].filter(isRetryableOtlpStatus), []);
    assert.deepEqual([429, 502, 503, 504].filter(isRetryableOtlpStatus), [429, 502, 503, 504]);
  });

  it('waits a random time from 0 up to a ceiling that doubles with each failure, capped at maxDelayMs (full jitter)', () => {
    const settings = { initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 60000 };
    const ceilings = [1, 2, 3, 4, 5, 10, 100].map((failures) => backoffDelayMs(failures, settings, () => 0.999999));
    assert.deepEqual(ceilings, [99, 199, 399, 799, 999, 999, 999]);
    assert.equal(
      backoffDelayMs(3, settings, () => 0),
      0,
    );
    const draws = Array.from({ length: 2000 }, () => backoffDelayMs(4, settings));
    assert.ok(
      draws.every((delay) => delay >= 0 && delay < 800),
      'every draw within [0, 800)',
    );
    // Spread over the whole range, not clustered: clients a restart cut off together come back apart.
    assert.ok(Math.min(...draws) < 100 && Math.max(...draws) > 700, `draws from ${Math.min(...draws)} to ${Math.max(...draws)}`);
  });

  it("takes the collector's Retry-After over its own backoff, up to maxDelayMs", () => {
    assert.equal(nextRetryDelayMs(1, 2000, DEFAULT_RETRY), 2000);
    assert.equal(nextRetryDelayMs(1, 3_600_000, DEFAULT_RETRY), DEFAULT_RETRY.maxDelayMs);
    assert.ok(nextRetryDelayMs(1, undefined, DEFAULT_RETRY) < DEFAULT_RETRY.initialDelayMs);
  });
});
