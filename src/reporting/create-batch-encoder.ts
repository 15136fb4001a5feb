import { JaegerBatchEncoder } from './jaeger-batch-encoder';
import { OtlpBatchEncoder } from './otlp-batch-encoder';
import type { SpanBatchEncoder, WireFormat } from './span-batch-encoder';

/** The encoder for what a transport sends (its `framing`), with its batch limit. */
export function createBatchEncoder(transport: { framing: WireFormat; maxBatchBytes: number }): SpanBatchEncoder {
  if (transport.framing === 'otlp-protobuf') return new OtlpBatchEncoder(transport.maxBatchBytes);
  return new JaegerBatchEncoder(transport.framing, transport.maxBatchBytes);
}
