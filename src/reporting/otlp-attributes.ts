import type { KeyValue } from './jaeger-span-struct';
import { WireType, type ProtobufWriter } from './protobuf-writer';
import type { RepeatedTagBytes } from './repeated-tag-bytes';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (error) {
    return `[unserializable: ${error instanceof Error ? error.message : String(error)}]`;
  }
}

/**
 * The string a tag value becomes in Jaeger's Thrift Tag (see writeTag in jaeger-span-struct), or undefined
 * when it is sent as another type. Jaeger's translator reads special tags (`span.kind`, `event`,
 * `otel.status_code`...) only as strings; this says what it would read.
 */
export function textOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return undefined;
    case 'object':
      return value instanceof Uint8Array ? undefined : jsonOf(value);
    default:
      return String(value);
  }
}

/**
 * An `AnyValue` (opentelemetry-proto common v1), typed as jaeger-client types a tag so that Jaeger shows the
 * same tag whichever protocol carried it: every number as a double (jaeger-client has no integer tags: 42 is
 * DOUBLE in its Thrift), booleans as bool, Buffers as bytes, other objects as their JSON, anything else as
 * its String(). A bigint, which jaeger-client would send as its digits, is an int64 when it fits.
 */
function writeAnyValue(writer: ProtobufWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      writer.tag(1, WireType.LENGTH_DELIMITED);
      writer.string(value);
      return;
    case 'number':
      writer.tag(4, WireType.FIXED64);
      writer.double(value);
      return;
    case 'boolean':
      writer.tag(2, WireType.VARINT);
      writer.varint(value ? 1 : 0);
      return;
    case 'bigint':
      if (value >= INT64_MIN && value <= INT64_MAX) {
        writer.tag(3, WireType.VARINT);
        writer.int64(value);
        return;
      }
      break;
    case 'object':
      if (value instanceof Uint8Array) {
        writer.tag(7, WireType.LENGTH_DELIMITED);
        writer.bytes(value);
        return;
      }
      break;
  }
  writer.tag(1, WireType.LENGTH_DELIMITED);
  writer.string(textOf(value)!);
}

/** A `KeyValue` message in field `field` of the message being written. */
export function writeAttribute(writer: ProtobufWriter, field: number, key: string, value: unknown): void {
  const attribute = writer.beginMessage(field, 1);
  writer.tag(1, WireType.LENGTH_DELIMITED);
  writer.string(key);
  const anyValue = writer.beginMessage(2, 1);
  writeAnyValue(writer, value);
  writer.endMessage(anyValue);
  writer.endMessage(attribute);
}

/**
 * Key/values as attributes in field `field`, leaving out the keys `skip1`..`skip4` (tags Jaeger's translator
 * turns into something else). `tags` must hold each key once (see uniqueKeys). With `repeated`, an attribute
 * written before in this field is copied as the bytes it made then (`repeated` must serve this field alone).
 */
export function writeAttributes(
  writer: ProtobufWriter,
  field: number,
  tags: readonly KeyValue[],
  repeated?: RepeatedTagBytes,
  skip1?: string,
  skip2?: string,
  skip3?: string,
  skip4?: string,
): void {
  for (let i = 0; i < tags.length; i += 1) {
    const { key, value } = tags[i];
    if (key === skip1 || key === skip2 || key === skip3 || key === skip4) continue;
    if (repeated === undefined) {
      writeAttribute(writer, field, key, value);
      continue;
    }
    const known = repeated.get(key, value);
    if (known !== undefined) {
      writer.raw(known);
      continue;
    }
    const start = writer.offset;
    writeAttribute(writer, field, key, value);
    repeated.offer(key, value, writer, start);
  }
}

/**
 * `tags` with each key once: where a key repeats (jaeger-client appends a tag set twice), the last value at
 * the first key's place, as Jaeger's Thrift translator puts them into an attribute map. Returns `tags` itself
 * when no key repeats, the usual case, without allocating.
 */
export function uniqueKeys(tags: readonly KeyValue[]): readonly KeyValue[] {
  let repeats = false;
  for (let i = 1; i < tags.length && !repeats; i += 1) {
    const key = tags[i].key;
    for (let j = 0; j < i; j += 1) {
      if (tags[j].key === key) {
        repeats = true;
        break;
      }
    }
  }
  if (!repeats) return tags;
  const byKey = new Map<string, unknown>();
  for (const tag of tags) byKey.set(tag.key, tag.value);
  return Array.from(byKey, ([key, value]) => ({ key, value }));
}
