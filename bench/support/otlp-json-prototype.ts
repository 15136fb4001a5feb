// A measurement, not a shipped path: the same OTLP request as OTLP/JSON (protobuf's JSON mapping: hex ids,
// 64-bit integers as strings, enums as numbers), built as objects and given to JSON.stringify, the usual way
// to write JSON in JavaScript. Beside our protobuf encoder in the reporter-cost case, it says what choosing
// JSON would have cost. It maps tags, kind, error status, logs and references as the protobuf encoder does,
// minus its rarer rules (duplicate keys, OpenTelemetry status tags), which would only add to its time.
import type { JaegerSpanLike, KeyValue } from '../../dist/cjs/reporting/jaeger-span-struct';

const KINDS: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

function anyValue(value: unknown): Record<string, unknown> {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'number':
      return { doubleValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'object':
      if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value).toString('base64') };
      return { stringValue: JSON.stringify(value) };
    default:
      return { stringValue: String(value) };
  }
}

const attributes = (tags: readonly KeyValue[], skip?: string, skip2?: string) =>
  tags.filter((tag) => tag.key !== skip && tag.key !== skip2).map((tag) => ({ key: tag.key, value: anyValue(tag.value) }));
const hexId = (bytes: Uint8Array | null | undefined, length: number) => (bytes ? Buffer.from(bytes).toString('hex') : '').padStart(length * 2, '0');
const nanos = (ms: number) => `${Math.trunc(ms * 1000)}000`;

function spanJson(span: JaegerSpanLike): Record<string, unknown> {
  const context = span._spanContext;
  let kind = 0;
  let failed = false;
  for (const tag of span._tags) {
    if (tag.key === 'span.kind') kind = KINDS[String(tag.value)] ?? 0;
    else if (tag.key === 'error' && tag.value === true) failed = true;
  }
  const json: Record<string, unknown> = {
    traceId: hexId(context.traceId, 16),
    spanId: hexId(context.spanId, 8),
    name: span._operationName,
    kind,
    startTimeUnixNano: nanos(span._startTime),
    endTimeUnixNano: nanos(span._startTime + (span._duration ?? 0)),
    attributes: attributes(span._tags, 'span.kind', failed ? 'error' : undefined),
    flags: context.flags & 1,
  };
  if (context.parentId) json.parentSpanId = hexId(context.parentId, 8);
  if (span._logs.length > 0) {
    json.events = span._logs.map((log) => ({
      timeUnixNano: nanos(log.timestamp),
      name: String(log.fields.find((field) => field.key === 'event')?.value ?? ''),
      attributes: attributes(log.fields, 'event'),
    }));
  }
  const links = span._references.filter((ref) => ref.type() !== 'child_of');
  if (links.length > 0) {
    json.links = links.map((ref) => ({
      traceId: hexId(ref.referencedContext().traceId, 16),
      spanId: hexId(ref.referencedContext().spanId, 8),
      attributes: [{ key: 'opentracing.ref_type', value: { stringValue: ref.type() } }],
    }));
  }
  if (failed) json.status = { code: 2 };
  return json;
}

/** One OTLP/JSON ExportTraceServiceRequest for `spans`, as bytes. */
export function otlpJsonRequest(serviceName: string, processTags: readonly KeyValue[], spans: readonly JaegerSpanLike[]): Buffer {
  const request = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }, ...attributes(processTags)] },
        scopeSpans: [{ spans: spans.map(spanJson) }],
      },
    ],
  };
  return Buffer.from(JSON.stringify(request));
}
