import { writeProcess, writeSpan, type JaegerSpanLike, type KeyValue } from './jaeger-span-struct';
import { encodeAndFinish, leaveOut } from './span-batch-encoder';
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
  /** Spans dropped because encoding them threw (a span not made by jaeger-client's own methods), and the first error. */
  failed: number;
  failure?: string;
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
  /** Where the open batch's span count goes, or -1 while no batch is open. */
  private _countAt = -1;
  private _openSpans = 0;

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

  /** Spans written into the batch still open (see append). */
  get openSpans(): number {
    return this._openSpans;
  }

  /**
   * Encodes `spans` in order into as few batches as the size limit allows. A span larger than the limit on
   * its own is dropped and counted in `tooLarge`.
   */
  encode(spans: readonly JaegerSpanLike[]): EncodeResult {
    return encodeAndFinish(this, spans);
  }

  /**
   * Writes `spans` in order into the open batch, and returns the batches they filled; the last stays open for
   * the next call, until finishOpen(). A span larger than the limit on its own is dropped and counted.
   */
  append(spans: readonly JaegerSpanLike[]): EncodeResult {
    const result: EncodeResult = { batches: [], tooLarge: 0, failed: 0 };
    const writer = this._writer;
    const limit = this.maxBatchBytes - (this.framing === 'agent' ? 2 : 1);
    for (let i = 0; i < spans.length; i += 1) {
      if (this._countAt < 0) this._countAt = this._startBatch(writer);
      const spanStart = writer.offset;
      try {
        writeSpan(writer, spans[i]);
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
      result.batches.push(this._finishOpenBatch());
      i -= 1; // the span starts the next batch
    }
    return result;
  }

  /** The open batch, finished; undefined if it holds no span. */
  finishOpen(): EncodedBatch | undefined {
    if (this._openSpans > 0) return this._finishOpenBatch();
    this._countAt = -1;
    return undefined;
  }

  /** A batch of no spans, made aside: the open batch is left as it is. */
  emptyBatch(): Buffer {
    const writer = new ThriftWriter();
    return this._finishBatch(writer, this._startBatch(writer), 0).bytes;
  }

  private _finishOpenBatch(): EncodedBatch {
    const batch = this._finishBatch(this._writer, this._countAt, this._openSpans);
    this._countAt = -1;
    this._openSpans = 0;
    return batch;
  }

  private _startBatch(writer: ThriftWriter): number {
    writer.reset();
    writer.raw(this._prefix);
    const countAt = writer.offset;
    writer.i32(0);
    return countAt;
  }

  private _finishBatch(writer: ThriftWriter, countAt: number, spanCount: number): EncodedBatch {
    writer.patchI32(countAt, spanCount);
    writer.stop(); // end of Batch
    if (this.framing === 'agent') writer.stop(); // end of emitBatch's arguments
    return { bytes: writer.copy(), spanCount };
  }
}
