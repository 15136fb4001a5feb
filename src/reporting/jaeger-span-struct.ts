import { RepeatedNameBytes, RepeatedTagBytes } from './repeated-tag-bytes';
import { RepeatedTagRuns } from './repeated-tag-runs';
import { ThriftType, type ThriftWriter } from './thrift-writer';

/** A key/value pair as jaeger-client keeps span tags, log fields and process tags. */
export interface KeyValue {
  key: string;
  value: unknown;
}

interface JaegerContextLike {
  traceId: Uint8Array | null;
  spanId: Uint8Array | null;
  parentId?: Uint8Array | null;
  flags: number;
}

/**
 * The fields of a finished jaeger-client span that Jaeger's span struct carries. jaeger-client exposes no
 * reader for them; they are the ones its own RemoteReporter reads (`ThriftUtils.spanToThrift`).
 */
export interface JaegerSpanLike {
  _operationName: string;
  _spanContext: JaegerContextLike;
  /** Milliseconds since the epoch, fractions allowed. */
  _startTime: number;
  _duration?: number;
  _tags: KeyValue[];
  _logs: Array<{ timestamp: number; fields: KeyValue[] }>;
  _references: Array<{ type(): string; referencedContext(): JaegerContextLike }>;
}

// jaeger.thrift: enum TagType { STRING, DOUBLE, BOOL, LONG, BINARY }, enum SpanRefType { CHILD_OF, FOLLOWS_FROM }.
const TAG_STRING = 0;
const TAG_DOUBLE = 1;
const TAG_BOOL = 2;
const TAG_BINARY = 4;

function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (error) {
    return `[unserializable: ${error instanceof Error ? error.message : String(error)}]`;
  }
}

/**
 * A Tag struct. Values are typed as jaeger-client types them, so Jaeger shows the same thing whichever
 * reporter sent the span: numbers as DOUBLE, booleans as BOOL, Buffers as BINARY, other objects as their
 * JSON, anything else as its String(). Only the field the type names is written (jaeger-client writes all
 * five; Jaeger reads only that one).
 */
export function writeTag(writer: ThriftWriter, key: string, value: unknown): void {
  writer.field(ThriftType.STRING, 1);
  writer.string(key);
  writer.field(ThriftType.I32, 2);
  switch (typeof value) {
    case 'string':
      writer.i32(TAG_STRING);
      writer.field(ThriftType.STRING, 3);
      writer.string(value);
      break;
    case 'number':
      writer.i32(TAG_DOUBLE);
      writer.field(ThriftType.DOUBLE, 4);
      writer.double(value);
      break;
    case 'boolean':
      writer.i32(TAG_BOOL);
      writer.field(ThriftType.BOOL, 5);
      writer.bool(value);
      break;
    case 'object':
      if (value instanceof Uint8Array) {
        writer.i32(TAG_BINARY);
        writer.field(ThriftType.STRING, 7);
        writer.binary(value);
        break;
      }
      writer.i32(TAG_STRING);
      writer.field(ThriftType.STRING, 3);
      writer.string(jsonOf(value));
      break;
    default:
      writer.i32(TAG_STRING);
      writer.field(ThriftType.STRING, 3);
      writer.string(String(value));
  }
  writer.stop();
}

/** Operation names seen before, as Thrift strings. */
const repeatedNames = new RepeatedNameBytes();
const writeString = (writer: ThriftWriter, name: string): void => writer.string(name);

/** Every encoder's span tags seen before, as Thrift's binary protocol wrote them (the same bytes for any). */
const repeatedTags = new RepeatedTagBytes();

/** The runs of tags each span name's spans begin with, as Thrift Tag structs. */
const repeatedRuns = new RepeatedTagRuns();

/**
 * An optional `list<Tag>` field; left out when there are no tags. A span's list (`name` given) begins with the
 * run its name's spans have begun with so far, copied at once where it can be (see RepeatedTagRuns).
 */
