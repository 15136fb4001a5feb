import { writeProcess, writeSpan, type JaegerSpanLike, type KeyValue } from './jaeger-span-struct';
import { ThriftType, ThriftWriter } from './thrift-writer';

/**
 * How a batch is framed on the wire:
 * - `agent`: the `Agent.emitBatch(1: Batch batch)` oneway call a UDP packet carries to the agent (or Jaeger
 *   v2's `thrift_binary` receiver on 6832), as a strict binary-protocol message;
 * - `collector`: a bare `Batch` struct, the body of an HTTP POST to the collector's `/api/traces`.
 */
export type BatchFraming = 'agent' | 'collector';

/** One encoded batch, ready for a transport. */
export interface EncodedBatch {
  bytes: Buffer;
  spanCount: number;
}

export interface EncodeResult {
  batches: EncodedBatch[];
  /** Spans dropped because, alone in a batch, they are larger than the batch limit. */
  tooLarge: number;
}

// TMessageType.ONEWAY, with the strict binary protocol's version 1 in the high bytes.
const STRICT_ONEWAY = 0x80010004 | 0;

/**
 * Encodes finished spans into Jaeger's Thrift batches (jaeger-idl `jaeger.thrift`, binary protocol), each at
 * most `maxBatchBytes` long. The part every batch shares (message header, Process struct) is encoded once per
 * setProcess() and copied in front of each batch.
 */
export class JaegerBatchEncoder {
  private readonly _writer = new ThriftWriter();
  private _prefix: Buffer = Buffer.alloc(0);

  constructor(
    readonly framing: BatchFraming,
    readonly maxBatchBytes: number,
  ) {}

  /** The process every span of a batch belongs to: the service name and the tracer's process tags. */
  setProcess(serviceName: string, tags: readonly KeyValue[]): void {
    const writer = new ThriftWriter();
    if (this.framing === 'agent') {
      writer.i32(STRICT_ONEWAY);
      writer.string('emitBatch');
      writer.i32(0); // sequence id
      writer.field(ThriftType.STRUCT, 1); // emitBatch's argument 1: batch
    }
    writer.field(ThriftType.STRUCT, 1); // Batch.process
    writeProcess(writer, serviceName, tags);
    writer.field(ThriftType.LIST, 2); // Batch.spans
    writer.byte(ThriftType.STRUCT);
    this._prefix = writer.copy();
  }

  /** Bytes a batch carries besides its spans. */
  get overheadBytes(): number {
    return this._prefix.length + 4 + (this.framing === 'agent' ? 2 : 1);
  }

  /**
   * Encodes `spans` in order into as few batches as the size limit allows. A span larger than the limit on
   * its own is dropped and counted in `tooLarge`.
   */
  encode(spans: readonly JaegerSpanLike[]): EncodeResult {
    const result: EncodeResult = { batches: [], tooLarge: 0 };
    const writer = this._writer;
    const limit = this.maxBatchBytes - (this.framing === 'agent' ? 2 : 1);
    let countAt = this._startBatch();
    let inBatch = 0;
    for (let i = 0; i < spans.length; i += 1) {
      const spanStart = writer.offset;
      writeSpan(writer, spans[i]);
      if (writer.offset <= limit) {
        inBatch += 1;
        continue;
      }
      writer.offset = spanStart;
      if (inBatch === 0) {
        result.tooLarge += 1;
        continue;
      }
      result.batches.push(this._finishBatch(countAt, inBatch));
      countAt = this._startBatch();
      inBatch = 0;
      i -= 1; // the span starts the next batch
    }
    if (inBatch > 0) result.batches.push(this._finishBatch(countAt, inBatch));
    return result;
  }

  /** A batch of no spans. */
  emptyBatch(): Buffer {
    return this._finishBatch(this._startBatch(), 0).bytes;
  }

  private _startBatch(): number {
    const writer = this._writer;
    writer.reset();
    writer.raw(this._prefix);
    const countAt = writer.offset;
    writer.i32(0);
    return countAt;
  }

  private _finishBatch(countAt: number, spanCount: number): EncodedBatch {
    const writer = this._writer;
    writer.patchI32(countAt, spanCount);
    writer.stop(); // end of Batch
    if (this.framing === 'agent') writer.stop(); // end of emitBatch's arguments
    return { bytes: writer.copy(), spanCount };
  }
}
