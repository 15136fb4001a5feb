import { SpanContext } from 'jaeger-client';

/** Two hex digits of each byte value, and the same without a leading zero (for an id's first byte). */
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const LEADING_BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16));

/**
 * The hex of an id's bytes without its leading zeros (one digit kept for an id of zeros), as jaeger-client
 * writes ids in `uber-trace-id`: `Buffer#toString('hex')`, then `removeLeadingZeros`.
 */
export function idHex(bytes: Uint8Array): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  // From tables: Number#toString(16) is a call into V8's runtime, tens of nanoseconds each.
  let hex = LEADING_BYTE_HEX[bytes[start]];
  for (let i = start + 1; i < bytes.length; i += 1) hex += BYTE_HEX[bytes[i]];
  return hex;
}

type IdFields = Record<string, Uint8Array | string | null | undefined>;

let replaced = false;

/**
 * jaeger-client makes each new id with `Buffer.alloc(8)`. V8 keeps a buffer that small on its own heap, and the
 * first time C++ reads it (`toString('hex')`, in the `traceIdStr`/`spanIdStr` getters, which every root span
 * calls at creation for its sampling state) it moves the bytes off the heap: on Node 24 that made one root span
 * cost 890 ns instead of 230 (`startSpan` of a root span, const sampler 0, Node 24.21). The getters are
 * replaced, once per process, by the same computation in JavaScript, which reads the bytes where they are. The
 * strings are the same (test/tracer/span-context-hex-ids.test.ts compares them with jaeger-client's own); the
 * fields read are the ones jaeger-client's getters read and cache. Every jaeger-client tracer of the process
 * shares the class, and gains the same.
 */
export function useJavaScriptHexIds(): void {
  if (replaced) return;
  replaced = true;
  const prototype = SpanContext.prototype as unknown as object;
  // A root span's trace id and span id are the same bytes (jaeger-client hands one buffer to both): whichever
  // string is made first serves the other.
  for (const [getter, bytesField, cacheField, siblingBytes, siblingCache] of [
    ['traceIdStr', '_traceId', '_traceIdStr', '_spanId', '_spanIdStr'],
    ['spanIdStr', '_spanId', '_spanIdStr', '_traceId', '_traceIdStr'],
    ['parentIdStr', '_parentId', '_parentIdStr', undefined, undefined],
  ] as const) {
    const original = Object.getOwnPropertyDescriptor(prototype, getter);
    // A jaeger-client of another shape keeps its own getters.
    if (original?.get === undefined || !original.configurable) continue;
    Object.defineProperty(prototype, getter, {
      ...original,
      get(this: IdFields) {
        const bytes = this[bytesField];
        if (this[cacheField] == null && bytes != null && typeof bytes !== 'string') {
          const sameAsSibling = siblingBytes !== undefined && siblingCache !== undefined && bytes === this[siblingBytes] && this[siblingCache] != null;
          this[cacheField] = sameAsSibling ? this[siblingCache] : idHex(bytes);
        }
        return this[cacheField];
      },
    });
  }
}