export function writeTagList(writer: ThriftWriter, id: number, tags: readonly KeyValue[], name?: string): void {
  if (tags.length === 0) return;
  writer.field(ThriftType.LIST, id);
  writer.byte(ThriftType.STRUCT);
  writer.i32(tags.length);
  const start = writer.offset;
  const copied = name === undefined ? 0 : repeatedRuns.copyRun(writer, name, tags);
  const learning = name !== undefined && repeatedRuns.learning;
  for (let i = copied; i < tags.length; i += 1) {
    const { key, value } = tags[i];
    const known = repeatedTags.get(key, value);
    if (known !== undefined) writer.raw(known);
    else {
      const tagStart = writer.offset;
      writeTag(writer, key, value);
      repeatedTags.offer(key, value, writer, tagStart);
    }
    if (learning) repeatedRuns.noteEnd(i, writer.offset);
  }
  if (learning && name !== undefined) repeatedRuns.learn(writer, name, tags, start);
}

function writeLogs(writer: ThriftWriter, logs: JaegerSpanLike['_logs']): void {
  if (logs.length === 0) return;
  writer.field(ThriftType.LIST, 11);
  writer.byte(ThriftType.STRUCT);
  writer.i32(logs.length);
  for (let i = 0; i < logs.length; i += 1) {
    const log = logs[i];
    writer.field(ThriftType.I64, 1);
    writer.i64(log.timestamp * 1000);
    // `fields` is required in a Log, even when empty.
    writer.field(ThriftType.LIST, 2);
    writer.byte(ThriftType.STRUCT);
    writer.i32(log.fields.length);
    for (let j = 0; j < log.fields.length; j += 1) writeTag(writer, log.fields[j].key, log.fields[j].value);
    writer.stop();
  }
}

function refTypeOf(type: string): number {
  if (type === 'child_of') return 0;
  if (type === 'follows_from') return 1;
  return -1;
}

function writeReferences(writer: ThriftWriter, references: JaegerSpanLike['_references']): void {
  if (references.length === 0) return;
  writer.field(ThriftType.LIST, 6);
  writer.byte(ThriftType.STRUCT);
  const countAt = writer.offset;
  writer.i32(0);
  let count = 0;
  for (let i = 0; i < references.length; i += 1) {
    const refType = refTypeOf(references[i].type());
    if (refType < 0) continue; // as jaeger-client does with a reference type it does not know
    const context = references[i].referencedContext();
    writer.field(ThriftType.I32, 1);
    writer.i32(refType);
    writeTraceId(writer, context.traceId, 2, 3);
    writer.field(ThriftType.I64, 4);
    writer.i64Bytes(context.spanId);
    writer.stop();
    count += 1;
  }
  writer.patchI32(countAt, count);
}

/** The low and the high 64 bits of a trace id kept as 8 or 16 big-endian bytes (high is 0 for 64-bit ids). */
function writeTraceId(writer: ThriftWriter, traceId: Uint8Array | null, lowId: number, highId: number): void {
  const length = traceId?.length ?? 0;
  writer.field(ThriftType.I64, lowId);
  writer.i64Bytes(traceId, length);
  writer.field(ThriftType.I64, highId);
  writer.i64Bytes(length > 8 ? traceId : null, length - 8);
}

/**
 * Jaeger's Span struct (jaeger-idl `jaeger.thrift`) for a finished jaeger-client span: ids, operation name,
 * references, flags, start and duration in microseconds (truncated, as jaeger-client converts them), tags,
 * logs. Empty optional lists are left out.
 */
export function writeSpan(writer: ThriftWriter, span: JaegerSpanLike): void {
  const context = span._spanContext;
  writeTraceId(writer, context.traceId, 1, 2);
  writer.field(ThriftType.I64, 3);
  writer.i64Bytes(context.spanId);
  writer.field(ThriftType.I64, 4);
  writer.i64Bytes(context.parentId);
  writer.field(ThriftType.STRING, 5);
  repeatedNames.write(writer, span._operationName, writeString);
  writeReferences(writer, span._references);
  writer.field(ThriftType.I32, 7);
  writer.i32(context.flags);
  writer.field(ThriftType.I64, 8);
  writer.i64(span._startTime * 1000);
  writer.field(ThriftType.I64, 9);
  writer.i64((span._duration ?? 0) * 1000);
  writeTagList(writer, 10, span._tags, span._operationName);
  writeLogs(writer, span._logs);
  writer.stop();
}

/** Jaeger's Process struct: the service name and the tracer's process tags. */
export function writeProcess(writer: ThriftWriter, serviceName: string, tags: readonly KeyValue[]): void {
  writer.field(ThriftType.STRING, 1);
  writer.string(serviceName);
  writeTagList(writer, 2, tags);
  writer.stop();
}
