import { SHORT_STRING, ScratchBuffer } from './scratch-buffer';

/** Thrift's binary-protocol type codes, as they appear in field and list headers. */
export const ThriftType = {
  BOOL: 2,
  DOUBLE: 4,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  LIST: 15,
} as const;

const TWO_TO_32 = 2 ** 32;

/**
 * Writes Thrift's binary protocol (TBinaryProtocol, big-endian) into one growing scratch buffer, in a single
 * pass. Zipkin's codec sizes a span first and then writes it into a buffer of the right size; here each value
 * is measured while it is written instead (a string is converted once, not twice), and a caller that finds a
 * span too big for its packet rolls back to a saved offset. The bytes are copied out with `copy()`, so the
 * scratch buffer is reused from one batch to the next.
 */
export class ThriftWriter extends ScratchBuffer {
  /** A field header: its type code and its id. */
  field(type: number, id: number): void {
    this._reserve(3);
    const buffer = this._buffer;
    buffer[this.offset] = type;
    buffer[this.offset + 1] = id >>> 8;
    buffer[this.offset + 2] = id & 0xff;
    this.offset += 3;
  }

  /** The end of a struct. */
  stop(): void {
    this.byte(0);
  }

  i32(value: number): void {
    this._reserve(4);
    this._put32(value, this.offset);
    this.offset += 4;
  }

  /** Overwrites an i32 written earlier at `at`, e.g. a list's length once its elements are counted. */
  patchI32(at: number, value: number): void {
    this._put32(value, at);
  }

  // Byte by byte: Buffer's writeInt32BE checks its arguments on every call, which shows in a profile.
  private _put32(value: number, at: number): void {
    const buffer = this._buffer;
    buffer[at] = value >>> 24;
    buffer[at + 1] = (value >>> 16) & 0xff;
    buffer[at + 2] = (value >>> 8) & 0xff;
    buffer[at + 3] = value & 0xff;
  }

  /** An i64 from a JS number, truncated towards zero (as jaeger-client's node-int64 conversion does). */
  i64(value: number): void {
    this._reserve(8);
    const whole = Math.trunc(value);
    const high = Math.floor(whole / TWO_TO_32);
    this._put32(high | 0, this.offset);
    this._put32(whole - high * TWO_TO_32, this.offset + 4);
    this.offset += 8;
  }

  /**
   * An i64 from its big-endian bytes, as jaeger-client keeps trace and span ids: the last 8 bytes of `bytes`
   * starting `end - 8`, zero-padded on the left when there are fewer.
   */
  i64Bytes(bytes: Uint8Array | null | undefined, end = bytes?.length ?? 0): void {
    this._reserve(8);
    const buffer = this._buffer;
    const at = this.offset;
    this.offset += 8;
    if (bytes === null || bytes === undefined) {
      // No id (a root's parent, a 64-bit trace id's high half): zero, with no loop to run.
      buffer[at] = 0;
      buffer[at + 1] = 0;
      buffer[at + 2] = 0;
      buffer[at + 3] = 0;
      buffer[at + 4] = 0;
      buffer[at + 5] = 0;
      buffer[at + 6] = 0;
      buffer[at + 7] = 0;
      return;
    }
    if (end >= 8 && end <= bytes.length) {
      // Every id of jaeger-client's (8 bytes, or a half of 16): its 8 bytes copied as they are.
      const from = end - 8;
      buffer[at] = bytes[from];
      buffer[at + 1] = bytes[from + 1];
      buffer[at + 2] = bytes[from + 2];
      buffer[at + 3] = bytes[from + 3];
      buffer[at + 4] = bytes[from + 4];
      buffer[at + 5] = bytes[from + 5];
      buffer[at + 6] = bytes[from + 6];
      buffer[at + 7] = bytes[from + 7];
      return;
    }
    // Fewer than 8 bytes: zero-padded on the left.
    const start = Math.max(0, end - 8);
    const length = end - start;
    const pad = 8 - length;
    for (let i = 0; i < pad; i += 1) buffer[at + i] = 0;
    for (let i = 0; i < length; i += 1) buffer[at + pad + i] = bytes[start + i];
  }

  double(value: number): void {
    this._reserve(8);
    this._buffer.writeDoubleBE(value, this.offset);
    this.offset += 8;
  }

  bool(value: boolean): void {
    this.byte(value ? 1 : 0);
  }

  /** A string: its UTF-8 length, then its bytes. */
  string(value: string): void {
    const length = value.length;
    if (length <= SHORT_STRING) {
      this._reserve(4 + length);
      if (this._writeShortAscii(value, this.offset + 4)) {
        this._put32(length, this.offset);
        this.offset += 4 + length;
        return;
      }
    }
    // Not short, or not ASCII: at most 3 bytes per UTF-16 unit.
    this._reserve(4 + 3 * length);
    const written = this._buffer.write(value, this.offset + 4, 'utf8');
    this._put32(written, this.offset);
    this.offset += 4 + written;
  }

  /** Binary: its length, then the bytes. */
  binary(value: Uint8Array): void {
    this._reserve(4 + value.length);
    this._put32(value.length, this.offset);
    this._buffer.set(value, this.offset + 4);
    this.offset += 4 + value.length;
  }

  /** A list header with a count to fill in later; returns where to patch it (see patchI32). */
  listHeader(elementType: number): number {
    this.byte(elementType);
    const at = this.offset;
    this.i32(0);
    return at;
  }
}
