import { WireType } from './protobuf-writer';

/** Reads a varint at `offset`; undefined past the end of a (possibly cut) buffer. */
function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = offset; i < bytes.length && i < offset + 10; i += 1) {
    value += (bytes[i] & 0x7f) * scale;
    if ((bytes[i] & 0x80) === 0) return { value, next: i + 1 };
    scale *= 128;
  }
  return undefined;
}

/**
 * The `message` of a `google.rpc.Status` (field 2, a string), the body an OTLP/HTTP receiver answers a refused
 * request with in protobuf (the OpenTelemetry Collector's "http: request body too large", "proto: illegal
 * wireType 7"): the developer-facing reason the specification puts there. Undefined when the body holds none.
 * A body cut short gives what it holds of the message.
 */
export function rpcStatusMessage(bytes: Uint8Array): string | undefined {
  let offset = 0;
  while (offset < bytes.length) {
    const tag = readVarint(bytes, offset);
    if (tag === undefined) return undefined;
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    offset = tag.next;
    if (wireType === WireType.VARINT) {
      const skipped = readVarint(bytes, offset);
      if (skipped === undefined) return undefined;
      offset = skipped.next;
    } else if (wireType === WireType.FIXED64) offset += 8;
    else if (wireType === WireType.FIXED32) offset += 4;
    else if (wireType === WireType.LENGTH_DELIMITED) {
      const length = readVarint(bytes, offset);
      if (length === undefined) return undefined;
      const end = Math.min(length.next + length.value, bytes.length);
      if (field === 2) return Buffer.from(bytes.buffer, bytes.byteOffset + length.next, end - length.next).toString('utf8');
      offset = end;
    } else return undefined; // groups, or not protobuf at all
  }
  return undefined;
}
