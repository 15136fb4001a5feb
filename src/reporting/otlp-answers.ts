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
 * Calls `visit` with each top-level field of a protobuf message: a number for a varint, the bytes of a
 * length-delimited field (cut where the buffer ends), nothing else. Stops at the first thing it cannot read:
 * a body cut short, or one that is not protobuf at all.
 */
function eachField(bytes: Uint8Array, visit: (field: number, value: number | Uint8Array) => void): void {
  let offset = 0;
  while (offset < bytes.length) {
    const tag = readVarint(bytes, offset);
    if (tag === undefined) return;
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    offset = tag.next;
    if (wireType === WireType.VARINT) {
      const value = readVarint(bytes, offset);
      if (value === undefined) return;
      visit(field, value.value);
      offset = value.next;
    } else if (wireType === WireType.FIXED64) offset += 8;
    else if (wireType === WireType.FIXED32) offset += 4;
    else if (wireType === WireType.LENGTH_DELIMITED) {
      const length = readVarint(bytes, offset);
      if (length === undefined) return;
      const end = Math.min(length.next + length.value, bytes.length);
      visit(field, bytes.subarray(length.next, end));
      offset = end;
    } else return; // groups, or not protobuf
  }
}

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

/**
 * The `message` of a `google.rpc.Status` (field 2), the body an OTLP/HTTP receiver answers a refused request with
 * in protobuf (the OpenTelemetry Collector's "http: request body too large", "proto: illegal wireType 7"): the
 * developer-facing reason the specification puts there. Undefined when the body holds none.
 */
export function rpcStatusMessage(bytes: Uint8Array): string | undefined {
  let message: string | undefined;
  eachField(bytes, (field, value) => {
    if (field === 2 && typeof value !== 'number') message ??= utf8(value);
  });
  return message;
}

/**
 * The spans an OTLP/HTTP receiver accepted the request but rejected, from its `ExportTraceServiceResponse`
 * (`partial_success`, field 1: `rejected_spans`, field 1, and `error_message`, field 2): undefined when it
 * rejected none. The specification has the receiver answer 200 so, and the client not retry them.
 */
export function rejectedSpans(bytes: Uint8Array): { count: number; reason: string } | undefined {
  let count = 0;
  let reason = '';
  eachField(bytes, (field, partialSuccess) => {
    if (field !== 1 || typeof partialSuccess === 'number') return;
    eachField(partialSuccess, (inner, value) => {
      if (inner === 1 && typeof value === 'number') count = value;
      else if (inner === 2 && typeof value !== 'number') reason = utf8(value);
    });
  });
  return count > 0 ? { count, reason } : undefined;
}
