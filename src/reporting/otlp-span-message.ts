import type { JaegerSpanLike, KeyValue } from './jaeger-span-struct';
import { textOf, uniqueKeys, writeAttribute, writeAttributes } from './otlp-attributes';
import { WireType, type ProtobufWriter } from './protobuf-writer';
import { RepeatedNameBytes, RepeatedTagBytes } from './repeated-tag-bytes';

// opentelemetry-proto trace v1: Span.SpanKind and Status.StatusCode.
const KIND_UNSPECIFIED = 0;
const KIND_SERVER = 2;
const KIND_CLIENT = 3;
// A Map, not an object literal: a span.kind of 'constructor' must find nothing.
const KINDS = new Map([
  ['internal', 1],
  ['server', KIND_SERVER],
  ['client', KIND_CLIENT],
  ['producer', 4],
  ['consumer', 5],
]);
const STATUS_UNSET = 0;
const STATUS_OK = 1;
const STATUS_ERROR = 2;

/**
 * What Jaeger's translator from its Thrift model (opentelemetry-collector-contrib pkg/translator/jaeger,
 * `jThriftSpanToInternal` and `setInternalSpanStatus`) makes of a span's tags: the kind from `span.kind`,
 * the status from `error` = true, `otel.status_code` or a string/integer `http.status_code`, and which tags
 * it consumes. Sending the same result over OTLP is what makes Jaeger's API show the same span for both.
 */
interface TagTranslation {
  kind: number;
  statusSet: boolean;
  statusCode: number;
  statusMessage: string;
  /** Tags the translator consumes, left out of the attributes. */
  dropKind?: 'span.kind';
  dropError?: 'error';
  dropStatusCode?: 'otel.status_code';
  dropDescription?: 'otel.status_description';
}

function httpStatusFrom(value: unknown, kind: number): number | undefined {
  let code: number;
  if (typeof value === 'bigint') code = Number(value);
  else if (typeof value === 'string' && /^[+-]?\d{1,18}$/.test(value)) code = Number(value);
  else return undefined; // Go's codeFromAttr takes an int or a string of one; jaeger-client sends numbers as doubles
  if (code >= 400 && code < 500) {
    if (kind === KIND_CLIENT) return STATUS_ERROR;
    if (kind === KIND_SERVER) return STATUS_UNSET;
  }
  return code >= 100 && code < 399 ? STATUS_UNSET : STATUS_ERROR;
}

function translateTags(tags: readonly KeyValue[]): TagTranslation {
  let kindTag: KeyValue | undefined;
  let errorTag: KeyValue | undefined;
  let otelCode: KeyValue | undefined;
  let otelDescription: KeyValue | undefined;
  let httpCode: KeyValue | undefined;
  let httpMessage: KeyValue | undefined;
  for (let i = 0; i < tags.length; i += 1) {
    const tag = tags[i];
    switch (tag.key) {
      case 'span.kind':
        kindTag = tag;
        break;
      case 'error':
        errorTag = tag;
        break;
      case 'otel.status_code':
        otelCode = tag;
        break;
      case 'otel.status_description':
        otelDescription = tag;
        break;
      case 'http.status_code':
        httpCode = tag;
        break;
      case 'http.status_message':
        httpMessage = tag;
        break;
    }
  }
  const result: TagTranslation = { kind: KIND_UNSPECIFIED, statusSet: false, statusCode: STATUS_UNSET, statusMessage: '' };
  if (kindTag !== undefined) {
    result.kind = KINDS.get(textOf(kindTag.value) ?? '') ?? KIND_UNSPECIFIED;
    result.dropKind = 'span.kind';
  }
  // A boolean `error` = true is the span's status, whatever otel.status_code says.
  if (errorTag?.value === true) {
    result.statusSet = true;
    result.statusCode = STATUS_ERROR;
    result.dropError = 'error';
    if (!takeDescription(result, otelDescription) && httpMessage !== undefined) result.statusMessage = textOrEmpty(httpMessage);
  }
  if (otelCode !== undefined) {
    if (!result.statusSet) {
      result.statusSet = true;
      const code = textOrEmpty(otelCode).toUpperCase();
      result.statusCode = code === 'OK' ? STATUS_OK : code === 'ERROR' ? STATUS_ERROR : STATUS_UNSET;
      takeDescription(result, otelDescription);
    }
    result.dropStatusCode = 'otel.status_code';
  } else if (httpCode !== undefined && !result.statusSet) {
    const code = httpStatusFrom(httpCode.value, result.kind);
    if (code !== undefined && code !== STATUS_UNSET) {
      result.statusSet = true;
      result.statusCode = code;
      if (httpMessage !== undefined) result.statusMessage = textOrEmpty(httpMessage);
    }
  }
  return result;
}

