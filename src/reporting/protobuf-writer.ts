import { SHORT_STRING, ScratchBuffer } from './scratch-buffer';

/** Protocol Buffers wire types, the low 3 bits of a field's tag. */
export const WireType = {
  VARINT: 0,
  FIXED64: 1,
  LENGTH_DELIMITED: 2,
  FIXED32: 5,
} as const;

const TWO_TO_32 = 2 ** 32;

/** Bytes a varint of `value` (an integer from 0 to 2^53) takes. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size += 1;
  }
  return size;
}

/**
 * Writes the Protocol Buffers wire format into one growing scratch buffer, in a single pass. A nested
 * message is preceded by its length, unknown until it is written: `beginMessage` leaves room for the length
 * the caller expects (one byte for a key/value, two for a span), and `endMessage` writes it, moving the
 * message when the guess was wrong, so every length is in its shortest form. A caller that finds a span too
 * big for its batch rolls back to a saved offset; `copy()` hands out the bytes and the buffer is reused.
 */
export class ProtobufWriter extends ScratchBuffer {
  /** A field's tag: its number and wire type. Field numbers here are all below 16, one byte; 16 takes two. */
  tag(field: number, wireType: number): void {
    const value = (field << 3) | wireType;
    if (value >= 0x80) {
      this.varint(value);
      return;
    }
    this._reserve(1);
    this._buffer[this.offset] = value;
    this.offset += 1;
  }

  /** An unsigned varint from a non-negative integer up to 2^53. */
  varint(value: number): void {
    this._reserve(10);
    const buffer = this._buffer;
    let at = this.offset;
    while (value > 0x7fffffff) {
      buffer[at++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    while (value >= 0x80) {
      buffer[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buffer[at++] = value;
    this.offset = at;
  }

  /** A signed 64-bit integer as a varint (two's complement, ten bytes when negative). */
  int64(value: bigint): void {
    let bits = BigInt.asUintN(64, value);
    this._reserve(10);
    const buffer = this._buffer;
    while (bits >= 0x80n) {
      buffer[this.offset++] = Number(bits & 0x7fn) | 0x80;
      bits >>= 7n;
    }
    buffer[this.offset++] = Number(bits);
  }

  fixed32(value: number): void {
    this._reserve(4);
    this._putLE32(value, this.offset);
    this.offset += 4;
  }

  /**
   * Unix nanoseconds as a fixed64, from microseconds (an integer below 2^53). The product passes 2^53, so
   * it is formed in two 32-bit halves, each exact.
   */
  fixed64Nanos(micros: number): void {
    this._reserve(8);
    const high = Math.floor(micros / TWO_TO_32);
    const lowNanos = (micros - high * TWO_TO_32) * 1000;
    const carry = Math.floor(lowNanos / TWO_TO_32);
    this._putLE32(lowNanos - carry * TWO_TO_32, this.offset);
    this._putLE32(high * 1000 + carry, this.offset + 4);
    this.offset += 8;
  }

  private _putLE32(value: number, at: number): void {
    const buffer = this._buffer;
    buffer[at] = value & 0xff;
    buffer[at + 1] = (value >>> 8) & 0xff;
    buffer[at + 2] = (value >>> 16) & 0xff;
    buffer[at + 3] = (value >>> 24) & 0xff;
  }

  double(value: number): void {
    this._reserve(8);
    this._buffer.writeDoubleLE(value, this.offset);
    this.offset += 8;
  }

  /** A length-delimited string: its UTF-8 length, then its bytes. */
  string(value: string): void {
    const length = value.length;
    if (length <= SHORT_STRING) {
      // Up to 48 ASCII characters: the length fits one byte.
      this._reserve(1 + length);
      if (this._writeShortAscii(value, this.offset + 1)) {
        this._buffer[this.offset] = length;
        this.offset += 1 + length;
        return;
      }
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint(bytes);
    this._reserve(bytes);
    this._buffer.write(value, this.offset, bytes, 'utf8');
    this.offset += bytes;
  }

  /** Length-delimited bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.raw(value);
  }

  /**
   * `count` bytes taken from the end of `bytes` (big-endian ids as jaeger-client keeps them), left-padded
   * with zeros when there are fewer, as a length-delimited field value.
   */
  idBytes(bytes: Uint8Array | null | undefined, count: number, end = bytes?.length ?? 0): void {
    this._reserve(1 + count);
    const buffer = this._buffer;
    buffer[this.offset] = count;
    const at = this.offset + 1;
    this.offset = at + count;
    if (end === 8 && bytes !== null && bytes !== undefined && bytes.length >= 8 && (count === 8 || count === 16)) {
      // jaeger-client's 8-byte ids, as a span id or a 64-bit trace id left-padded to 16: no loops to run.
      let to = at;
      if (count === 16) {
        for (const stop = at + 8; to < stop; to += 1) buffer[to] = 0;
      }
      buffer[to] = bytes[0];
      buffer[to + 1] = bytes[1];
      buffer[to + 2] = bytes[2];
      buffer[to + 3] = bytes[3];
      buffer[to + 4] = bytes[4];
      buffer[to + 5] = bytes[5];
      buffer[to + 6] = bytes[6];
      buffer[to + 7] = bytes[7];
      return;
    }
    const start = Math.max(0, end - count);
    const length = bytes === null || bytes === undefined ? 0 : Math.max(0, end - start);
    const pad = count - length;
    for (let i = 0; i < pad; i += 1) buffer[at + i] = 0;
    for (let i = 0; i < length; i += 1) buffer[at + pad + i] = bytes![start + i];
  }

  /**
   * Starts a length-delimited field holding a message; returns where the message starts, for endMessage.
   * `lengthGuess` is how many bytes its length is expected to take.
   */
  beginMessage(field: number, lengthGuess: number): number {
    this.tag(field, WireType.LENGTH_DELIMITED);
    this._reserve(lengthGuess);
    this.offset += lengthGuess;
    return this.offset * 4 + lengthGuess;
  }

  /** Writes the length of the message begun at `mark`, moving it when the length needs more or fewer bytes. */
  endMessage(mark: number): void {
    const guess = mark & 3;
    const start = (mark - guess) / 4;
    const length = this.offset - start;
    const size = varintSize(length);
    if (size !== guess) {
      this._reserve(size - guess);
      this._buffer.copyWithin(start + size - guess, start, this.offset);
      this.offset += size - guess;
    }
    let at = start - guess;
    const buffer = this._buffer;
    let value = length;
    while (value >= 0x80) {
      buffer[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buffer[at] = value;
  }
}
