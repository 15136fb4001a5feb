const INITIAL_CAPACITY = 64 * 1024;
// Strings up to this length are checked and written a character at a time: cheaper than a call into
// Buffer's native UTF-8 writer for the short ASCII names and values that make up most of a span.
export const SHORT_STRING = 48;

/**
 * One growing buffer an encoder writes a batch into and then copies out, so the same memory serves batch after
 * batch: what the Thrift and the protobuf writers share. A writer that finds a span too big for its batch rolls
 * `offset` back to where the span began.
 */
export class ScratchBuffer {
  protected _buffer: Buffer = Buffer.allocUnsafe(INITIAL_CAPACITY);
  /** Where the next byte goes; also the length written so far. */
  offset = 0;

  /** Forgets everything written; the buffer is kept for the next batch. */
  reset(): void {
    this.offset = 0;
  }

  /** A copy of bytes `from` to `to`, safe to hand to a socket while this writer moves on. */
  copy(from = 0, to = this.offset): Buffer {
    const bytes = Buffer.allocUnsafe(to - from);
    this._buffer.copy(bytes, 0, from, to);
    return bytes;
  }

  /** Copies bytes `from` to `to` into `target` at `at`, without an intermediate buffer. */
  copyInto(target: Buffer, at: number, from = 0, to = this.offset): void {
    this._buffer.copy(target, at, from, to);
  }

  byte(value: number): void {
    this._reserve(1);
    this._buffer[this.offset] = value;
    this.offset += 1;
  }

  /** Bytes as they are, e.g. a part encoded once. */
  raw(bytes: Uint8Array): void {
    this._reserve(bytes.length);
    this._buffer.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  /** Makes room for `bytes` more bytes at `offset`. */
  protected _reserve(bytes: number): void {
    if (this.offset + bytes <= this._buffer.length) return;
    let capacity = this._buffer.length * 2;
    while (capacity < this.offset + bytes) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this._buffer.copy(grown, 0, 0, this.offset);
    this._buffer = grown;
  }

  /**
   * Writes `value` at `at` a character at a time if it is at most SHORT_STRING long and all ASCII (room must be
   * reserved); false, with whatever was written to be overwritten, when it is not.
   */
  protected _writeShortAscii(value: string, at: number): boolean {
    const length = value.length;
    if (length > SHORT_STRING) return false;
    const buffer = this._buffer;
    for (let i = 0; i < length; i += 1) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) return false;
      buffer[at + i] = code;
    }
    return true;
  }
}