function textOrEmpty(tag: KeyValue): string {
  return textOf(tag.value) ?? '';
}

/** Takes `otel.status_description`, if there is one, as the status message; false when there is none. */
function takeDescription(result: TagTranslation, description: KeyValue | undefined): boolean {
  if (description === undefined) return false;
  result.statusMessage = textOrEmpty(description);
  result.dropDescription = 'otel.status_description';
  return true;
}

/** True when `bytes` is missing or all zeros: no id (jaeger-client leaves a root span's parentId null). */
function isZeroId(bytes: Uint8Array | null | undefined): boolean {
  if (bytes === null || bytes === undefined) return true;
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] !== 0) return false;
  return true;
}

/** The last `count` bytes of two ids, each left-padded with zeros, are equal: the ids Thrift would send. */
function sameId(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined, count: number): boolean {
  const aLength = a?.length ?? 0;
  const bLength = b?.length ?? 0;
  for (let i = 1; i <= count; i += 1) {
    const x = i <= aLength ? a![aLength - i] : 0;
    const y = i <= bLength ? b![bLength - i] : 0;
    if (x !== y) return false;
  }
  return true;
}

interface Reference {
  childOf: boolean;
  traceId: Uint8Array | null;
  spanId: Uint8Array | null;
}

function referencesOf(span: JaegerSpanLike): Reference[] {
  const references: Reference[] = [];
  for (let i = 0; i < span._references.length; i += 1) {
    const type = span._references[i].type();
    if (type !== 'child_of' && type !== 'follows_from') continue; // as jaeger-client skips a type it does not know
    const context = span._references[i].referencedContext();
    references.push({ childOf: type === 'child_of', traceId: context.traceId, spanId: context.spanId });
  }
  return references;
}

/** The parent Jaeger infers (model/span.go ParentSpanID): parentId, else a CHILD_OF, else a FOLLOWS_FROM in the same trace. */
function parentOf(span: JaegerSpanLike, references: readonly Reference[]): Uint8Array | null {
  const context = span._spanContext;
  if (!isZeroId(context.parentId)) return context.parentId!;
  let followsFrom: Uint8Array | null = null;
  for (const reference of references) {
    if (!sameId(reference.traceId, context.traceId, 16)) continue;
    if (reference.childOf) return reference.spanId;
    if (followsFrom === null) followsFrom = reference.spanId;
  }
  return followsFrom;
}

function isParent(reference: Reference, parent: Uint8Array | null): boolean {
  return reference.childOf && parent !== null && sameId(reference.spanId, parent, 8);
}

/**
 * True for the span of a `childOf` parent as jaeger-client makes it: its one reference is the parent it names in
 * parentId, which is then the parent and no link (parentOf and writeLinks would find the same).
 */
function referencesOnlyItsParent(span: JaegerSpanLike): boolean {
  if (span._references.length !== 1) return false;
  const parentId = span._spanContext.parentId;
  const reference = span._references[0];
  return !isZeroId(parentId) && reference.type() === 'child_of' && sameId(reference.referencedContext().spanId, parentId, 8);
}

const NO_REFERENCES: readonly Reference[] = [];

/**
 * Links for the references besides the parent, each with the `opentracing.ref_type` attribute Jaeger turns
 * back into the reference's type (its translator's `jThriftReferencesToSpanLinks`).
 */
function writeLinks(writer: ProtobufWriter, references: readonly Reference[], parent: Uint8Array | null): void {
  if (references.length === 0 || (references.length === 1 && isParent(references[0], parent))) return;
  for (const reference of references) {
    if (isParent(reference, parent)) continue;
    const link = writer.beginMessage(13, 1);
    writer.tag(1, WireType.LENGTH_DELIMITED);
    writer.idBytes(reference.traceId, 16);
    writer.tag(2, WireType.LENGTH_DELIMITED);
    writer.idBytes(reference.spanId, 8);
    writeAttribute(writer, 4, 'opentracing.ref_type', reference.childOf ? 'child_of' : 'follows_from');
    writer.endMessage(link);
  }
}

/** Logs as events: the `event` field names the event (Jaeger reads it back as that field). */
function writeEvents(writer: ProtobufWriter, logs: JaegerSpanLike['_logs']): void {
  for (let i = 0; i < logs.length; i += 1) {
    const log = logs[i];
    const event = writer.beginMessage(11, 1);
    writer.tag(1, WireType.FIXED64);
    writer.fixed64Nanos(Math.trunc(log.timestamp * 1000));
    const fields = uniqueKeys(log.fields);
    for (let j = 0; j < fields.length; j += 1) {
      if (fields[j].key !== 'event') continue;
      writer.tag(2, WireType.LENGTH_DELIMITED);
      writer.string(textOf(fields[j].value) ?? '');
      break;
    }
    writeAttributes(writer, 3, fields, undefined, 'event');
    writer.endMessage(event);
  }
}

