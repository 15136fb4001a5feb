/** What jaeger-client's span context exposes of its ids (hex, with leading zeros removed). */
interface JaegerIds {
  traceIdStr?: string | null;
  spanIdStr?: string | null;
  toTraceId?: () => string;
  toSpanId?: () => string;
}

const SIXTEEN_ZEROS = '0000000000000000';

/**
 * The trace id as Jaeger prints it (its UI, its API, its search box): 16 zero-padded hex digits, or 32 for a
 * 128-bit id whose high half is not zero. jaeger-client strips leading zeros (`08055883b285a8c1` becomes
 * `8055883b285a8c1`), and a tag written that way is never found by a search. Undefined for a no-op span.
 */
export function traceIdHex(context: unknown): string | undefined {
  const ids = context as JaegerIds | null | undefined;
  const raw = ids?.traceIdStr ?? ids?.toTraceId?.();
  if (!raw) return undefined;
  const hex = raw.toLowerCase();
  if (hex.length <= 16) return hex.padStart(16, '0');
  const full = hex.padStart(32, '0');
  return full.startsWith(SIXTEEN_ZEROS) ? full.slice(16) : full;
}

/** The span id as Jaeger prints it: 16 zero-padded hex digits. Undefined for a no-op span. */
export function spanIdHex(context: unknown): string | undefined {
  const ids = context as JaegerIds | null | undefined;
  const raw = ids?.spanIdStr ?? ids?.toSpanId?.();
  return raw ? raw.toLowerCase().padStart(16, '0') : undefined;
}
