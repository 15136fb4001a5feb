import type { EncodeResult, EncodedBatch, BatchFraming } from './jaeger-batch-encoder';
import type { JaegerSpanLike, KeyValue } from './jaeger-span-struct';

/**
 * What a transport sends: Jaeger's Thrift batches framed for the agent or the collector (see
 * JaegerBatchEncoder), or an OTLP `ExportTraceServiceRequest` in protobuf (see OtlpBatchEncoder).
 */
export type WireFormat = BatchFraming | 'otlp-protobuf';

/** Turns finished jaeger-client spans into the batches one transport sends, each within its byte limit. */
export interface SpanBatchEncoder {
  /** The process every span of a batch belongs to: the service name and the tracer's process tags. */
  setProcess(serviceName: string, tags: readonly KeyValue[]): void;
  /**
   * Encodes `spans` in order into as few batches as the size limit allows, the batch still open included; a span
   * too large alone is counted, not sent.
   */
  encode(spans: readonly JaegerSpanLike[]): EncodeResult;
  /**
   * Writes `spans` in order into the open batch and returns the batches they filled: the last one stays open,
   * for the spans of the next call, until finishOpen(). A span too large alone is counted, not sent.
   */
  append(spans: readonly JaegerSpanLike[]): EncodeResult;
  /** The open batch, finished; undefined if it holds no span. */
  finishOpen(): EncodedBatch | undefined;
  /** Spans written into the open batch. */
  readonly openSpans: number;
  /** A batch of no spans (the open batch is left as it is). */
  emptyBatch(): Buffer;
}

/** encode() of every encoder: the spans appended, then the open batch finished. */
export function encodeAndFinish(encoder: SpanBatchEncoder, spans: readonly JaegerSpanLike[]): EncodeResult {
  const result = encoder.append(spans);
  const last = encoder.finishOpen();
  if (last !== undefined) result.batches.push(last);
  return result;
}

/**
 * Leaves out a span whose encoding threw partway (a span not made by jaeger-client's own methods): the writer goes
 * back to where the span began, so the batch around it stays whole, and the span is counted in `result`.
 */
export function leaveOut(writer: { offset: number }, spanStart: number, result: EncodeResult, error: unknown): void {
  writer.offset = spanStart;
  result.failed += 1;
  result.failure ??= error instanceof Error ? error.message : String(error);
}