// As the Thrift encoder does (see jaeger-span-struct): a service's spans repeat their names and most of their
// tags, so what was encoded once is copied from then on rather than written a character at a time again.
/** Span names seen before, as field 5 with its length and bytes. */
const repeatedNames = new RepeatedNameBytes();
/** Span attributes (field 9) seen before, as the bytes of the whole field. */
const repeatedAttributes = new RepeatedTagBytes();

function writeNameField(writer: ProtobufWriter, name: string): void {
  writer.tag(5, WireType.LENGTH_DELIMITED);
  writer.string(name);
}

/**
 * The fields of an OTLP `Span` (opentelemetry-proto trace v1) for a finished jaeger-client span, as Jaeger
 * itself translates the Thrift span jaeger-client would send: 16-byte trace id (64-bit ids left-padded),
 * parent from parentId or the references, other references as links, kind and status from tags, tags as
 * attributes, logs as events, times in nanoseconds from the microseconds Thrift carries.
 */
export function writeOtlpSpan(writer: ProtobufWriter, span: JaegerSpanLike): void {
  const context = span._spanContext;
  writer.tag(1, WireType.LENGTH_DELIMITED);
  writer.idBytes(context.traceId, 16);
  writer.tag(2, WireType.LENGTH_DELIMITED);
  writer.idBytes(context.spanId, 8);
  // A root span and a child of one parent, most spans, are written without gathering their references.
  const references = span._references.length === 0 || referencesOnlyItsParent(span) ? NO_REFERENCES : referencesOf(span);
  const parent = references.length === 0 && isZeroId(context.parentId) ? null : parentOf(span, references);
  if (parent !== null) {
    writer.tag(4, WireType.LENGTH_DELIMITED);
    writer.idBytes(parent, 8);
  }
  repeatedNames.write(writer, span._operationName, writeNameField);
  const tags = uniqueKeys(span._tags);
  const translation = translateTags(tags);
  if (translation.kind !== KIND_UNSPECIFIED) {
    writer.tag(6, WireType.VARINT);
    writer.varint(translation.kind);
  }
  const start = Math.trunc(span._startTime * 1000);
  writer.tag(7, WireType.FIXED64);
  writer.fixed64Nanos(start);
  writer.tag(8, WireType.FIXED64);
  writer.fixed64Nanos(start + Math.trunc((span._duration ?? 0) * 1000));
  writeAttributes(writer, 9, tags, repeatedAttributes, translation.dropKind, translation.dropError, translation.dropStatusCode, translation.dropDescription);
  writeEvents(writer, span._logs);
  if (references.length > 0) writeLinks(writer, references, parent);
  if (translation.statusSet) {
    const status = writer.beginMessage(15, 1);
    if (translation.statusMessage !== '') {
      writer.tag(2, WireType.LENGTH_DELIMITED);
      writer.string(translation.statusMessage);
    }
    if (translation.statusCode !== STATUS_UNSET) {
      writer.tag(3, WireType.VARINT);
      writer.varint(translation.statusCode);
    }
    writer.endMessage(status);
  }
  // W3C trace flags: only jaeger-client's sampled bit has a meaning there (debug and firehose have none).
  writer.tag(16, WireType.FIXED32);
  writer.fixed32(context.flags & 1);
}

/**
 * The fields of an OTLP `Resource` for jaeger-client's process: `service.name` and the process tags, with
 * `hostname` as `host.name` and `jaeger.version` as `opencensus.exporterversion` (`Jaeger-<version>`), the
 * renaming Jaeger's translator applies to a Thrift process (and undoes when it shows the trace).
 */
export function writeOtlpResource(writer: ProtobufWriter, serviceName: string, processTags: readonly KeyValue[]): void {
  const attributes = new Map<string, unknown>();
  if (serviceName !== '') attributes.set('service.name', serviceName);
  for (const tag of processTags) attributes.set(tag.key, tag.value);
  if (attributes.has('hostname') && !attributes.has('host.name')) {
    attributes.set('host.name', attributes.get('hostname'));
    attributes.delete('hostname');
  }
  if (attributes.has('jaeger.version') && !attributes.has('opencensus.exporterversion')) {
    attributes.set('opencensus.exporterversion', `Jaeger-${textOf(attributes.get('jaeger.version')) ?? ''}`);
    attributes.delete('jaeger.version');
  }
  for (const [key, value] of attributes) writeAttribute(writer, 1, key, value);
}
