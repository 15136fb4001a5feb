import type { EncodeResult, EncodedBatch } from './jaeger-batch-encoder';
import type { JaegerSpanLike, KeyValue } from './jaeger-span-struct';
import { writeOtlpResource, writeOtlpSpan } from './otlp-span-message';
import { ProtobufWriter, WireType, varintSize } from './protobuf-writer';
import { encodeAndFinish, leaveOut, type SpanBatchEncoder } from './span-batch-encoder';

// Tags of the fields that wrap the spans: ExportTraceServiceRequest.resource_spans (1), ResourceSpans.resource
// (1) and .scope_spans (2), ScopeSpans.spans (2); all length-delimited.
const RESOURCE_SPANS_TAG = (1 << 3) | WireType.LENGTH_DELIMITED;
const RESOURCE_TAG = (1 << 3) | WireType.LENGTH_DELIMITED;
const SCOPE_SPANS_TAG = (2 << 3) | WireType.LENGTH_DELIMITED;
const SPAN_FIELD = 2;
// Room for the two lengths in front of the spans: a varint of up to 2^28 takes 4 bytes.
const MAX_LENGTH_BYTES = 4;

/**
 * Encodes finished spans into OTLP `ExportTraceServiceRequest` messages (opentelemetry-proto collector trace
 * v1, protobuf), the body of a POST to an OTLP/HTTP receiver's `/v1/traces`, each at most `maxBatchBytes`
 * long. One ResourceSpans (the process) holds one ScopeSpans with every span. The scope is left empty, as
 * Jaeger's own translator leaves it for Thrift spans: a scope name would show as an `otel.scope.name` tag on
 * every span, which the same span sent over Thrift does not have.
 *
 * Spans are written one after another into a scratch buffer; the wrapping messages, whose lengths depend on
 * them, are put in front when the batch is copied out.
 */
export class OtlpBatchEncoder implements SpanBatchEncoder {
  private readonly _writer = new ProtobufWriter();
  /** The Resource field (tag, length, attributes), encoded once per setProcess(). */
  private _resource: Buffer = Buffer.from([RESOURCE_TAG, 0]);
  /** Spans in the writer: the batch still open (see SpanBatchEncoder.append). */
  private _openSpans = 0;

  constructor(readonly maxBatchBytes: number) {}

  setProcess(serviceName: string, tags: readonly KeyValue[]): void {
    const writer = new ProtobufWriter();
    const resource = writer.beginMessage(1, 1);
    writeOtlpResource(writer, serviceName, tags);
    writer.endMessage(resource);
    this._resource = writer.copy();
  }

  /** Spans written into the batch still open (see append). */
  get openSpans(): number {
    return this._openSpans;
  }

  encode(spans: readonly JaegerSpanLike[]): EncodeResult {
    return encodeAndFinish(this, spans);
  }

  append(spans: readonly JaegerSpanLike[]): EncodeResult {
    const result: EncodeResult = { batches: [], tooLarge: 0, failed: 0 };
    const writer = this._writer;
    const limit = this.maxBatchBytes - this._resource.length - 2 - 2 * MAX_LENGTH_BYTES;
    for (let i = 0; i < spans.length; i += 1) {
      const spanStart = writer.offset;
      try {
        const span = writer.beginMessage(SPAN_FIELD, 2);
        writeOtlpSpan(writer, spans[i]);
        writer.endMessage(span);
      } catch (error) {
        leaveOut(writer, spanStart, result, error);
        continue;
      }
      if (writer.offset <= limit) {
        this._openSpans += 1;
        continue;
      }
      writer.offset = spanStart;
      if (this._openSpans === 0) {
        result.tooLarge += 1;
        continue;
      }
      result.batches.push(this.finishOpen()!);
      i -= 1; // the span starts the next batch
    }
    return result;
  }

  finishOpen(): EncodedBatch | undefined {
    if (this._openSpans === 0) return undefined;
    const batch = this._frame(this._openSpans, this._writer);
    this._writer.reset();
    this._openSpans = 0;
    return batch;
  }

  emptyBatch(): Buffer {
    return this._frame(0, undefined).bytes;
  }

  /** The request: the wrapping messages' tags and lengths, the resource, then the spans `spans` holds. */
  private _frame(spanCount: number, spans: ProtobufWriter | undefined): EncodedBatch {
    const spansLength = spans?.offset ?? 0;
    const scopeSpansField = 1 + varintSize(spansLength) + spansLength;
    const resourceSpansLength = this._resource.length + scopeSpansField;
    const headerLength = 1 + varintSize(resourceSpansLength) + this._resource.length + 1 + varintSize(spansLength);
    const bytes = Buffer.allocUnsafe(headerLength + spansLength);
    let at = 0;
    bytes[at++] = RESOURCE_SPANS_TAG;
    at = putVarint(bytes, at, resourceSpansLength);
    at += this._resource.copy(bytes, at);
    bytes[at++] = SCOPE_SPANS_TAG;
    at = putVarint(bytes, at, spansLength);
    spans?.copyInto(bytes, at);
    return { bytes, spanCount };
  }
}

function putVarint(bytes: Buffer, at: number, value: number): number {
  while (value >= 0x80) {
    bytes[at++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  bytes[at++] = value;
  return at;
}
