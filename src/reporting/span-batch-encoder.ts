import type { EncodeResult, BatchFraming } from './jaeger-batch-encoder';
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
  /** Encodes `spans` in order into as few batches as the size limit allows; a span too large alone is counted, not sent. */
  encode(spans: readonly JaegerSpanLike[]): EncodeResult;
  /** A batch of no spans. */
  emptyBatch(): Buffer;
}
