import { SpanContext } from 'jaeger-client';

/** The character code of each hex digit. */
const HEX_DIGIT = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
const ZERO = HEX_DIGIT[0];

/**
 * The 16 hex digits of the 8 bytes from `at`, made as one flat string. Concatenating two digits a byte made seven
 * strings and a rope that whoever read it first (the trace_id tag's toLowerCase, the encoder) copied flat
 * again: 124 ns against 46 an id, made and read once (ad-hoc loop, Node 24).
 */
function eightBytesHex(bytes: Uint8Array, at: number): string {
  const digit = (index: number, high: boolean): number => HEX_DIGIT[high ? bytes[at + index] >> 4 : bytes[at + index] & 15];
  // prettier-ignore
  return String.fromCharCode(
    digit(0, true), digit(0, false), digit(1, true), digit(1, false), digit(2, true), digit(2, false), digit(3, true), digit(3, false),
    digit(4, true), digit(4, false), digit(5, true), digit(5, false), digit(6, true), digit(6, false), digit(7, true), digit(7, false),
  );
}

function bytesHex(bytes: Uint8Array): string {
  let hex = '';
  for (let at = 0; at + 8 <= bytes.length; at += 8) hex += eightBytesHex(bytes, at);
  // Ids are 8 or 16 bytes; any tail is written a byte at a time.
  for (let i = bytes.length - (bytes.length % 8); i < bytes.length; i += 1) hex += String.fromCharCode(HEX_DIGIT[bytes[i] >> 4], HEX_DIGIT[bytes[i] & 15]);
  return hex;
}

/**
 * The hex of an id's bytes without its leading zeros (one digit kept for an id of zeros), as jaeger-client
 * writes ids in `uber-trace-id`: `Buffer#toString('hex')`, then `removeLeadingZeros`.
 */
export function idHex(bytes: Uint8Array): string {
  // In JavaScript, from a table: Number#toString(16) is a call into V8's runtime, tens of nanoseconds each.
  const hex = bytes.length === 8 ? eightBytesHex(bytes, 0) : bytesHex(bytes);
  let start = 0;
  while (start < hex.length - 1 && hex.charCodeAt(start) === ZERO) start += 1;
  return start === 0 ? hex : hex.slice(start);
}

/** The fields jaeger-client's span context keeps its ids in: bytes, and the hex strings made of them. */
interface IdFields {
  _traceId: Uint8Array | string | null | undefined;
  _spanId: Uint8Array | string | null | undefined;
  _parentId: Uint8Array | string | null | undefined;
  _traceIdStr: string | null | undefined;
  _spanIdStr: string | null | undefined;
  _parentIdStr: string | null | undefined;
}

// One getter per id, each reading its own fields by name: written once for all three, its lookups by computed
// key saw three names and were V8's slower keyed lookups on every sampled request.
// A root span's trace id and span id are the same bytes (jaeger-client hands one buffer to both): whichever
// string is made first serves the other.

function traceIdStr(this: IdFields): string | null | undefined {
  const bytes = this._traceId;
  if (this._traceIdStr == null && bytes != null && typeof bytes !== 'string') {
    this._traceIdStr = bytes === this._spanId && this._spanIdStr != null ? this._spanIdStr : idHex(bytes);
  }
  return this._traceIdStr;
}

function spanIdStr(this: IdFields): string | null | undefined {
  const bytes = this._spanId;
  if (this._spanIdStr == null && bytes != null && typeof bytes !== 'string') {
    this._spanIdStr = bytes === this._traceId && this._traceIdStr != null ? this._traceIdStr : idHex(bytes);
  }
  return this._spanIdStr;
}

function parentIdStr(this: IdFields): string | null | undefined {
  const bytes = this._parentId;
  if (this._parentIdStr == null && bytes != null && typeof bytes !== 'string') this._parentIdStr = idHex(bytes);
  return this._parentIdStr;
}

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
  for (const [name, get] of [
    ['traceIdStr', traceIdStr],
    ['spanIdStr', spanIdStr],
    ['parentIdStr', parentIdStr],
  ] as const) {
    const original = Object.getOwnPropertyDescriptor(prototype, name);
    // A jaeger-client of another shape keeps its own getters.
    if (original?.get === undefined || !original.configurable) continue;
    Object.defineProperty(prototype, name, { ...original, get });
  }
}
